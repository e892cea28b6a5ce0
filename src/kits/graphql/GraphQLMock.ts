//
// The GraphQL mock's handle (`server.graphql()`); the kit itself (schema,
// stage, endpoint fields) is in kit.ts.
//
import { KitMock } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import type { GraphQLConnection } from './GraphQLConnection.js';
import type { GraphQLOperation } from './GraphQLOperation.js';
import { toResult } from './protocol.js';
import type { GraphQLState } from './session.js';
import type { GraphQLMockConfig } from './types.js';

/** Options of {@link GraphQLMock.waitForOperation}. */
export interface WaitForOperationOptions {
  /** Only operations with this name. */
  operationName?: string;
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Options of {@link GraphQLMock.waitForConnection}. */
export interface WaitForGraphQLConnectionOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/**
 * A GraphQL over WebSocket endpoint: graphql-ws's `graphql-transport-ws` and
 * the legacy `graphql-ws` of subscriptions-transport-ws, chosen by the
 * subprotocol the client offers. Operations are answered by `operations` in
 * the config, or by the test through {@link GraphQLMock.waitForOperation}.
 *
 * @example
 * ```ts
 * const gql = server.graphql('/graphql', { operations: { GetUser: { data: { user: { id: '1' } } } } });
 * const client = createClient({ url: gql.url, webSocketImpl: WebSocket });
 * client.subscribe({ query: 'subscription OnPrice { price }' }, sink);
 * const op = await gql.waitForOperation({ operationName: 'OnPrice' });
 * await op.next({ price: 1 });
 * ```
 */
export class GraphQLMock extends KitMock<GraphQLMockConfig, GraphQLConnection> {
  /** True for a GraphQL mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'graphql');
  }

  /**
   * Resolves with the next client that sent `connection_init` not yet returned
   * by an earlier call, including those that came before the call (not those
   * the server released: `journal.releaseClosed`).
   */
  override waitForConnection(options: WaitForGraphQLConnectionOptions = {}): Promise<GraphQLConnection> {
    return this.#state.connections.all.next({
      what: `a GraphQL connection_init on mock "${this.id}" (${this.path})`,
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /**
   * Resolves with the next operation (`subscribe`, legacy `start`) not yet
   * returned by an earlier call, including those that came before the call
   * (not those of connections the server released: `journal.releaseClosed`;
   * beyond `journal.limit` per connection, the oldest are dropped); with
   * `operationName`, the next one of that name.
   *
   * @example
   * ```ts
   * const op = await gql.waitForOperation({ operationName: 'OnPrice' });
   * expect(op.variables).toEqual({ symbol: 'ACME' });
   * ```
   */
  waitForOperation(options: WaitForOperationOptions = {}): Promise<GraphQLOperation> {
    const { operationName } = options;
    return this.#state.operations.all.next({
      what: `an operation${operationName === undefined ? '' : ` named "${operationName}"`} on mock "${this.id}" (${this.path})`,
      ...(operationName !== undefined ? { filter: (op: GraphQLOperation) => op.operationName === operationName } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /** Every operation still running on this mock, in the order they started. */
  get operations(): GraphQLOperation[] {
    return [...this.#state.active].map((run) => run.handle);
  }

  /**
   * Sends one result to every running operation named `operationName` (a
   * pub/sub publish; the payload is serialised once). Like every fan-out,
   * synchronous: returns how many got it.
   *
   * @example
   * ```ts
   * gql.publish('OnPrice', { price: 42 });
   * ```
   */
  publish(operationName: string, result: unknown): number {
    const payload = JSON.stringify(toResult(result));
    let sent = 0;
    for (const run of [...this.#state.active]) {
      if (run.handle.operationName === operationName && run.nextJson(payload)) sent++;
    }
    return sent;
  }

  get #state(): GraphQLState {
    return this.kitState as GraphQLState;
  }
}
