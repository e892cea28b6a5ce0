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
  /** The subscription's ack mode: `auto` takes no ACK, so its deliveries need no id of their own. */
  readonly ack: string;
  /** Whether the subscription acks (the `ack` header, 1.2). */
  readonly acks: boolean;
  /** The next `message-id`, unique on the connection (ASCII). */
  nextMessageId(): string;
}

/** The start of every MESSAGE to one subscription, encoded once. */
export interface MessagePrefix {
  readonly bytes: Buffer;
  /** The same for every subscription of this id on a connection of this version. */
  readonly key: string;
}

/** The start of every MESSAGE to subscription `id` on a connection of `version`. */
export function messagePrefix(id: string, version: StompVersion): MessagePrefix {
  return { bytes: Buffer.from(`MESSAGE\nsubscription:${escapeHeader(id, version)}\nmessage-id:`), key: `${version}\n${id}` };
}

/**
 * The MESSAGE of one publish, made for each recipient from the parts encoded
 * once. A publish is one message with one `message-id` (as a broker's topic
 * delivers one message to every subscriber): recipients whose subscriptions
 * take no ACK and share an id and version (every client's first subscription
 * is `sub-0` to @stomp/stompjs) get the same frame. A subscription that acks
 * gets an id of its own per delivery, which its ACK names.
 */
export class MessageFrames {
  readonly #messageId: string;
  readonly #headers: Record<string, string>;
  readonly #text: string | undefined;
  readonly #bytes: Buffer | undefined;
  readonly #tails = new Map<StompVersion, Buffer>();
  readonly #shared = new Map<string, OutboundFrame>();

  constructor(messageId: string, destination: string, body: unknown, headers: Readonly<Record<string, string>> = {}) {
    this.#messageId = messageId;
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

  /** The frame `target` gets: shared with every target of its subscription id and version when it takes no ACK. */
  frameFor(target: MessageTarget): OutboundFrame {
    if (target.ack !== 'auto') {
      const id = target.nextMessageId();
      return this.#frame(target, target.acks ? `${id}\nack:${id}\n` : `${id}\n`);
    }
    let frame = this.#shared.get(target.prefix.key);
    if (frame === undefined) {
      frame = this.#frame(target, `${this.#messageId}\n`);
      this.#shared.set(target.prefix.key, frame);
    }
    return frame;
  }

  #frame(target: MessageTarget, own: string): OutboundFrame {
    const tail = this.#tail(target.version);
    const bytes = Buffer.allocUnsafe(target.prefix.bytes.length + own.length + tail.length);
    bytes.set(target.prefix.bytes, 0);
    // The message-id and ack lines are ASCII: one byte a character.
    const at = target.prefix.bytes.length + bytes.write(own, target.prefix.bytes.length, 'latin1');
    bytes.set(tail, at);
    return { payload: bytes, binary: this.#bytes !== undefined };
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

