//
// Socket.IO v5 packets. A packet is written as text:
//
//   <type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]
//
// Binary values inside the payload leave it as placeholders
// `{ "_placeholder": true, "num": n }`; the bytes follow as `attachments`
// binary frames, in order, right after the text.
//
import { toBuffer } from '../../util/bytes.js';

/** Socket.IO packet types, by their digit on the wire. */
export const IoType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

export type IoPacketType = (typeof IoType)[keyof typeof IoType];

/** One decoded Socket.IO packet, its binary attachments put back in place. */
export interface IoPacket {
  readonly type: IoPacketType;
  readonly nsp: string;
  readonly data?: unknown;
  readonly id?: number;
}

/** Event names the protocol keeps for itself; neither side may emit them. */
export const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

/** The error a packet that does not parse raises; the session that sent it is closed. */
export class IoParseError extends Error {}

function isBinary(value: unknown): value is Buffer | Uint8Array | ArrayBuffer {
  return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

/** Whether `value` holds bytes anywhere: most packets do not, and skip the copy that takes them out. */
function hasBinary(value: unknown): boolean {
  if (isBinary(value)) return true;
  if (Array.isArray(value)) return value.some(hasBinary);
  if (typeof value !== 'object' || value === null || value instanceof Date) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key in value) if (hasBinary((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** Replaces binary values by placeholders, collecting the bytes in order. */
function deconstruct(value: unknown, buffers: Buffer[]): unknown {
  if (isBinary(value)) {
    buffers.push(toBuffer(value));
    return { _placeholder: true, num: buffers.length - 1 };
  }
  if (Array.isArray(value)) return value.map((item) => deconstruct(item, buffers));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = deconstruct(item, buffers);
    return out;
  }
  return value;
}

function reconstruct(value: unknown, buffers: readonly Buffer[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reconstruct(item, buffers));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record._placeholder === true) {
    const num = record.num;
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num >= buffers.length) throw new IoParseError('illegal attachments');
    return buffers[num];
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = reconstruct(item, buffers);
  return out;
}

/** What a packet without bytes carries after its text: nothing, one shared empty list. */
const NO_ATTACHMENTS: readonly Buffer[] = Object.freeze([]);

/** Encodes a packet: the text frame, then the attachments (an EVENT or ACK with bytes becomes BINARY_*). */
export function encodeIoPacket(packet: IoPacket): { text: string; attachments: readonly Buffer[] } {
  let attachments = NO_ATTACHMENTS;
  let data = packet.data;
  if (hasBinary(data)) {
    const buffers: Buffer[] = [];
    data = deconstruct(data, buffers);
    attachments = buffers;
  }
  let type: number = packet.type;
  if (attachments.length > 0 && type === IoType.EVENT) type = IoType.BINARY_EVENT;
  if (attachments.length > 0 && type === IoType.ACK) type = IoType.BINARY_ACK;
  let text = String(type);
  if (type === IoType.BINARY_EVENT || type === IoType.BINARY_ACK) text += `${attachments.length}-`;
  if (packet.nsp !== '/') text += `${packet.nsp},`;
  if (packet.id !== undefined) text += String(packet.id);
  if (data !== undefined) text += JSON.stringify(data);
  return { text, attachments };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the payload has the shape its type requires (as the reference parser checks). */
function validPayload(type: IoPacketType, data: unknown): boolean {
  switch (type) {
    case IoType.CONNECT:
      return data === undefined || isObject(data);
    case IoType.DISCONNECT:
      return data === undefined;
    case IoType.CONNECT_ERROR:
      return typeof data === 'string' || isObject(data);
    case IoType.EVENT:
    case IoType.BINARY_EVENT:
      return (
        Array.isArray(data) &&
        (typeof data[0] === 'number' || (typeof data[0] === 'string' && !RESERVED_EVENTS.has(data[0])))
      );
    default:
      return Array.isArray(data);
  }
}

/** Decodes the text of a packet; `attachments` is how many binary frames follow. */
function decodeText(text: string): { packet: IoPacket; attachments: number } {
  const type = Number(text.charAt(0));
  if (text.length === 0 || !Number.isInteger(type) || type < 0 || type > 6) throw new IoParseError(`unknown packet type ${text.charAt(0)}`);
  let i = 1;
  let attachments = 0;
  if (type === IoType.BINARY_EVENT || type === IoType.BINARY_ACK) {
    const dash = text.indexOf('-', i);
    const count = text.slice(i, dash);
    if (dash === -1 || !/^\d+$/.test(count)) throw new IoParseError('illegal attachments');
    attachments = Number(count);
    i = dash + 1;
  }
  let nsp = '/';
  if (text.charAt(i) === '/') {
    const comma = text.indexOf(',', i);
    const end = comma === -1 ? text.length : comma;
    nsp = text.slice(i, end);
    i = comma === -1 ? end : end + 1;
  }
  const digits = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  const id = i === digits ? undefined : Number(text.slice(digits, i));
  let data: unknown;
  if (i < text.length) {
    try {
      data = JSON.parse(text.slice(i));
    } catch {
      throw new IoParseError('invalid payload');
    }
  }
  if (!validPayload(type as IoPacketType, data)) throw new IoParseError('invalid payload');
  // Fields set one by one: an absent payload or ack id is no key at all, as before, without a spread per packet.
  const packet: { -readonly [K in keyof IoPacket]: IoPacket[K] } = { type: type as IoPacketType, nsp };
  if (data !== undefined) packet.data = data;
  if (id !== undefined) packet.id = id;
  return { packet, attachments };
}

/**
 * Decodes the frames of one session in order: a text frame is a packet, or
 * the start of one whose attachments come as the next binary frames.
 */
export class IoDecoder {
  #pending: { packet: IoPacket; attachments: number; buffers: Buffer[] } | undefined;

  /** Feeds one frame; returns the packet it completes, if any. Throws {@link IoParseError}. */
  add(frame: string | Buffer): IoPacket | undefined {
    if (typeof frame === 'string') {
      if (this.#pending) throw new IoParseError('got plaintext data when reconstructing a packet');
      const { packet, attachments } = decodeText(frame);
      if (attachments === 0) return packet;
      this.#pending = { packet, attachments, buffers: [] };
      return undefined;
    }
    const pending = this.#pending;
    if (!pending) throw new IoParseError('got binary data when not reconstructing a packet');
    pending.buffers.push(frame);
    if (pending.buffers.length < pending.attachments) return undefined;
    this.#pending = undefined;
    const type = pending.packet.type === IoType.BINARY_EVENT ? IoType.EVENT : IoType.ACK;
    return { ...pending.packet, type, data: reconstruct(pending.packet.data, pending.buffers) };
  }
}
