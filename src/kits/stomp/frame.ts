//
// STOMP frames on the wire (STOMP 1.0, 1.1 and 1.2): the streaming parser a
// connection feeds every WebSocket message to, and the encoder of the
// server's frames. A frame is a command line, header lines, a blank line, a
// body and a NUL; a frame may span WebSocket messages and a message may hold
// several frames, so what is not yet a whole frame is held, up to a bound.
// End-of-line bytes between frames are heart-beats. Header values are
// escaped in 1.1 (`\n`, `\c`, `\\`) and 1.2 (also `\r`), never in CONNECT
// and CONNECTED; an escape the version does not define is an error.
//

/** A STOMP version this kit speaks. */
export type StompVersion = '1.0' | '1.1' | '1.2';

/** A frame as the parser reads it: headers in order, the first of a repeated header wins. */
export interface StompFrame {
  readonly command: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** What the parser hands on: a frame, a heart-beat, or the error that ends the connection. */
export type ParsedItem = { readonly kind: 'frame'; readonly frame: StompFrame } | { readonly kind: 'heartbeat' } | { readonly kind: 'error'; readonly message: string };

const NUL = 0;
const LF = 10;
const CR = 13;

/** Commands whose header values are never escaped. */
const UNESCAPED = new Set(['CONNECT', 'STOMP', 'CONNECTED']);

/** Undoes the escapes of a header value; undefined when it holds one the version does not define. */
export function unescapeHeader(value: string, version: StompVersion): string | undefined {
  if (version === '1.0' || !value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = value[++i];
    if (next === 'n') out += '\n';
    else if (next === 'c') out += ':';
    else if (next === '\\') out += '\\';
    else if (next === 'r' && version === '1.2') out += '\r';
    else return undefined;
  }
  return out;
}

/** Escapes a header value for `version` (1.0: as is). */
export function escapeHeader(value: string, version: StompVersion): string {
  if (version === '1.0') return value;
  // eslint-disable-next-line no-control-regex
  if (!/[\\\n:\r]/.test(value)) return value;
  let out = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/:/g, '\\c');
  if (version === '1.2') out = out.replace(/\r/g, '\\r');
  return out;
}

/** The header lines of a frame, escaped for `version` (CONNECTED never is). */
export function headerLines(command: string, headers: Readonly<Record<string, string>>, version: StompVersion): string {
  const escape = !UNESCAPED.has(command);
  let text = '';
  for (const [name, value] of Object.entries(headers)) {
    text += escape ? `${escapeHeader(name, version)}:${escapeHeader(value, version)}\n` : `${name}:${value}\n`;
  }
  return text;
}

/** A whole frame as bytes: `content-length` added when there is a body. */
export function encodeFrame(command: string, headers: Readonly<Record<string, string>>, body: string | Buffer, version: StompVersion): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const all = bytes.length > 0 && headers['content-length'] === undefined ? { ...headers, 'content-length': String(bytes.length) } : headers;
  return Buffer.concat([Buffer.from(`${command}\n${headerLines(command, all, version)}\n`), bytes, Buffer.from([NUL])]);
}

/**
 * Reads frames from a byte stream, one WebSocket message at a time. Holds a
 * partial frame between messages, at most `limit` bytes; past it, or on a
 * frame that breaks the grammar, it yields one `error` and reads no more.
 */
export class StompParser {
  readonly #limit: number;
  #pending: Buffer | undefined;
  #failed = false;
  /** The version escapes are read with (set once CONNECTED is sent); 1.2 until then. */
  version: StompVersion = '1.2';

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Bytes held of a frame not yet whole. */
  get pending(): number {
    return this.#pending?.length ?? 0;
  }

