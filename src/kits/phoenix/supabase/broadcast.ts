//
// Realtime's broadcasts: a client's `broadcast` push (JSON text, or the
// binary user broadcast of kind 3 realtime-js 2.119 sends on vsn 2.0.0), the
// test's `realtime.broadcast()`, and their fan-out to the channels joined on
// the topic. A JSON broadcast reaches every subscriber as JSON text; a user
// broadcast reaches vsn 2.0.0 subscribers as kind 4 and vsn 1.0.0 ones as
// JSON (a binary payload, which 1.0.0 cannot carry, not at all), as
// Realtime's dispatcher does.
//
import type { PhoenixChannel } from '../PhoenixChannel.js';
import { encode, type EncodedFrame, type PhoenixMessage, type PhoenixVsn } from '../serializer.js';
import type { PhoenixState } from '../state.js';
import { encodeUserBroadcast, type UserPayload } from './userBroadcast.js';

/** The kind of the binary frame realtime-js sends a broadcast as. */
const USER_BROADCAST_PUSH = 3;

/** What a kind-3 frame carried, kept beside the push payload it was decoded into. */
export interface UserBroadcast {
  readonly event: string;
  readonly payload: UserPayload;
}

/** Broadcast payloads decoded from kind-3 frames (what was on the wire, for the fan-out). */
const userBroadcasts = new WeakMap<object, UserBroadcast>();

/** The user broadcast a push payload was decoded from, if it was. */
export function userBroadcastOf(payload: unknown): UserBroadcast | undefined {
  return typeof payload === 'object' && payload !== null ? userBroadcasts.get(payload) : undefined;
}

/**
 * Decodes a kind-3 frame (`kind, join_ref, ref, topic and event sizes,
 * metadata size, encoding, the strings, the user payload`) into the
 * `broadcast` push it stands for: payload `{ type: 'broadcast', event,
 * payload }` (the user payload parsed when JSON, bytes otherwise). Undefined
 * for another kind or a frame that breaks the layout.
 */
export function decodeUserBroadcastPush(bytes: Buffer): PhoenixMessage | undefined {
  if (bytes.length < 7 || bytes[0] !== USER_BROADCAST_PUSH) return undefined;
  const sizes = [bytes[1]!, bytes[2]!, bytes[3]!, bytes[4]!, bytes[5]!];
  const encoding = bytes[6]!;
  if (encoding > 1) return undefined;
  let offset = 7;
  const strings: string[] = [];
  for (const size of sizes) {
    if (offset + size > bytes.length) return undefined;
    strings.push(bytes.toString('utf8', offset, offset + size));
    offset += size;
  }
  const [joinRef, ref, topic, event, metadata] = strings as [string, string, string, string, string];
  const body = bytes.subarray(offset);
  let userPayload: UserPayload;
  let value: unknown;
  try {
    if (metadata !== '') JSON.parse(metadata);
    if (encoding === 1) {
      const json = body.toString('utf8');
      value = JSON.parse(json);
      userPayload = { json };
    } else {
      value = Buffer.from(body);
      userPayload = { binary: value as Buffer };
    }
  } catch {
    return undefined;
  }
  const payload = { type: 'broadcast', event, payload: value };
  userBroadcasts.set(payload, { event, payload: userPayload });
  return { joinRef: joinRef === '' ? null : joinRef, ref: ref === '' ? null : ref, topic, event: 'broadcast', payload };
}

/** The frame of a user broadcast for a subscriber of `vsn`; undefined when that serializer cannot carry it. */
function userFrame(topic: string, user: UserBroadcast, vsn: PhoenixVsn): EncodedFrame | undefined {
  if (vsn === '2.0.0') return { payload: encodeUserBroadcast(topic, user.event, user.payload), binary: true };
  if ('binary' in user.payload) return undefined;
  const payload = { event: user.event, payload: JSON.parse(user.payload.json) as unknown, type: 'broadcast' };
  return encode({ joinRef: null, ref: null, topic, event: 'broadcast', payload }, vsn);
}

/**
 * Sends a broadcast to the channels joined on `topic` (not `from` unless
 * `self`), each frame encoded once per serializer. Returns the recipients.
 */
export function fanOut(phoenix: PhoenixState, topic: string, payload: unknown, options: { from?: PhoenixChannel; self?: boolean } = {}): number {
  const user = userBroadcastOf(payload);
  const except = options.self ? undefined : options.from;
  if (!user) return phoenix.broadcast(topic, 'broadcast', payload, except);
  const frames = new Map<PhoenixVsn, EncodedFrame | undefined>();
  let recipients = 0;
  for (const channel of phoenix.channelsOn(topic)) {
    if (channel === except) continue;
    const session = phoenix.session(channel.connection);
    if (!frames.has(session.vsn)) frames.set(session.vsn, userFrame(topic, user, session.vsn));
    const frame = frames.get(session.vsn);
    if (!frame) continue;
    session.post(frame);
    recipients++;
  }
  return recipients;
}

/** The size Realtime weighs a broadcast by: its user payload's bytes. */
export function broadcastSize(payload: unknown): number {
  const user = userBroadcastOf(payload);
  if (user) return 'json' in user.payload ? Buffer.byteLength(user.payload.json) : user.payload.binary.length;
  return Buffer.byteLength(JSON.stringify(payload) ?? '');
}
