//
// The GraphQL over WebSocket kit (`server.graphql()`, envelope `type:
// graphql`), written on the public seam: one stage that runs each socket's
// session, both subprotocols offered, and of the WebSocket endpoint fields
// only `maxConnections` and `maxMessageSize`.
//
import { ConnectionArrivals, defineKit, type Kit } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import type { ConnectionInitSpec } from './fields.js';
import type { GraphQLConnection } from './GraphQLConnection.js';
import { GraphQLMock } from './GraphQLMock.js';
import type { GraphQLOperation } from './GraphQLOperation.js';
import type { CompiledOperation } from './handlers.js';
import { GRAPHQL_SUBPROTOCOLS, isObject } from './protocol.js';
import { compileSpec } from './results.js';
import { GRAPHQL_ENDPOINT_FIELDS, graphqlInProcess, graphqlSchema } from './schema.js';
import type { CompiledGraphQL, GraphQLState, InitDecision } from './session.js';
import { graphqlStage } from './stage.js';
import type { GraphQLMockConfig } from './types.js';

/** graphql-ws's default: 3 seconds to send `connection_init`. */
const DEFAULT_INIT_TIMEOUT = 3_000;

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

/** The GraphQL kit: `server.graphql()`, `server.mocks.add(graphqlKit, config)`, envelope `type: graphql`. */
export const graphqlKit: Kit<'graphql', GraphQLMockConfig, GraphQLMock, GraphQLConnection> = defineKit({
  type: 'graphql',
  title: 'GraphQL',
  defaultPath: '/graphql',
  schema: graphqlSchema,
  inProcess: graphqlInProcess,
  subprotocols: GRAPHQL_SUBPROTOCOLS,
  endpoint: GRAPHQL_ENDPOINT_FIELDS,
  state: ({ group }): GraphQLState => ({
    group,
    connections: new ConnectionArrivals<GraphQLConnection>(group, (c) => `${c.id} (${c.protocol})`),
    operations: new ConnectionArrivals<GraphQLOperation>(group, (op) => op.toString()),
    active: new Set(),
  }),
  stages: ({ config, state, host }) => [graphqlStage(compileGraphQL(config), state, host)],
  fields: graphqlFieldsOf,
  mock: GraphQLMock,
});
