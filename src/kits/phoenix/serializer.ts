//
// Phoenix's two serializers, as the `phoenix` client and Phoenix.Socket speak
// them. vsn 2.0.0: a text frame is `[join_ref, ref, topic, event, payload]`,
// a binary frame a one-byte kind, the lengths of its strings, the strings and
// the payload's bytes (push 0 from the client; push 0, reply 1 and broadcast 2
// from the server). vsn 1.0.0: a text frame is an object
// `{ topic, event, payload, ref, join_ref }`, and there are no binary frames.
//
import { sharedTextFrame, type SharedTextFrame } from '../../kit/index.js';

/** The serializer versions a Phoenix endpoint negotiates from the `vsn` query parameter. */
export type PhoenixVsn = '1.0.0' | '2.0.0';

/** The versions the mock speaks, as Phoenix.Socket's default `serializer` list. */
export const PHOENIX_VSNS: readonly PhoenixVsn[] = ['1.0.0', '2.0.0'];

/** One Phoenix message either way: `payload` is JSON, or bytes for a binary frame. */
export interface PhoenixMessage {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: unknown;
}

/** What decoding a frame gives: the message, or the rule it breaks. */
export type Decoded = { readonly message: PhoenixMessage } | { readonly problem: string };

/** The binary kinds of vsn 2.0.0. */
export const BinaryKind = { push: 0, reply: 1, broadcast: 2 } as const;

/** The event of a reply. */
export const REPLY = 'phx_reply';

/** The vsn a client asked for: absent means 1.0.0, as Phoenix.Socket assumes; undefined when the mock speaks no such version. */
export function vsnOf(query: Readonly<Record<string, string>>): PhoenixVsn | undefined {
  const asked = query.vsn ?? '1.0.0';
  return (PHOENIX_VSNS as readonly string[]).includes(asked) ? (asked as PhoenixVsn) : undefined;
}

function isRef(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

/** The message of decoded fields, or the first rule they break. */
function checked(joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown): Decoded {
  if (typeof topic !== 'string') return { problem: 'topic must be a string' };
  if (typeof event !== 'string') return { problem: 'event must be a string' };
  if (!isRef(joinRef)) return { problem: 'join_ref must be a string or null' };
  if (!isRef(ref)) return { problem: 'ref must be a string or null' };
  return { message: { joinRef, ref, topic, event, payload: payload ?? null } };
}

/** Decodes a text frame. */
export function decodeText(text: string, vsn: PhoenixVsn): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'the frame is not JSON' };
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(value)) return { problem: 'a vsn 2.0.0 frame must be an array [join_ref, ref, topic, event, payload]' };
    // Phoenix matches `[join_ref, ref, topic, event, payload | _]`: five at least.
    if (value.length < 5) return { problem: `a vsn 2.0.0 frame must have 5 elements [join_ref, ref, topic, event, payload], got ${value.length}` };
    const [joinRef, ref, topic, event, payload] = value as unknown[];
    return checked(joinRef, ref, topic, event, payload);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'a vsn 1.0.0 frame must be an object { topic, event, payload, ref }' };
  }
  const { join_ref: joinRef = null, ref = null, topic, event, payload } = value as Record<string, unknown>;
  return checked(joinRef, ref, topic, event, payload);
}

/** Decodes a binary frame of vsn 2.0.0: the client sends only pushes (kind 0). */
export function decodeBinary(bytes: Buffer): Decoded {
  if (bytes.length === 0) return { problem: 'a binary frame must start with its kind' };
  const kind = bytes[0]!;
  if (kind !== BinaryKind.push) return { problem: `a client's binary frame must be a push (kind 0), got kind ${kind}` };
  // kind, then the sizes of join_ref, ref, topic and event, then those strings, then the payload.
  if (bytes.length < 5) return { problem: 'a binary push must hold the sizes of join_ref, ref, topic and event' };
  const sizes = [bytes[1]!, bytes[2]!, bytes[3]!, bytes[4]!];
  let offset = 5;
  const strings: string[] = [];
  for (const size of sizes) {
    if (offset + size > bytes.length) return { problem: 'a binary push is shorter than the sizes in its header' };
    strings.push(bytes.toString('utf8', offset, offset + size));
    offset += size;
  }
  const [joinRef, ref, topic, event] = strings as [string, string, string, string];
  return { message: { joinRef, ref, topic, event, payload: bytes.subarray(offset) } };
}

/** A frame to write: text (with the value it was serialised from) or bytes. */
export type EncodedFrame =
  | { readonly payload: string; readonly binary: false; readonly json: unknown }
  | SharedTextFrame
  | { readonly payload: Buffer; readonly binary: true };

/** A frame written to many connections: a text frame's bytes are made once and shared. */
export function forMany(frame: EncodedFrame): EncodedFrame {
  return typeof frame.payload === 'string' ? sharedTextFrame(frame.payload) : frame;
}

/** Whether a string field fits the one byte of a binary header. */
function fits(...fields: (string | null)[]): boolean {
  return fields.every((field) => Buffer.byteLength(field ?? '') <= 255);
}

function header(kind: number, fields: (string | null)[], body: Buffer): Buffer {
  const parts = fields.map((field) => Buffer.from(field ?? '', 'utf8'));
  return Buffer.concat([Buffer.from([kind, ...parts.map((part) => part.length)]), ...parts, body]);
}

/**
 * The binary frame of a message whose payload (or reply's response) is
 * bytes, as Phoenix's V2 serializer writes it; undefined when one of its
 * strings is over 255 bytes.
 */
function encodeBinary(message: PhoenixMessage): Buffer | undefined {
  const { joinRef, ref, topic, event, payload } = message;
  if (event === REPLY) {
    const { status, response } = payload as { status: string; response: Buffer };
    return fits(joinRef, ref, topic, status) ? header(BinaryKind.reply, [joinRef, ref, topic, status], response) : undefined;
  }
  if (joinRef === null) return fits(topic, event) ? header(BinaryKind.broadcast, [topic, event], payload as Buffer) : undefined;
  return fits(joinRef, topic, event) ? header(BinaryKind.push, [joinRef, topic, event], payload as Buffer) : undefined;
}

/** Whether a message carries bytes (a binary push, or a reply whose response is bytes). */
export function hasBytes(message: PhoenixMessage): boolean {
  if (Buffer.isBuffer(message.payload)) return true;
  return message.event === REPLY && Buffer.isBuffer((message.payload as { response?: unknown } | null)?.response);
}

/**
 * Encodes a message for a client of `vsn`. Bytes go as a binary frame on
 * 2.0.0; vsn 1.0.0 has none, so there (and for a header string over 255
 * bytes) they go base64-encoded in a text frame.
 */
export function encode(message: PhoenixMessage, vsn: PhoenixVsn): EncodedFrame {
  if (hasBytes(message)) {
    const bytes = vsn === '2.0.0' ? encodeBinary(message) : undefined;
    if (bytes) return { payload: bytes, binary: true };
    message = { ...message, payload: base64Payload(message) };
  }
  const { joinRef, ref, topic, event, payload } = message;
  const json = vsn === '2.0.0' ? [joinRef, ref, topic, event, payload] : { topic, event, payload, ref, join_ref: joinRef };
  return { payload: JSON.stringify(json), binary: false, json };
}

function base64Payload(message: PhoenixMessage): unknown {
  if (Buffer.isBuffer(message.payload)) return message.payload.toString('base64');
  const { status, response } = message.payload as { status: string; response: Buffer };
  return { status, response: response.toString('base64') };
}
