//
// An inbound frame on its way through the pipeline. Its `Message` is made on
// first read: echo and a proxy's forward send the bytes on and never read it,
// so most frames of those mocks cost no Message at all.
//
import type { Connection } from './Connection.js';
import type { InboundFrame } from './contracts.js';
import { FrameMessage } from './Message.js';

/** A frame from the client, journaled; its `message` is the journal's when given, else made on first read. */
export class ReceivedFrame implements InboundFrame {
  readonly connection: Connection;
  readonly raw: Buffer;
  readonly binary: boolean;
  readonly data: string | Buffer;
  readonly #at: number;
  readonly #seq: number;
  #message: FrameMessage | undefined;

  constructor(connection: Connection, raw: Buffer, binary: boolean, data: string | Buffer, at: number, seq: number, message: FrameMessage | undefined) {
    this.connection = connection;
    this.raw = raw;
    this.binary = binary;
    this.data = data;
    this.#at = at;
    this.#seq = seq;
    this.#message = message;
  }

  /** Equal to the journal's entry (same sequence, time and data); the same object when a wait or a listener may hold it. */
  get message(): FrameMessage {
    return (this.#message ??= new FrameMessage('in', this.connection.id, this.binary, this.data, this.raw.length, undefined, this.#at, this.#seq));
  }
}
