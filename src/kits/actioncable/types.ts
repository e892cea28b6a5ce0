import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../kit/index.js';
import type { Duration } from '../../util/duration.js';
import type { ActionCableSubscription } from './ActionCableSubscription.js';

/**
 * What an action of a channel does when a client performs it: exactly one of
 * `broadcast` and `transmit`. Strings are
 * templates: `{{params.room}}` (the subscription's params), `{{data.text}}`
 * (what the client sent with the action), `{{action}}`, `{{channel}}`, and the
 * variables of every response (`{{connection.id}}`, `{{uuid}}`, …). A string
 * that is one variable and nothing else keeps its type.
 */
export interface ActionCableActionSpec {
  /** Broadcast `message` to every subscription streaming from `stream` (the performing one included, as Rails does). */
  broadcast?: {
    /** The stream to broadcast to (templated). */
    stream: string;
    /** The message every subscription streaming from it receives (templated). */
    message: unknown;
  };
  /** Send this message to the performing subscription alone. */
  transmit?: unknown;
}

/**
 * How a channel answers a subscribe: `confirm` (the default) or `reject` at
 * once, or `manual`: the subscription waits for the test's
 * `confirm()` or `reject()` (`mock.waitForSubscription()`).
 */
export type ActionCableSubscribeMode = 'confirm' | 'reject' | 'manual';

/** A channel the mock serves, as the server's channel class would. */
export interface ActionCableChannelSpec {
  /** How a subscribe is answered; default `confirm`. */
  subscribe?: ActionCableSubscribeMode;
  /** Streams a confirmed subscription streams from (templates over `{{params.…}}`): `chat_{{params.room}}`. */
  streamFrom?: string | string[];
  /** What the channel's actions do, by name; an action not listed is only recorded (Rails logs it). */
  actions?: Record<string, ActionCableActionSpec>;
}

/** The declarative fields of an ActionCable mock: what config files and the admin API carry. */
export interface ActionCableMockFields extends WebSocketEndpointFields {
  /**
   * The channels, by class name (`ChatChannel`); `*` answers every channel
   * not listed. Without `channels`, every channel is confirmed. A subscribe
   * to a channel nothing matches gets no answer, as Rails does for a channel
   * class it does not find (the client retries every 0.5 s; `mock.ignored`
   * says why): list `'*': { subscribe: 'reject' }` to reject it instead.
   */
  channels?: Record<string, ActionCableChannelSpec>;
  /** How often the server pings every connection (`{"type":"ping"}`); default `3s`, as Rails; `0` never. */
  pingInterval?: Duration;
}

/**
 * An in-process action: runs when a client performs it, with what the client
 * sent and the subscription. What it returns (or resolves with), unless
 * `undefined`, is transmitted to the subscription; a throw (or a rejection)
 * is reported on `server.on('error')`, as a failing channel action is logged
 * by Rails, and the connection goes on.
 */
export type ActionCableActionHandler = (data: Record<string, unknown>, subscription: ActionCableSubscription) => unknown;

/** A channel in-process: its actions may be {@link ActionCableActionHandler} functions. */
export interface ActionCableChannelConfig extends Omit<ActionCableChannelSpec, 'actions'> {
  /** What the channel's actions do, by name: a declarative answer or a function. */
  actions?: Record<string, ActionCableActionSpec | ActionCableActionHandler>;
}

/** An ActionCable mock as config files and the admin API write it. */
export type ActionCableEnvelope = KitEnvelopeOf<'actioncable', ActionCableMockFields>;

/** What `server.actioncable()` takes: the declarative fields, identity, and the in-process hooks. */
export interface ActionCableMockConfig extends Omit<ActionCableMockFields, 'channels' | 'subprotocols' | 'handshake'> {
  /** The channels, by class name (`*` for every other); see {@link ActionCableMockFields.channels}. In-process, an action may be a function. */
  channels?: Record<string, ActionCableChannelConfig>;
  /** Subprotocols the mock accepts (default `actioncable-v1-json`, `actioncable-unsupported`), or a function choosing one per handshake. */
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
