//
// The MessagePack hub protocol: binary frames, each message a MessagePack
// array prefixed by its length as a varint (7 bits a byte, low bits first,
// at most 5 bytes). Arrays are read into the message values protocol.ts
// checks, and messages written back as arrays:
//   Invocation        [1, headers, invocationId|nil, target, arguments, streamIds]
//   StreamItem        [2, headers, invocationId, item]
//   Completion        [3, headers, invocationId, 1 error | 2 void | 3 result, value?]
//   StreamInvocation  [4, headers, invocationId, target, arguments, streamIds]
//   CancelInvocation  [5, headers, invocationId]
//   Ping              [6]
//   Close             [7, error|nil, allowReconnect]
// `@msgpack/msgpack` is loaded the first time a client asks for the
// protocol, so a server whose clients speak JSON never loads it.
//
import type { HubCodec, HubReader, ReadResult } from './codec.js';
import { checkMessage, MessageType, tooLarge, type HubMessage, type ReadMessage } from './protocol.js';

type MsgPack = typeof import('@msgpack/msgpack');

/** The most bytes of a length prefix: 5 (messages up to 2 GB). */
const MAX_PREFIX = 5;
const VOID = 2;
const RESULT = 3;
const ERROR = 1;

/** Writes `size` as the varint prefix. */
export function lengthPrefix(size: number): Buffer {
  const bytes: number[] = [];
  let rest = size;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

/** Reads a varint prefix at `offset`: its value and length, `incomplete`, or `invalid`. */
export function readPrefix(data: Buffer, offset: number): { size: number; length: number } | 'incomplete' | 'invalid' {
  let size = 0;
  for (let i = 0; i < MAX_PREFIX; i++) {
    if (offset + i >= data.length) return 'incomplete';
    const byte = data[offset + i]!;
    size += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return i === MAX_PREFIX - 1 && byte > 7 ? 'invalid' : { size, length: i + 1 };
  }
  return 'invalid';
}

/** The message value a MessagePack array stands for, for {@link checkMessage}; a reason when it is no message. */
export function valueOfArray(array: unknown): unknown {
  if (!Array.isArray(array) || array.length === 0) return 'Unexpected message format: expected a MessagePack array with the message type first.';
  const [type] = array;
  const at = (i: number) => array[i];
  const need = (count: number, what: string) => (array.length < count ? `Invalid payload for ${what} message.` : undefined);
  switch (type) {
    case MessageType.Invocation:
    case MessageType.StreamInvocation: {
      const short = need(5, type === MessageType.Invocation ? 'Invocation' : 'StreamInvocation');
      if (short) return short;
      return { type, invocationId: at(2) ?? undefined, target: at(3), arguments: at(4), ...(array.length > 5 ? { streamIds: at(5) } : {}) };
    }
    case MessageType.StreamItem:
      return need(4, 'StreamItem') ?? { type, invocationId: at(2), item: at(3) };
    case MessageType.Completion: {
      const short = need(4, 'Completion');
      if (short) return short;
      const kind = at(3);
      if (kind === VOID) return { type, invocationId: at(2) };
      if (kind !== ERROR && kind !== RESULT) return `Invalid invocation result kind: ${String(kind)}.`;
      if (array.length < 5) return 'Invalid payload for Completion message.';
      return kind === ERROR ? { type, invocationId: at(2), error: at(4) } : { type, invocationId: at(2), result: at(4) };
    }
    case MessageType.CancelInvocation:
      return need(3, 'CancelInvocation') ?? { type, invocationId: at(2) };
    case MessageType.Ping:
      return { type };
    case MessageType.Close:
      return need(2, 'Close') ?? { type, error: at(1) ?? undefined, ...(array.length > 2 ? { allowReconnect: at(2) } : {}) };
    case MessageType.Ack:
    case MessageType.Sequence:
      return need(2, type === MessageType.Ack ? 'Ack' : 'Sequence') ?? { type, sequenceId: at(1) };
    default:
      return { type };
  }
}

/** A message as the MessagePack array the protocol writes. */
export function arrayOf(message: HubMessage): unknown[] {
  switch (message.type) {
    case MessageType.Invocation:
    case MessageType.StreamInvocation:
      return [message.type, {}, message.invocationId ?? null, message.target, message.arguments, message.streamIds ?? []];
    case MessageType.StreamItem:
      return [message.type, {}, message.invocationId, message.item];
    case MessageType.Completion:
      if (message.error !== undefined) return [message.type, {}, message.invocationId, ERROR, message.error];
      return message.hasResult ? [message.type, {}, message.invocationId, RESULT, message.result ?? null] : [message.type, {}, message.invocationId, VOID];
    case MessageType.CancelInvocation:
      return [message.type, {}, message.invocationId];
    case MessageType.Ping:
      return [message.type];
    case MessageType.Close:
      return [message.type, message.error ?? null, message.allowReconnect ?? false];
    default:
      return [message.type, message.sequenceId];
  }
}

class MessagePackReader implements HubReader {
  readonly #limit: number;
  readonly #msgpack: MsgPack;
  #tail: Buffer = Buffer.alloc(0);

  constructor(msgpack: MsgPack, limit: number) {
    this.#msgpack = msgpack;
    this.#limit = limit;
  }

  read(data: string | Buffer): ReadResult {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const buffer = this.#tail.length === 0 ? bytes : Buffer.concat([this.#tail, bytes]);
    const messages: ReadMessage[] = [];
    let offset = 0;
    while (offset < buffer.length) {
      const prefix = readPrefix(buffer, offset);
      if (prefix === 'invalid') return { messages, failure: 'Messages over 2GB in size are not supported.' };
      if (prefix !== 'incomplete' && prefix.size > this.#limit) return { messages, failure: tooLarge(this.#limit) };
      if (prefix === 'incomplete' || offset + prefix.length + prefix.size > buffer.length) break;
      const start = offset + prefix.length;
      offset = start + prefix.size;
      let array: unknown;
      try {
        array = this.#msgpack.decode(buffer.subarray(start, offset));
      } catch (err) {
        messages.push({ kind: 'invalid', reason: `Deserializing object of the MessagePack failed: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      const value = valueOfArray(array);
      messages.push(typeof value === 'string' ? { kind: 'invalid', reason: value } : checkMessage(value));
    }
    // Copied, so a held tail keeps no larger frame alive.
    this.#tail = Buffer.from(buffer.subarray(offset));
    if (this.#tail.length > this.#limit + MAX_PREFIX) return { messages, failure: tooLarge(this.#limit) };
    return { messages };
  }
}

let loading: Promise<HubCodec> | undefined;

/** The MessagePack codec, loading `@msgpack/msgpack` on first use. */
export function loadMessagePack(): Promise<HubCodec> {
  loading ??= import('@msgpack/msgpack').then((msgpack): HubCodec => {
    // Ints as numbers, maps with string keys as plain objects: what the JSON protocol hands methods too.
    const encoder = new msgpack.Encoder({ ignoreUndefined: false });
    return {
      name: 'messagepack',
      binary: true,
      encode(message) {
        const body = encoder.encode(arrayOf(message));
        return Buffer.concat([lengthPrefix(body.byteLength), body]);
      },
      reader: (limit) => new MessagePackReader(msgpack, limit),
    };
  });
  return loading;
}
