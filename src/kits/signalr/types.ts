import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../kit/index.js';
import type { Duration } from '../../util/duration.js';

/** A transport the mock serves: `WebSockets` or `LongPolling`. */
export type SignalRTransportName = 'WebSockets' | 'LongPolling';

/** A hub protocol the mock speaks: `json` (text) or `messagepack` (binary). */
export type SignalRProtocolName = 'json' | 'messagepack';

/**
 * A message the mock sends when a client invokes a method, as a hub's
 * `Clients.All.SendAsync(target, args)` would. Strings are templates (see
 * {@link SignalRMethodSpec}).
 */
export interface SignalRSendSpec {
  /** The client method to call (`connection.on(target, …)`). */
  target: string;
  /** Its arguments; default none. */
  args?: unknown[];
  /** Who gets it: `all` (default), `caller` or `others`. Ignored with `group`. */
  to?: 'all' | 'caller' | 'others';
  /** Send to this group's members instead (templated). */
  group?: string;
}

/**
 * What a hub method does, declaratively: at most one of `result`, `error`
 * and `stream`, and any messages to `send`. Strings are templates:
 * `{{arguments.0}}` (the invocation's arguments), `{{target}}`,
 * `{{connectionId}}`, and the variables of every response (`{{uuid}}`,
 * `{{timestamp}}`, …); a string that is one variable and nothing else keeps
 * its type.
 */
export interface SignalRMethodSpec {
  /** What the invocation completes with (default: void). */
  result?: unknown;
  /** Fail the invocation with this message (`HubException`'s message, as the client sees it). */
  error?: string;
  /** Items a streaming invocation (`connection.stream`) receives, then its completion. */
  stream?: unknown[];
  /** Messages the method sends, before the invocation completes. */
  send?: SignalRSendSpec | SignalRSendSpec[];
}

/**
 * A hub method in-process: called with the invocation's arguments, the
 * client's upload streams (async iterables, after the arguments) and last
 * the caller's {@link SignalRConnection}. What it returns (or resolves with)
 * completes the invocation; a throw (or a rejection) fails it with the
 * error's message; an async iterable (an `async function*`) streams its
 * items to a `connection.stream()` call until done or cancelled.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SignalRMethodHandler = (...args: any[]) => unknown;

/**
 * A method of the hub: declarative, `'manual'` (the test answers each
 * invocation from `mock.waitForInvocation()`), or in-process a function.
 */
export type SignalRMethod = SignalRMethodSpec | 'manual';

/** The declarative fields of a SignalR mock: what config files and the admin API carry. */
export interface SignalRMockFields extends WebSocketEndpointFields {
  /**
   * The hub's methods, by name (as the client invokes them, case-sensitive);
   * `*` answers every method not listed. An invocation of a method nothing
   * matches fails with the server's "Method does not exist" error.
   */
  methods?: Record<string, SignalRMethod>;
  /** The transports negotiate offers: `WebSockets` and `LongPolling` (both by default). Server-Sent Events are not served. */
  transports?: SignalRTransportName[];
  /** The hub protocols the mock accepts in the handshake; default both. */
  protocols?: SignalRProtocolName[];
  /** How often the server pings every connection (`{"type":6}`); default `15s`, as ASP.NET Core's `KeepAliveInterval`; `0` never. */
  pingInterval?: Duration;
  /** Largest hub message a client may send, bytes; default 32768, as ASP.NET Core's `MaximumReceiveMessageSize`. */
  maximumReceiveMessageSize?: number;
}

/** A SignalR mock as config files and the admin API write it. */
export type SignalREnvelope = KitEnvelopeOf<'signalr', SignalRMockFields>;

/** What `server.signalr()` takes: the declarative fields, identity, and in-process methods. */
export interface SignalRMockConfig extends Omit<SignalRMockFields, 'methods' | 'subprotocols' | 'handshake'> {
  /** The hub's methods; in-process a method may be a {@link SignalRMethodHandler}. */
  methods?: Record<string, SignalRMethod | SignalRMethodHandler>;
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
