//
// The GraphQL mock: `server.graphql()`, envelope `type: graphql`.
//
import { ConnectionArrivals } from '../../connections/ConnectionArrivals.js';
import { compileMock } from '../../mocks/compile.js';
import { Mock, stateOf, type MockKind } from '../../mocks/Mock.js';
import { assemble } from '../../pipeline/pipeline.js';
import { parseDuration } from '../../util/duration.js';
import type { GraphQLConnection } from './GraphQLConnection.js';
import { nextJson, type GraphQLOperation } from './GraphQLOperation.js';
import type { CompiledOperation } from './handlers.js';
import { GRAPHQL_SUBPROTOCOLS, isObject, toResult } from './protocol.js';
import { compileSpec } from './results.js';
import { graphqlFields, validateGraphQLConfig } from './schema.js';
import type { CompiledGraphQL, GraphQLState, InitDecision } from './session.js';
import { graphqlStage } from './stage.js';
import type { ConnectionInitSpec } from './fields.js';
import type { GraphQLMockConfig } from './types.js';
import { isMockOfType } from '../../util/brand.js';

/** graphql-ws's default: 3 seconds to send `connection_init`. */
const DEFAULT_INIT_TIMEOUT = 3_000;

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
export class GraphQLMock extends Mock<GraphQLMockConfig> {
  /** True for a GraphQL mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'graphql');
  }

  /**
   * Resolves with the next client that sent `connection_init` not yet returned
   * by an earlier call, including those that came before the call (not those
   * the server released: `journal.releaseClosed`).
   */
  waitForConnection(options: WaitForGraphQLConnectionOptions = {}): Promise<GraphQLConnection> {
    return stateOf<GraphQLState>(this).connections.all.next({
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
    return stateOf<GraphQLState>(this).operations.all.next({
      what: `an operation${operationName === undefined ? '' : ` named "${operationName}"`} on mock "${this.id}" (${this.path})`,
      ...(operationName !== undefined ? { filter: (op: GraphQLOperation) => op.operationName === operationName } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /** Every operation still running on this mock, in the order they started. */
  get operations(): GraphQLOperation[] {
    return [...stateOf<GraphQLState>(this).active];
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
    for (const operation of [...stateOf<GraphQLState>(this).active]) {
      if (operation.operationName === operationName && nextJson(operation, payload)) sent++;
    }
    return sent;
  }
}

/** The declarative `connectionInit` as a decision per payload. */
function initFromSpec(spec: boolean | ConnectionInitSpec | undefined): (payload: Record<string, unknown> | undefined) => InitDecision {
  if (spec === undefined || spec === true) return () => true;
  if (spec === false) return () => false;
  const { require = [], values = {}, ackPayload } = spec;
  const expected = Object.entries(values).map(([key, value]) => [key, JSON.stringify(value)] as const);
  return (payload) => {
    const given = payload ?? {};
    if (require.some((key) => given[key] === undefined || given[key] === null)) return false;
    if (expected.some(([key, json]) => JSON.stringify(given[key]) !== json)) return false;
    return ackPayload ?? true;
  };
}

function compileGraphQL(config: GraphQLMockConfig): CompiledGraphQL {
  const { connectionInit } = config;
  const init =
    typeof connectionInit === 'function'
      ? (payload: Record<string, unknown> | undefined) => {
          const decision = connectionInit(payload);
          const settle = (d: unknown): InitDecision => (d === false ? false : isObject(d) ? d : true);
          return decision instanceof Promise ? decision.then(settle) : settle(decision);
        }
      : initFromSpec(connectionInit);
  const operations = new Map<string, CompiledOperation>();
  for (const [name, entry] of Object.entries(config.operations ?? {})) {
    operations.set(name, typeof entry === 'function' ? entry : compileSpec(entry));
  }
  return {
    init,
    operations,
    keepAlive: parseDuration(config.keepAlive) ?? 0,
    initTimeout: parseDuration(config.connectionInitWaitTimeout) ?? DEFAULT_INIT_TIMEOUT,
  };
}

/** The envelope fields: the config without identity and in-process functions. */
function graphqlFieldsOf(config: GraphQLMockConfig): Record<string, unknown> {
  const { id: _id, name: _name, enabled: _enabled, connectionInit, operations, ...rest } = config;
  const fields: Record<string, unknown> = { ...rest };
  if (connectionInit !== undefined && typeof connectionInit !== 'function') fields.connectionInit = connectionInit;
  if (operations) {
    const declarative = Object.entries(operations).filter(([, entry]) => typeof entry !== 'function');
    if (declarative.length > 0) fields.operations = Object.fromEntries(declarative);
  }
  return fields;
}

/** The GraphQL mock kind: `server.graphql()`, envelope `type: graphql`. */
export const graphqlKind: MockKind<GraphQLMockConfig, GraphQLMock, GraphQLState> = {
  type: 'graphql',
  defaultPath: '/graphql',
  carrier: 'websocket',
  declarative: graphqlFields,
  validate: validateGraphQLConfig,
  state: (group) => ({
    group,
    connections: new ConnectionArrivals<GraphQLConnection>(group, (c) => `${c.id} (${c.protocol})`),
    operations: new ConnectionArrivals<GraphQLOperation>(group, (op) => op.toString()),
    active: new Set(),
  }),
  compile: (id, config, state, host) => {
    const socket = compileMock(
      id,
      {
        path: config.path,
        subprotocols: [...GRAPHQL_SUBPROTOCOLS],
        ...(config.maxConnections !== undefined ? { maxConnections: config.maxConnections } : {}),
        ...(config.maxMessageSize !== undefined ? { maxMessageSize: config.maxMessageSize } : {}),
      },
      host,
    );
    const pipeline = assemble([graphqlStage(compileGraphQL(config), state, host)], host);
    return { ...socket, runtime: { ...socket.runtime, pipeline } };
  },
  fields: graphqlFieldsOf,
  create: (init) => new GraphQLMock(init),
};
