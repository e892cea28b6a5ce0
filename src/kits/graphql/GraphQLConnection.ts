//
// The handle of one GraphQL connection: a client socket that sent
// `connection_init`, with what it sent and the protocol it speaks. Whether
// the server acknowledged it is the session's to say (it decides); the handle
// reads it.
//
import type { CloseInfo, Connection } from '../../kit/index.js';
import type { GraphQLProtocol } from './protocol.js';

/** What the session decided of one `connection_init`: written by the session, read by the handle. */
export interface InitOutcome {
  /** Whether the server sent `connection_ack` for it. */
  readonly acknowledged: boolean;
}

/**
 * A client that sent `connection_init` to a GraphQL mock.
 *
 * @example
 * ```ts
 * const client = await gql.waitForConnection();
 * expect(client.payload).toEqual({ token: 'secret' });
 * expect(client.protocol).toBe('graphql-transport-ws');
 * ```
 */
export class GraphQLConnection {
  /** The socket (journal, counters, `close()`), as for a WebSocket mock. */
  readonly connection: Connection;
  /** `graphql-transport-ws` (graphql-ws) or `graphql-ws` (subscriptions-transport-ws). */
  readonly protocol: GraphQLProtocol;
  /** The `connection_init` payload (the client's `connectionParams`), if any. */
  readonly payload: Record<string, unknown> | undefined;
  readonly #outcome: InitOutcome;

  /** @internal Made by the connection's session when `connection_init` arrives. */
  constructor(connection: Connection, protocol: GraphQLProtocol, payload: Record<string, unknown> | undefined, outcome: InitOutcome) {
    this.connection = connection;
    this.protocol = protocol;
    this.payload = payload;
    this.#outcome = outcome;
  }

  /** The connection id (`conn-3`). */
  get id(): string {
    return this.connection.id;
  }

  /** Whether the server sent `connection_ack`. */
  get acknowledged(): boolean {
    return this.#outcome.acknowledged;
  }

  /** Closes the socket (default 1000), as `conn.close()` does. Like every push to one connection, it returns a promise. */
  close(options: { code?: number; reason?: string } = {}): Promise<CloseInfo> {
    return this.connection.close(options);
  }
}
