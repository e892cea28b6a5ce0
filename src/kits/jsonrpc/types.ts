import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../kit/index.js';
import type { Duration } from '../../util/duration.js';
import type { JsonRpcErrorObject } from './protocol.js';
import type { JsonRpcCall } from './JsonRpcCall.js';
import type { JsonRpcConnection } from './JsonRpcConnection.js';
import type { JsonRpcParams } from './protocol.js';

/**
 * A method answered by the mock's config. Exactly one of `result`, `error`
 * and `manual`. Strings inside `result` and `error` are templates: `{{params.x}}`,
 * `{{params[0]}}`, `{{method}}`, `{{id}}` and the variables of WebSocket
 * responses (`{{connection.id}}`, `{{uuid}}`, …). A string that is one
 * variable and nothing else keeps the variable's type: `"{{params.a}}"` sends
 * the number 3 when `a` is 3.
 */
export interface JsonRpcMethodSpec {
  /** The result to answer with (any JSON value; templated strings). */
  result?: unknown;
  /** The error to answer with: `{ code, message, data? }`. */
  error?: JsonRpcErrorObject;
  /** The test answers: the call waits for `waitForCall()` and its `respond()` or `fail()`. */
  manual?: boolean;
  /** Wait this long before answering. */
  delay?: Duration;
}

/** What a client calling a method the mock does not list gets. */
export type UnknownMethods = 'error' | 'wait';

/** The declarative fields of a JSON-RPC mock: what config files and the admin API carry. */
export interface JsonRpcMockFields extends WebSocketEndpointFields {
  /** The methods, by name. */
  methods?: Record<string, JsonRpcMethodSpec>;
  /**
   * A call to a method not in `methods`: `error` (default) answers -32601
   * "Method not found" at once; `wait` holds it for the test, like a
   * `manual` method. Notifications are never answered either way.
   */
  unknownMethods?: UnknownMethods;
}

/** A JSON-RPC mock as config files and the admin API write it. */
export type JsonRpcEnvelope = KitEnvelopeOf<'jsonrpc', JsonRpcMockFields>;

/**
 * An in-process method: return the result (or a promise of it); throw a
 * {@link JsonRpcError} to answer with its code, any other error to answer
 * -32603 with its message (an error with an integer `code` keeps that code).
 * For a notification the return value is ignored.
 */
export type JsonRpcHandler = (
  /**
   * The params as the client sent them: an array, an object or `undefined`
   * ({@link JsonRpcParams}). Typed `any` so a handler can name the shape it
   * expects (`([a, b]: number[]) => a + b`); checking it is the handler's job.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  params: any,
  call: JsonRpcCall,
  connection: JsonRpcConnection,
) => unknown;

/** What `server.jsonrpc()` takes: the declarative fields, identity, and in-process methods and hooks. */
export interface JsonRpcMockConfig extends Omit<JsonRpcMockFields, 'methods' | 'subprotocols' | 'handshake'> {
  /** The methods, by name: a {@link JsonRpcMethodSpec} or, in-process, a {@link JsonRpcHandler}. */
  methods?: Record<string, JsonRpcMethodSpec | JsonRpcHandler>;
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
