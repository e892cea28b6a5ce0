//
// Where an accepted transport becomes a connection: a WebSocket the upgrade
// accepted (handed to a kit's own transport first, when the mock has one:
// Engine.IO joins it to a session), and a kit's own transports (an SSE
// stream, an Engine.IO polling session). The manager counts, journals and
// emits it; what a layer accepted with the handshake (a proxy's upstream) is
// adopted before the pipeline starts.
//
import type { IncomingMessage } from 'node:http';
import type { Connection, ConnectionFactory } from '../connections/Connection.js';
import type { ConnectionManager } from '../connections/ConnectionManager.js';
import type { CompiledMock } from '../mocks/compile.js';
import { groupOf, type Mock } from '../mocks/Mock.js';
import type { Transport } from '../transport/types.js';

/** How a connection is made: a kit's own handle (`create`), what it takes over before its pipeline starts (`adopt`). */
export interface ConnectHow {
  create?: ConnectionFactory | undefined;
  adopt?: ((connection: Connection) => void) | undefined;
}

/** Makes connections of a server's mocks. */
export class Admission {
  readonly #manager: ConnectionManager;

  constructor(manager: ConnectionManager) {
    this.#manager = manager;
  }

  /** A WebSocket the upgrade accepted for `mock`. */
  upgraded(transport: Transport, request: IncomingMessage, mock: Mock, compiled: CompiledMock, params: Record<string, string>, adopt?: (connection: Connection) => void): void {
    const connect = (carrier: Transport) => this.connect(carrier, request, mock, compiled, params, { adopt });
    if (compiled.transport?.upgraded) compiled.transport.upgraded(transport, request, connect);
    else connect(transport);
  }

  /** A connection of `mock` over `transport`, its pipeline started. */
  connect(transport: Transport, request: IncomingMessage, mock: Mock, compiled: CompiledMock, params: Record<string, string>, how: ConnectHow = {}): Connection {
    const connection = this.#manager.accept({
      create: how.create,
      transport,
      request: { url: request.url ?? '/', headers: request.headers },
      mock: compiled.runtime,
      params,
      group: groupOf(mock),
    });
    how.adopt?.(connection);
    compiled.runtime.pipeline.connect(connection);
    return connection;
  }
}
