import type { HandshakeHooks, JsonRpcMethodSpec, JsonRpcMockFields, SubprotocolSelector } from '../../mocks/types.js';
import type { JsonRpcCall } from './JsonRpcCall.js';
import type { JsonRpcConnection } from './JsonRpcConnection.js';
import type { JsonRpcParams } from './protocol.js';

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
