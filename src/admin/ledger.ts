//
// The connections a remote client holds a handle to. `wsmock serve` forgets a
// connection once it closes (`journal.releaseClosed`), but a remote handle
// still reads its last frames and how it closed after that: the ledger keeps
// the connections the admin API handed out, closed ones for a while, so that
// those reads answer. It is bounded: past MAX_CLOSED closed connections the
// oldest are forgotten, and a handle to one of them gets 404.
//
import type { Connection } from '../connections/Connection.js';
import { groupOf } from '../mocks/Mock.js';
import type { AdminTarget } from './target.js';

/** Closed connections the ledger keeps for their remote handles. */
export const MAX_CLOSED = 256;

/** The connections handed to remote clients, by id. */
export class Ledger {
  // Insertion order is hand-out order: the oldest closed go first.
  readonly #handedOut = new Map<string, Connection>();

  /** Keeps `connection` for its remote handle. */
  remember(connection: Connection): void {
    if (this.#handedOut.has(connection.id)) return;
    this.#handedOut.set(connection.id, connection);
    if (this.#handedOut.size <= MAX_CLOSED) return;
    let closed = 0;
    for (const kept of this.#handedOut.values()) if (!kept.isOpen) closed++;
    for (const [id, kept] of this.#handedOut) {
      if (closed <= MAX_CLOSED) break;
      if (kept.isOpen) continue;
      this.#handedOut.delete(id);
      closed--;
    }
  }

  /**
   * The connection `id`, open or closed: one the server still holds (open, or
   * closed on a server that keeps closed connections), else one handed out.
   */
  find(server: AdminTarget, id: string): Connection | undefined {
    const open = server.connections.get(id);
    if (open) return open;
    const kept = this.#handedOut.get(id);
    if (kept) return kept;
    for (const mock of server.mocks.list()) {
      const found = groupOf(mock).connections().find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Forgets every connection (server reset). */
  clear(): void {
    this.#handedOut.clear();
  }
}
