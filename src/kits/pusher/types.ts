import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../kit/index.js';

/** A member of a presence channel, as Pusher's presence data names it. */
export interface PusherMember {
  /** The user's id (in a subscription's channel_data a number is read as its string). */
  user_id: string;
  /** What the backend tells the channel about the user. */
  user_info?: unknown;
}

/** How a channel refuses subscriptions: `pusher:error` with this code (default 4009) and message. */
export interface PusherRefusal {
  /** Default 4009. */
  code?: number;
  /** Default `Subscription to "<channel>" refused by the mock`. */
  message?: string;
}

/**
 * What the mock sends when a member of the channel triggers a client event:
 * the event `event` on the same channel, its `data` JSON-encoded, to the
 * sender (default), to the channel's other members, or to every member.
 */
export interface PusherReply {
  /** The event the mock sends (any name: a backend answers with its own events). */
  event: string;
  /** Its data (default the client event's own data). */
  data?: unknown;
  /** Who gets it: `sender` (default), `others` or `channel`. */
  to?: 'sender' | 'others' | 'channel';
}

/** What the mock does on the channels whose name matches a pattern (`*` matches any run of characters). */
export interface PusherChannelSpec {
  /** Refuse every subscription (`true`: 4009), or with this code and message. The auth endpoint refuses too (403). */
  refuse?: boolean | PusherRefusal;
  /** Members always present on a presence channel (other users, as a backend would have them). */
  members?: PusherMember[];
  /** Client events answered by the mock, by event name (`client-…`). */
  replies?: Record<string, PusherReply>;
}

/** The declarative fields of a Pusher mock: what config files and the admin API carry. */
export interface PusherMockFields extends WebSocketEndpointFields {
  /** `/app/:key` when left out: what pusher-js opens (`wsPath` prefixes it). The `:key` segment is checked against `key`. */
  path: string;
  /** The app key clients connect with (`new Pusher(key, …)`); another key gets `pusher:error` 4001 and a close. */
  key: string;
  /** The app secret: when set, subscriptions to private and presence channels and sign-ins are checked against it. */
  secret?: string;
  /** The app id, for a `pusher` server library pointed at the mock (informational). */
  appId?: string;
  /** The cluster clients are configured with (informational: the mock serves every cluster). */
  cluster?: string;
  /** Seconds of silence after which a client should ping (`activity_timeout`); default 120, as Pusher. */
  activityTimeout?: number;
  /** Largest client event `data`, in bytes (JSON-encoded); default 10240 (10 KB, as Pusher). */
  maxEventSize?: number;
  /** Whether members of private and presence channels may trigger `client-` events; default true. */
  clientEvents?: boolean;
  /** Per channel pattern: refusals, presence members, replies to client events. The first pattern that matches wins. */
  channels?: Record<string, PusherChannelSpec>;
}

/** A request to the mock's auth endpoint (`mock.authUrl`), as `authorize` sees it. */
export interface PusherAuthRequest {
  /** The connection's `socket_id`. */
  socketId: string;
  /** The channel (absent for a user authentication). */
  channel?: string;
  /** Every form field the client posted (`auth.params` of pusher-js included). */
  params: Record<string, string>;
}

/**
 * Decides an auth request in-process: `false` refuses it (403), `true` signs
 * it, a member signs a presence subscription as that user (or a sign-in with
 * `user_id` as the user's `id`).
 */
export type PusherAuthorize = (request: PusherAuthRequest) => boolean | PusherMember | Promise<boolean | PusherMember>;

/** A Pusher mock as config files and the admin API write it. */
export type PusherEnvelope = KitEnvelopeOf<'pusher', PusherMockFields>;

/** What `server.mocks.add(pusherKit, …)` takes: the declarative fields, identity, and in-process hooks. */
export interface PusherMockConfig extends Omit<PusherMockFields, 'subprotocols' | 'handshake'> {
  /** Decides the mock's auth endpoint's answers; default: sign everything not refused by `channels`. */
  authorize?: PusherAuthorize;
  /** Subprotocols the mock accepts, or a function choosing one per handshake. */
  subprotocols?: string[] | SubprotocolSelector;
  /** Control of the upgrade, with the in-process `verify`. */
  handshake?: HandshakeHooks;
  /** Stable id (default: generated). Unique per server. */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. A disabled mock refuses handshakes with 503. */
  enabled?: boolean;
}
