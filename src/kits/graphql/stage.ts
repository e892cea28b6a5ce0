//
// The GraphQL mock's pipeline: one stage that hands every frame to the
// connection's session. A client that offered neither subprotocol is closed
// with 4406, as graphql-ws's server does.
//
import type { Connection, KitHost, Stage } from '../../kit/index.js';
import { GRAPHQL_SUBPROTOCOLS, GraphQLCloseCode, type GraphQLProtocol } from './protocol.js';
import { Session, type CompiledGraphQL, type GraphQLState } from './session.js';

function isGraphQLProtocol(protocol: string | null): protocol is GraphQLProtocol {
  return GRAPHQL_SUBPROTOCOLS.includes(protocol as GraphQLProtocol);
}

/** The stage running one version of a GraphQL mock. */
export function graphqlStage(compiled: CompiledGraphQL, state: GraphQLState, host: KitHost): Stage {
  const sessions = new WeakMap<Connection, Session>();
  const sessionHost = { state, compiled, connectionCount: () => host.connectionCount(), report: (error: Error, conn: Connection) => host.report(error, conn) };
  return {
    name: 'graphql',
    connect(conn) {
      if (!isGraphQLProtocol(conn.subprotocol)) {
        conn.close({ code: GraphQLCloseCode.SUBPROTOCOL_NOT_ACCEPTABLE, reason: 'Subprotocol not acceptable' }).catch(() => undefined);
        return;
      }
      sessions.set(conn, new Session(conn, conn.subprotocol, sessionHost));
    },
    inbound(frame) {
      const result = sessions.get(frame.connection)?.receive(frame.message);
      return result ? result.then(() => true) : true;
    },
    disconnect(conn) {
      sessions.get(conn)?.dispose();
      sessions.delete(conn);
    },
  };
}
