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
  /** The `subscription:…` header line, escaped for the connection's version. */
  readonly subscriptionLine: string;
  /** Whether the subscription acks (the `ack` header, 1.2). */
  readonly acks: boolean;
  /** The next `message-id`, unique on the connection. */
  nextMessageId(): string;
}

/** The MESSAGE of one publish, made for each recipient from the parts encoded once. */
export class MessageFrames {
  readonly #headers: Record<string, string>;
  readonly #text: string | undefined;
  readonly #bytes: Buffer | undefined;
  readonly #heads = new Map<StompVersion, string>();

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

  /** The frame `target` gets. */
  frameFor(target: MessageTarget): OutboundFrame {
    let head = this.#heads.get(target.version);
    if (head === undefined) {
      head = headerLines('MESSAGE', this.#headers, target.version);
      this.#heads.set(target.version, head);
    }
    const id = target.nextMessageId();
    const prefix = `MESSAGE\n${target.subscriptionLine}message-id:${id}\n${target.acks ? `ack:${id}\n` : ''}${head}\n`;
    if (this.#bytes) return { payload: Buffer.concat([Buffer.from(prefix), this.#bytes, Buffer.from([0])]), binary: true };
    return { payload: `${prefix}${this.#text}\0`, binary: false };
  }
}

/** The `subscription:…` line of a subscription id on a connection of `version`. */
export function subscriptionLine(id: string, version: StompVersion): string {
  return `subscription:${escapeHeader(id, version)}\n`;
}
