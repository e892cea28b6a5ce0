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
  /** `MESSAGE`, the `subscription` line (escaped for the version) and `message-id:`, as bytes. */
  readonly prefix: MessagePrefix;
  /** Whether the subscription acks (the `ack` header, 1.2). */
  readonly acks: boolean;
  /** The next `message-id`, unique on the connection (ASCII). */
  nextMessageId(): string;
}

/** The start of every MESSAGE to one subscription, encoded once. */
export interface MessagePrefix {
  readonly bytes: Buffer;
}

/** The start of every MESSAGE to subscription `id` on a connection of `version`. */
export function messagePrefix(id: string, version: StompVersion): MessagePrefix {
  return { bytes: Buffer.from(`MESSAGE\nsubscription:${escapeHeader(id, version)}\nmessage-id:`) };
}

/** The MESSAGE of one publish, made for each recipient from the parts encoded once. */
export class MessageFrames {
  readonly #headers: Record<string, string>;
  readonly #text: string | undefined;
  readonly #bytes: Buffer | undefined;
  readonly #tails = new Map<StompVersion, Buffer>();

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
   * headers and body all share. They are laid out in one buffer made for the
   * whole publish, each frame a view of it: the subscription's prefix and the
   * shared part copied as bytes, only the message-id written per recipient.
   * The journal keeps the views, whose bytes live outside the JavaScript heap:
   * a fan-out adds no string per recipient for the garbage collector to copy.
   */
  framesFor(targets: readonly MessageTarget[]): OutboundFrame[] {
    const owns: string[] = new Array(targets.length);
    let total = 0;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const id = target.nextMessageId();
      const own = target.acks ? `${id}\nack:${id}\n` : `${id}\n`;
      owns[i] = own;
      total += target.prefix.bytes.length + own.length + this.#tail(target.version).length;
    }
    const frames: OutboundFrame[] = new Array(targets.length);
    const binary = this.#bytes !== undefined;
    const all = Buffer.allocUnsafeSlow(total);
    let at = 0;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const start = at;
      all.set(target.prefix.bytes, at);
      at += target.prefix.bytes.length;
      // The message-id and ack lines are ASCII: one byte a character.
      at += all.write(owns[i]!, at, 'latin1');
      const tail = this.#tail(target.version);
      all.set(tail, at);
      at += tail.length;
      frames[i] = { payload: all.subarray(start, at), binary };
    }
    return frames;
  }

  /** The part every recipient on `version` shares (headers, blank line, body, NUL), encoded on first use. */
  #tail(version: StompVersion): Buffer {
    let tail = this.#tails.get(version);
    if (tail === undefined) {
      const head = `${headerLines('MESSAGE', this.#headers, version)}\n`;
      tail = Buffer.concat([Buffer.from(head), this.#bytes ?? Buffer.from(this.#text!), Buffer.from([0])]);
      this.#tails.set(version, tail);
    }
    return tail;
  }

}

