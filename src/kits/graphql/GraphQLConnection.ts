//
// The handle of one GraphQL connection: a client socket that sent
// `connection_init`, with what it sent and the protocol it speaks.
//
import type { CloseInfo, Connection } from '../../kit/index.js';
import type { GraphQLProtocol } from './protocol.js';

let acknowledgeImpl: (handle: GraphQLConnection) => void;

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
  #acknowledged = false;

  static {
    acknowledgeImpl = (handle) => {
      handle.#acknowledged = true;
    };
  }

  /** @internal Made by the connection's session when `connection_init` arrives. */
  constructor(connection: Connection, protocol: GraphQLProtocol, payload: Record<string, unknown> | undefined) {
    this.connection = connection;
    this.protocol = protocol;
    this.payload = payload;
  }

  /** The connection id (`conn-3`). */
  get id(): string {
    return this.connection.id;
  }

  /** Whether the server sent `connection_ack`. */
  get acknowledged(): boolean {
    return this.#acknowledged;
  }


  /** Closes the socket (default 1000), as `conn.close()` does. Like every push to one connection, it returns a promise. */
  close(options: { code?: number; reason?: string } = {}): Promise<CloseInfo> {
    return this.connection.close(options);
  }
}

/** Records that the server sent `connection_ack` to `handle`. */
export function acknowledge(handle: GraphQLConnection): void {
  acknowledgeImpl(handle);
}
