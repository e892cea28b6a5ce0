//
// Pusher Channels protocol 7 on the wire: every frame is a JSON object
// `{ event, channel?, data? }`. In what the server sends, `data` is itself a
// JSON-encoded string (a string given by the test goes as it is, as the
// `pusher` server library's `trigger` does); `pusher:error` and
// `pusher:pong` carry an object, as Pusher sends them. This file parses what
// a client sends, writes what the server sends, and signs.
//
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `pusher:error` codes the mock sends (Pusher's documented ranges:
 * 4000-4099 the client must not reconnect, 4100-4199 it reconnects after a
 * back-off, 4200-4299 at once, 4300-4399 other errors).
 */
export const PusherErrorCode = {
  /** The app key in the URL is not the mock's. */
  APP_NOT_FOUND: 4001,
  /** A subscription whose signature is missing or wrong, a client event on a channel the client is not a member of. */
  UNAUTHORIZED: 4009,
  /** A frame that is not a Pusher event, or an event the server does not know. */
  INVALID_MESSAGE: 4200,
  /** A client event refused: too large, on a public channel, or client events turned off. */
  CLIENT_EVENT_REJECTED: 4301,
} as const;

/** A frame a client sent, as the mock read it. */
export interface PusherInbound {
  readonly event: string;
  readonly channel: string | undefined;
  /** `data` as sent (an object, a string or absent). */
  readonly data: unknown;
}

/** What parsing a client's frame gives: an event, or why it is not one. */
export type ParsedFrame = { readonly kind: 'event'; readonly frame: PusherInbound } | { readonly kind: 'invalid'; readonly reason: string };

/** Channel names Pusher accepts: 1-164 characters of `a-z A-Z 0-9 _ - = @ , . ;`, or a user's own `#server-to-user-{id}`. */
const CHANNEL_NAME = /^(#server-to-user-)?[-a-zA-Z0-9_=@,.;]{1,164}$/;

/** The prefix of the channel a signed-in user gets the server's events to it on. */
export const USER_CHANNEL_PREFIX = '#server-to-user-';

/** Whether `name` is a channel name Pusher accepts. */
export function isChannelName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 164 + USER_CHANNEL_PREFIX.length && CHANNEL_NAME.test(name);
}

/** The rule a channel name breaks, for messages. */
export const CHANNEL_NAME_RULE = '1-164 characters of a-z, A-Z, 0-9, _ - = @ , . ;';

/** Reads one text frame from a client. Never throws. */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'the frame is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'invalid', reason: 'the frame is not a JSON object' };
  const { event, channel, data } = value as Record<string, unknown>;
  if (typeof event !== 'string' || event === '') return { kind: 'invalid', reason: '"event" must be a non-empty string' };
  if (channel !== undefined && typeof channel !== 'string') return { kind: 'invalid', reason: '"channel" must be a string' };
  return { kind: 'event', frame: { event, channel, data } };
}

/**
 * The `data` of a `pusher:` event as an object: pusher-js sends an object,
 * some clients a JSON string of one. Undefined when it is neither.
 */
export function dataObject(data: unknown): Record<string, unknown> | undefined {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `data` as the wire carries it in a server event: a string as it is, anything else JSON-encoded. */
export function encodeData(data: unknown): string {
  return typeof data === 'string' ? data : (JSON.stringify(data ?? null) as string);
}

/** A server event as a frame's value: `{ event, channel?, data }` with `data` JSON-encoded. */
export function serverEvent(event: string, data: unknown, channel?: string): Record<string, unknown> {
  return channel === undefined ? { event, data: encodeData(data) } : { event, channel, data: encodeData(data) };
}

/** A `pusher:error` frame's value; `data` is an object, as Pusher sends it. */
export function errorEvent(code: number | null, message: string, channel?: string): Record<string, unknown> {
  const data = { code, message };
  return channel === undefined ? { event: 'pusher:error', data } : { event: 'pusher:error', channel, data };
}

/** `message` as a close reason: at most 123 bytes of UTF-8, cut at a character boundary. */
export function closeReason(message: string): string {
  if (Buffer.byteLength(message) <= 123) return message;
  let reason = '';
  for (const char of message) {
    if (Buffer.byteLength(reason + char) > 123) break;
    reason += char;
  }
  return reason;
}

/** The kind of a channel, from its prefix. */
export type ChannelKind = 'public' | 'private' | 'presence' | 'encrypted' | 'user';

/** A channel's kind: `presence-…`, `private-encrypted-…`, `private-…`, `#server-to-user-…`, or public. */
export function channelKind(channel: string): ChannelKind {
  if (channel.startsWith(USER_CHANNEL_PREFIX)) return 'user';
  if (channel.startsWith('presence-')) return 'presence';
  if (channel.startsWith('private-encrypted-')) return 'encrypted';
  if (channel.startsWith('private-')) return 'private';
  return 'public';
}

/** Hex HMAC-SHA256 of `text` with `secret`: the signature of Pusher's auth strings. */
export function sign(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** What a channel subscription signs: `socket_id:channel`, then `:channel_data` for presence. */
export function channelAuthText(socketId: string, channel: string, channelData?: string): string {
  return channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
}

/** What a user sign-in signs: `socket_id::user::user_data`. */
export function userAuthText(socketId: string, userData: string): string {
  return `${socketId}::user::${userData}`;
}

/** Whether `auth` is `key:signature` for `text` signed with `secret` (compared in constant time). */
export function verifyAuth(auth: string, key: string, secret: string, text: string): boolean {
  const expected = Buffer.from(`${key}:${sign(secret, text)}`);
  const given = Buffer.from(auth);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
