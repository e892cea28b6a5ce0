import { invalidArgument } from '../errors.js';
import type { Message } from './Message.js';
import type { SendData, SendOptions } from './types.js';

/** A frame on its way to the client. */
export interface OutboundFrame {
  /** What goes on the wire: text or bytes. */
  readonly payload: string | Buffer;
/** Whether it goes as a binary frame. */
  readonly binary: boolean;
  /** The value a JSON frame was serialised from, so the journal need not parse it back. */
  readonly json?: unknown;
  /** What the journal records when it differs from the payload (an echoed text frame is journaled as its text). */
  readonly journal?: string | Buffer;
  /** On a proxy mock, the upstream's frame this is (journaled as `upstream-in`), for the outbound stages that intercept it. */
  readonly upstream?: Message;
}

/**
 * One text frame for many connections: the text is encoded to UTF-8 once and
 * the bytes are shared by every recipient (no write encodes it again); the
 * journal keeps the text. `json`, when given, is the value the text was
 * serialised from, kept by reference; a kit's fan-out leaves it out, as a read
 * of the journal parses the text back.
 *
 * @beta
 */
export function sharedTextFrame(text: string, json?: unknown): SharedTextFrame {
  const frame = { payload: Buffer.from(text), binary: false as const, journal: text };
  return json === undefined ? frame : { ...frame, json };
}

/**
 * A text frame whose UTF-8 bytes are shared by many connections (see {@link sharedTextFrame}).
 *
 * @beta
 */
export interface SharedTextFrame extends OutboundFrame {
  /** The text's UTF-8 bytes, written as they are to every recipient. */
  readonly payload: Buffer;
  /** Always a text frame. */
  readonly binary: false;
  /** The text, as each recipient's journal records it. */
  readonly journal: string;
}

/** Encodes what `send()` was given into a frame payload. */
export function encodeSendData(data: SendData, options: SendOptions = {}): { payload: string | Buffer; binary: boolean; json?: unknown } {
  if (typeof data === 'string') {
    return options.binary ? { payload: Buffer.from(data), binary: true } : { payload: data, binary: false };
  }
  if (Buffer.isBuffer(data)) return toBytes(data, options);
  if (data instanceof Uint8Array) return toBytes(Buffer.from(data.buffer, data.byteOffset, data.byteLength), options);
  if (data instanceof ArrayBuffer) return toBytes(Buffer.from(data), options);
  if (data === undefined || typeof data === 'function' || typeof data === 'symbol' || typeof data === 'bigint') {
    throw invalidArgument(`send() takes a string, an object (sent as JSON), or bytes; got ${typeof data}`);
  }
  const text = JSON.stringify(data);
  return options.binary ? { payload: Buffer.from(text), binary: true } : { payload: text, binary: false, json: data };
}

function toBytes(buffer: Buffer, options: SendOptions) {
  return options.binary === false ? { payload: buffer.toString('utf8'), binary: false } : { payload: buffer, binary: true };
}
