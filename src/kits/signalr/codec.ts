//
// A hub protocol as the connection uses it once the handshake picked it: how
// a message is written, and a reader per connection that cuts what arrives
// into messages. A message may span WebSocket frames and a frame may hold
// several, so the reader keeps the unfinished tail, bounded by the mock's
// message size limit. The JSON protocol lives here; MessagePack in
// msgpack.ts, loaded when a client first asks for it.
//
import { checkMessage, encodeJson, RS, tooLarge, type HubMessage, type ReadMessage } from './protocol.js';

/** What a reader made of one frame: the messages it completed, and why the connection must end, if it must. */
export interface ReadResult {
  readonly messages: ReadMessage[];
  /** The frame broke the protocol past recovery (a message over the limit, bytes that frame no message). */
  readonly failure?: string;
}

/** Cuts one connection's frames into hub messages. */
export interface HubReader {
  read(data: string | Buffer): ReadResult;
}

/** A hub protocol: its name in the handshake, its frames, its encoder and readers. */
export interface HubCodec {
  /** The handshake's `protocol`. */
  readonly name: 'json' | 'messagepack';
  /** Whether its frames are binary. */
  readonly binary: boolean;
  /** One message as it goes on the wire (framing included). */
  encode(message: HubMessage): string | Buffer;
  /** A reader for one connection; `limit` bounds one message, and the tail held between frames. */
  reader(limit: number): HubReader;
}

class JsonReader implements HubReader {
  readonly #limit: number;
  #tail = '';

  constructor(limit: number) {
    this.#limit = limit;
  }

  read(data: string | Buffer): ReadResult {
    const text = this.#tail + (typeof data === 'string' ? data : data.toString('utf8'));
    const parts = text.split(RS);
    this.#tail = parts.pop()!;
    if (Buffer.byteLength(this.#tail) > this.#limit) return { messages: [], failure: tooLarge(this.#limit) };
    const messages: ReadMessage[] = [];
    for (const part of parts) {
      if (Buffer.byteLength(part) > this.#limit) return { messages, failure: tooLarge(this.#limit) };
      let value: unknown;
      try {
        value = JSON.parse(part);
      } catch {
        messages.push({ kind: 'invalid', reason: 'Error reading JSON.' });
        continue;
      }
      messages.push(checkMessage(value));
    }
    return { messages };
  }
}

/** The JSON hub protocol: text frames, each message a JSON object and a record separator. */
export const jsonCodec: HubCodec = {
  name: 'json',
  binary: false,
  encode: encodeJson,
  reader: (limit) => new JsonReader(limit),
};
