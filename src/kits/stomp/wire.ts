//
// The server's frames on a connection. A MESSAGE differs per recipient only
// in its `subscription`, `message-id` and `ack` headers, so a publish encodes
// the rest (headers escaped per version, the body) once, and each recipient's
// frame is a concatenation of short strings; its body is never re-encoded
// per recipient's journal entry.
//
import { deliver, type Connection, type OutboundFrame } from '../../kit/index.js';
import { encodeFrame, escapeHeader, headerLines, type StompVersion } from './frame.js';

/** A body as the mock was given it: text, bytes, or any other value as JSON. */
export function bodyOf(body: unknown): { text: string; bytes?: undefined; json: boolean } | { text?: undefined; bytes: Buffer; json: false } {
  if (typeof body === 'string') return { text: body, json: false };
  if (Buffer.isBuffer(body)) return { bytes: body, json: false };
  if (body instanceof Uint8Array) return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength), json: false };
  if (body === undefined) return { text: '', json: false };
  return { text: JSON.stringify(body) ?? '', json: true };
}

/** Writes one whole frame the server made (CONNECTED, RECEIPT, ERROR) to `connection`. */
export function writeFrame(connection: Connection, version: StompVersion, command: string, headers: Readonly<Record<string, string>>, body = '', done?: (err?: Error) => void): void {
  const bytes = encodeFrame(command, headers, body, version);
  deliver(connection, { payload: bytes.toString('utf8'), binary: false }, done);
}

/** What one recipient's MESSAGE needs of its subscription. */
export interface MessageTarget {
  readonly connection: Connection;
  readonly version: StompVersion;
  /** `MESSAGE`, the `subscription` line (escaped for the version) and `message-id:`; whether it is ASCII. */
  readonly prefix: MessagePrefix;
  /** Whether the subscription acks (the `ack` header, 1.2). */
  readonly acks: boolean;
  /** The next `message-id`, unique on the connection (ASCII). */
  nextMessageId(): string;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** The start of every MESSAGE to one subscription. */
export interface MessagePrefix {
  readonly text: string;
  readonly ascii: boolean;
}

/** The start of every MESSAGE to subscription `id` on a connection of `version`. */
export function messagePrefix(id: string, version: StompVersion): MessagePrefix {
  const text = `MESSAGE\nsubscription:${escapeHeader(id, version)}\nmessage-id:`;
  return { text, ascii: ASCII.test(text) };
}

/** The MESSAGE of one publish, made for each recipient from the parts encoded once. */
export class MessageFrames {
  readonly #headers: Record<string, string>;
  readonly #text: string | undefined;
  readonly #bytes: Buffer | undefined;
  readonly #tails = new Map<StompVersion, { bytes: Buffer | undefined; text: string; ascii: boolean }>();

  constructor(destination: string, body: unknown, headers: Readonly<Record<string, string>> = {}) {
    const encoded = bodyOf(body);
    const all: Record<string, string> = { destination };
    for (const [name, value] of Object.entries(headers)) {
      if (name === 'subscription' || name === 'message-id' || name === 'ack' || name === 'content-length') continue;
      all[name] = value;
    }
    if (encoded.json && all['content-type'] === undefined) all['content-type'] = 'application/json';
    const size = encoded.bytes ? encoded.bytes.length : Buffer.byteLength(encoded.text);
    if (size > 0) all['content-length'] = String(size);
    this.#headers = all;
    this.#text = encoded.text;
    this.#bytes = encoded.bytes;
  }

  /** The headers every recipient gets (subscription, message-id and ack aside). */
  get headers(): Readonly<Record<string, string>> {
    return this.#headers;
  }

  /**
   * The frames `targets` get, in order: each recipient's own lines, then the
   * headers and body all share. Text frames are laid out in one buffer made
   * for the whole publish (each recipient's frame a view of it; ASCII, the
   * usual case, copied as latin1), the journal keeping each frame's string.
   */
  framesFor(targets: readonly MessageTarget[]): OutboundFrame[] {
    const frames: OutboundFrame[] = new Array(targets.length);
    const texts: string[] = new Array(targets.length);
    let ascii = true;
    let total = 0;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const tail = this.#tail(target.version);
      const id = target.nextMessageId();
      const own = target.acks ? `${id}\nack:${id}\n` : `${id}\n`;
      if (tail.bytes) {
        frames[i] = { payload: Buffer.concat([Buffer.from(target.prefix.text), Buffer.from(own, 'latin1'), tail.bytes]), binary: true };
        continue;
      }
      const text = target.prefix.text + own + tail.text;
      texts[i] = text;
      ascii &&= target.prefix.ascii && tail.ascii;
      total += ascii ? text.length : Buffer.byteLength(text);
    }
    if (total === 0) return frames;
    const encoding = ascii ? 'latin1' : 'utf8';
    const all = Buffer.allocUnsafeSlow(ascii ? total : texts.reduce((sum, text) => sum + (text === undefined ? 0 : Buffer.byteLength(text)), 0));
    let at = 0;
    for (let i = 0; i < targets.length; i++) {
      const text = texts[i];
      if (text === undefined) continue;
      const written = all.write(text, at, encoding);
      frames[i] = { payload: all.subarray(at, at + written), binary: false, journal: text };
      at += written;
    }
    return frames;
  }

  /** The part every recipient on `version` shares, encoded on first use. */
  #tail(version: StompVersion): { bytes: Buffer | undefined; text: string; ascii: boolean } {
    let tail = this.#tails.get(version);
    if (tail === undefined) {
      const head = `${headerLines('MESSAGE', this.#headers, version)}\n`;
      tail = this.#bytes ? { bytes: Buffer.concat([Buffer.from(head), this.#bytes, Buffer.from([0])]), text: '', ascii: false } : { bytes: undefined, text: `${head}${this.#text!}\0`, ascii: false };
      tail.ascii = ASCII.test(tail.text);
      this.#tails.set(version, tail);
    }
    return tail;
  }
}

