import { KitMock, type Connection } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import type { JsonRpcCall } from './JsonRpcCall.js';
import { assertOutgoing, callFilter, describeFilter, type JsonRpcCallFilter, type JsonRpcConnection, type WaitForCallOptions } from './JsonRpcConnection.js';
import { request } from './protocol.js';
import type { JsonRpcState } from './state.js';
import type { JsonRpcEnvelope, JsonRpcMockConfig } from './types.js';

/**
 * A JSON-RPC 2.0 endpoint over WebSocket, defined with `server.jsonrpc()`:
 * requests, notifications and batches answered from its `methods`, with the
 * specification's errors for everything else. It has the lifecycle of every
 * mock (`update()` closes its clients with 1012, `disable()`, `remove()`).
 *
 * @example
 * ```ts
 * const rpc = server.jsonrpc('/rpc', { methods: {
 *   add: ([a, b]) => a + b,
 *   version: { result: '1.2.0' },
 *   confirm: { manual: true },
 * } });
 * const conn = await rpc.waitForConnection();
 * const call = await conn.waitForCall('confirm');
 * call.respond(true);
 * ```
 */
export class JsonRpcMock extends KitMock<JsonRpcMockConfig, JsonRpcConnection> {
  /** True for a JSON-RPC mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'jsonrpc');
  }

  /** The envelope form used by config files and the admin API (in-process methods are left out). */
  override toJSON(): JsonRpcEnvelope {
    return super.toJSON() as JsonRpcEnvelope;
  }

  /** A connection's {@link JsonRpcConnection}: what `waitForConnection()` resolves with. */
  protected override handleOf(connection: Connection): JsonRpcConnection {
    return this.#state.handle(connection);
  }

  get #state(): JsonRpcState {
    return this.kitState as JsonRpcState;
  }

  /**
   * Every call on this mock, all connections, requests and notifications, in
   * arrival order: with the server's `journal.limit`, the latest that many per
   * connection; with `journal.releaseClosed`, none of closed connections.
   */
  get calls(): JsonRpcCall[] {
    return [...this.#state.calls.all];
  }

  /**
   * Resolves with the next call on any connection of this mock not yet
   * returned by an earlier `waitForCall` on the mock (the connections' own
   * `waitForCall` keep their own place), to `method` when given.
   *
   * @example
   * ```ts
   * const call = await rpc.waitForCall('checkout');
   * call.fail({ code: -32000, message: 'card declined' });
   * ```
   */
  waitForCall(method?: JsonRpcCallFilter, options: WaitForCallOptions = {}): Promise<JsonRpcCall> {
    const filter = callFilter(method);
    return this.#state.calls.next({
      what: `${describeFilter(method)} on mock "${this.id}" (${this.path})`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /** Sends a notification to every open connection of the mock. Like every fan-out, synchronous: returns the number of recipients. */
  notify(method: string, params?: unknown[] | Record<string, unknown>): number {
    assertOutgoing(method, params, 'notify(method, params)');
    return this.broadcastFrames(request(method, params), {});
  }
}
