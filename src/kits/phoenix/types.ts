import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../kit/index.js';
import type { Duration } from '../../util/duration.js';
import type { PhoenixChannel } from './PhoenixChannel.js';
import type { PhoenixPush } from './PhoenixPush.js';

/**
 * A reply to a client's push or join: `phx_reply` with `{ status, response }`.
 * Strings inside `response` are templates: `{{payload.x}}` (what the client
 * sent), `{{topic}}`, `{{event}}`, `{{socket.params.x}}` and the variables of
 * WebSocket responses (`{{connection.id}}`, `{{uuid}}`, …); a string that is
 * one variable alone keeps its type.
 */
export interface PhoenixReplySpec {
  /** `ok`, `error`, or any status the app's `handle_in` answers with. */
  status: string;
  /** The reply's response (default `{}`). */
  response?: unknown;
}

/** How a channel answers joins: at once with a status (and response), or `manual` (the test calls `ok()` or `error()`). */
export type PhoenixJoinSpec =
  | {
      /** `ok` joins, `error` refuses. */
      status: 'ok' | 'error';
      /** The join reply's response (default `{}`; templated). */
      response?: unknown;
    }
  | 'manual';

/** What the mock does with one event a client pushes on a channel. */
export interface PhoenixEventSpec {
  /** The reply (as `handle_in` returning `{:reply, {status, response}, socket}`); without it, none: the client's push times out. */
  reply?: PhoenixReplySpec;
  /** Also broadcast the event and its payload to every channel joined on the topic, the sender's included (`broadcast!/3`). */
  broadcast?: boolean;
}

/** A channel route: how joins of matching topics are answered and what their events do. */
export interface PhoenixChannelSpec {
  /** Default `{ status: 'ok' }`. */
  join?: PhoenixJoinSpec;
  /** By event name. A pushed event the list lacks waits for the test's `reply()` (`waitForPush`). */
  events?: Record<string, PhoenixEventSpec>;
}

/** The long-poll transport's timings. */
export interface PhoenixLongPollConfig {
  /** How long a poll is held with nothing to send before it is answered 204 (Phoenix: `window_ms`, 10 s). */
  window?: Duration;
  /** A session no poll reaches for this long ends (Phoenix: 20 s). */
  timeout?: Duration;
}

/** The declarative fields of a Phoenix mock: what config files and the admin API carry. */
export interface PhoenixMockFields extends WebSocketEndpointFields {
  /**
   * Channel routes by topic pattern (`room:lobby`, `room:*`; `*` matches any
   * text). A join to a topic no pattern matches is refused with
   * `{ reason: "unmatched topic" }`, as Phoenix does. Without `channels`, every topic
   * is joined.
   */
  channels?: Record<string, PhoenixChannelSpec>;
  /** The long-poll transport at `{path}/longpoll`: on (default) with Phoenix's timings, `false` for off, or other timings. */
  longpoll?: boolean | PhoenixLongPollConfig;
}

/** A Phoenix mock as config files and the admin API write it. */
export type PhoenixEnvelope = KitEnvelopeOf<'phoenix', PhoenixMockFields>;

/**
 * An in-process event handler: return the reply (or a promise of it), or
 * nothing to leave the push for the test (`waitForPush()` and `reply()`).
 */
export type PhoenixEventHandler = (push: PhoenixPush, channel: PhoenixChannel) => PhoenixReplySpec | undefined | void | Promise<PhoenixReplySpec | undefined | void>;

/** An in-process join decision: what {@link PhoenixJoinSpec} says, chosen per join. */
export type PhoenixJoinHandler = (channel: PhoenixChannel) => PhoenixJoinSpec;

/** A channel route in-process: the join and each event may be a function. */
export interface PhoenixChannelConfig {
  /** Default `{ status: 'ok' }`. */
  join?: PhoenixJoinSpec | PhoenixJoinHandler;
  /** By event name. */
  events?: Record<string, PhoenixEventSpec | PhoenixEventHandler>;
}

/** What `server.phoenix()` takes: the declarative fields, identity, and in-process handlers. */
export interface PhoenixMockConfig extends Omit<PhoenixMockFields, 'channels' | 'subprotocols' | 'handshake'> {
  /** Channel routes by topic pattern; see {@link PhoenixMockFields.channels}. */
  channels?: Record<string, PhoenixChannelConfig>;
  /** Subprotocols the mock accepts (default `phoenix`, which the client offers with an auth token), or a function choosing one per handshake. */
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
