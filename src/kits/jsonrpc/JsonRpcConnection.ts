import { invalidArgument, type CloseInfo, type CloseOptions, type Connection, type ConnectionGroup } from '../../kit/index.js';
import { brand, hasBrand } from '../../util/brand.js';
import { JsonRpcError } from './JsonRpcError.js';
import type { JsonRpcCall } from './JsonRpcCall.js';
import { request, type JsonRpcParams } from './protocol.js';
import type { RpcSession } from './session.js';

/** Which calls `waitForCall` takes: those to a method, those a predicate accepts, or (omitted) any. */
export type JsonRpcCallFilter = string | ((call: JsonRpcCall) => boolean);

/** Options of `waitForCall`. */
export interface WaitForCallOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Options of {@link JsonRpcConnection.call}. */
export interface JsonRpcCallOptions {
  /** How long to wait for the client's answer, in ms on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `method` is a string and `params` an array, an object or absent. */
export function assertOutgoing(method: unknown, params: unknown, what: string): asserts params is JsonRpcParams {
  if (typeof method !== 'string') throw invalidArgument(`${what}: method must be a string, got ${typeof method}`);
  if (params !== undefined && (typeof params !== 'object' || params === null)) {
    throw invalidArgument(`${what}: params must be an array or an object (JSON-RPC 2.0 §4.2), got ${JSON.stringify(params)}`);
  }
}

/** The predicate of a {@link JsonRpcCallFilter}. */
export function callFilter(filter: JsonRpcCallFilter | undefined): ((call: JsonRpcCall) => boolean) | undefined {
  if (filter === undefined || typeof filter === 'function') return filter;
  if (typeof filter !== 'string') throw invalidArgument(`waitForCall(method): method must be a string or a predicate, got ${typeof filter}`);
  return (call) => call.method === filter;
}

/** How a wait names what it waits for: `a call "add"`, `a call matching the predicate`. */
export function describeFilter(filter: JsonRpcCallFilter | undefined): string {
  if (filter === undefined) return 'a call';
  return typeof filter === 'string' ? `a call "${filter}"` : 'a call matching the predicate';
}

/**
 * A client's connection to a JSON-RPC mock, from `mock.waitForConnection()`:
 * the calls it makes, and the server's side of the conversation
 * (notifications and calls to the client).
 *
 * @example
 * ```ts
 * const rpc = await mock.waitForConnection();
 * const call = await rpc.waitForCall('subscribe');
 * call.respond({ ok: true });
 * await rpc.notify('price', { symbol: 'ACME', value: 42 });
 * ```
 */
export class JsonRpcConnection {
  /** The underlying WebSocket connection: journal, counters, `close()`, rooms. */
  readonly connection: Connection;
  readonly #session: RpcSession;
  readonly #group: ConnectionGroup;

  /** @internal Made by the mock, one per connection. */
  constructor(session: RpcSession, group: ConnectionGroup) {
    this.connection = session.connection;
    this.#session = session;
    this.#group = group;
    brand(this, 'jsonrpc-connection');
  }

  /** True for a JSON-RPC connection handle from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'jsonrpc-connection');
  }

  /** The connection's id, e.g. `conn-3`. */
  get id(): string {
    return this.connection.id;
  }

  /**
   * Every call the client made on this connection, requests and
   * notifications, in arrival order; with the server's `journal.limit`, the
   * latest that many.
   */
  get calls(): JsonRpcCall[] {
    return [...this.#session.calls.all];
  }

  /**
   * Sends a notification (`{ jsonrpc: '2.0', method, params }`, no id) to the
   * client. Resolves once written; rejects `WSMOCK_ERR_CONNECTION_CLOSED` when
   * the connection is closed. Like every push to one connection, it returns a promise (fan-out, such as `mock.notify()`, is synchronous and returns the recipient count).
   */
  notify(method: string, params?: unknown[] | Record<string, unknown>): Promise<void> {
    try {
      assertOutgoing(method, params, 'notify(method, params)');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.connection.send(request(method, params));
  }

  /**
   * Calls a method on the client (a request with an id the server chooses)
   * and resolves with the client's result. Rejects with a {@link JsonRpcError}
   * when the client answers with an error, `WSMOCK_ERR_TIMEOUT` when no answer
   * comes within `timeout`, `WSMOCK_ERR_CONNECTION_CLOSED` when the connection closes.
   *
   * @example
   * ```ts
   * const answer = await rpc.call('confirm', { text: 'Delete?' }, { timeout: 1000 });
   * ```
   */
  async call(method: string, params?: unknown[] | Record<string, unknown>, options: JsonRpcCallOptions = {}): Promise<unknown> {
    assertOutgoing(method, params, 'call(method, params)');
    const session = this.#session;
    const closed = session.closedError(`call "${method}"`);
    if (closed) throw closed;
    const id = session.expectAnswer();
    try {
      await this.connection.send(request(method, params, id));
      const outcome = await this.#group.wait({
        find: () => session.takeAnswer(id),
        waiters: session.answerWaiters,
        what: `the answer of ${this.id} to the call "${method}" (id ${id})`,
        seen: () => 'No answer with that id arrived.',
        failure: () => session.closedError(`await the answer to "${method}"`),
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      });
      if ('error' in outcome) throw new JsonRpcError(outcome.error.code, outcome.error.message, outcome.error.data);
      return outcome.result;
    } finally {
      session.forget(id);
    }
  }

  /**
   * Resolves with the next call on this connection not yet returned by an
   * earlier `waitForCall` on this handle (including calls that came before),
   * to `method` when given. Calls to other methods stay for later waits.
   * Rejects `WSMOCK_ERR_TIMEOUT` (saying what arrived instead) or
   * `WSMOCK_ERR_CONNECTION_CLOSED` once the connection closed with nothing matching.
   */
  waitForCall(method?: JsonRpcCallFilter, options: WaitForCallOptions = {}): Promise<JsonRpcCall> {
    const session = this.#session;
    const filter = callFilter(method);
    return session.calls.next({
      what: `${describeFilter(method)} on ${this.id}`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => session.closedError('waitForCall'),
    });
  }

  /** Closes the connection (default code 1000); see `Connection.close`. Like every push to one connection, it returns a promise. */
  close(options?: CloseOptions): Promise<CloseInfo> {
    return this.connection.close(options);
  }
}