  /** Everything `chunk` completes, in order. */
  push(chunk: Buffer): ParsedItem[] {
    if (this.#failed) return [];
    const buffer = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = undefined;
    const items: ParsedItem[] = [];
    let at = 0;
    while (at < buffer.length) {
      const byte = buffer[at]!;
      if (byte === LF) {
        items.push({ kind: 'heartbeat' });
        at++;
        continue;
      }
      if (byte === CR && buffer[at + 1] === LF) {
        items.push({ kind: 'heartbeat' });
        at += 2;
        continue;
      }
      if (byte === CR && at + 1 === buffer.length) break;
      const result = this.#frame(buffer, at);
      if (result === undefined) break;
      if ('message' in result) return this.#fail(items, result.message);
      items.push({ kind: 'frame', frame: result.frame });
      at = result.end;
    }
    if (at < buffer.length) {
      const rest = buffer.subarray(at);
      if (rest.length > this.#limit) return this.#fail(items, `a frame is larger than ${this.#limit} bytes, or was sent without its NUL terminator (${rest.length} bytes held)`);
      this.#pending = Buffer.from(rest);
    }
    return items;
  }

  #fail(items: ParsedItem[], message: string): ParsedItem[] {
    this.#failed = true;
    this.#pending = undefined;
    items.push({ kind: 'error', message });
    return items;
  }

  /** The frame starting at `from`: undefined while incomplete. */
  #frame(buffer: Buffer, from: number): { frame: StompFrame; end: number } | { message: string } | undefined {
    // The head ends at the first blank line.
    let headEnd = -1;
    let bodyStart = -1;
    for (let i = from; i < buffer.length; i++) {
      if (buffer[i] === NUL) return { message: 'a NUL ended the frame before the blank line that ends its headers' };
      if (buffer[i] !== LF) continue;
      if (buffer[i + 1] === LF) {
        headEnd = i;
        bodyStart = i + 2;
        break;
      }
      if (buffer[i + 1] === CR && buffer[i + 2] === LF) {
        headEnd = i;
        bodyStart = i + 3;
        break;
      }
      if (i + 1 >= buffer.length || (buffer[i + 1] === CR && i + 2 >= buffer.length)) return undefined;
    }
    if (headEnd < 0) return undefined;
    const lines = buffer.toString('utf8', from, headEnd).split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    const command = lines[0]!;
    if (!/^[A-Z]+$/.test(command)) return { message: `the command line ${JSON.stringify(command.slice(0, 40))} is not a STOMP command` };
    const headers: Record<string, string> = {};
    const escaped = !UNESCAPED.has(command);
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon < 0) return { message: `the header line ${JSON.stringify(line.slice(0, 40))} has no ":"` };
      const rawName = line.slice(0, colon);
      const rawValue = line.slice(colon + 1);
      const name = escaped ? unescapeHeader(rawName, this.version) : rawName;
      const value = escaped ? unescapeHeader(rawValue, this.version) : rawValue;
      if (name === undefined || value === undefined) {
        return { message: `the header ${JSON.stringify(line.slice(0, 40))} holds an escape STOMP ${this.version} does not define (only \\n, \\c, \\\\${this.version === '1.2' ? ' and \\r' : ''})` };
      }
      if (!Object.hasOwn(headers, name)) headers[name] = value;
    }
    const length = headers['content-length'];
    if (length !== undefined) {
      if (!/^\d{1,10}$/.test(length.trim())) return { message: `content-length ${JSON.stringify(length)} is not a number of bytes` };
      const size = Number(length.trim());
      if (size > this.#limit) return { message: `content-length ${size} is larger than the ${this.#limit} bytes a frame may have` };
      if (bodyStart + size >= buffer.length) return undefined;
      if (buffer[bodyStart + size] !== NUL) return { message: `the frame's body of content-length ${size} is not followed by a NUL` };
      return { frame: { command, headers, body: Buffer.from(buffer.subarray(bodyStart, bodyStart + size)) }, end: bodyStart + size + 1 };
    }
    const nul = buffer.indexOf(NUL, bodyStart);
    if (nul < 0) return undefined;
    return { frame: { command, headers, body: Buffer.from(buffer.subarray(bodyStart, nul)) }, end: nul + 1 };
  }
}
