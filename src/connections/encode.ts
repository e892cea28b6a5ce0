import { invalidArgument } from '../errors.js';
import type { SendData, SendOptions } from './types.js';

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
