/**
 * What an admin handler holds open beyond one request/response turn: event
 * streams and HTTP waits. Each registers how it ends; the handler's `close()`
 * (and the server's, through its `closing` event) ends them all.
 */
export class Holds {
  #releases = new Set<() => void>();
  #closed = false;

  /** True once `closeAll()` ran: nothing new is held after that. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Registers `release`; the returned function forgets it (the hold ended on its own). */
  add(release: () => void): () => void {
    this.#releases.add(release);
    return () => this.#releases.delete(release);
  }

  /** Ends everything held; later holds are refused by their routes. */
  closeAll(): void {
    this.#closed = true;
    for (const release of [...this.#releases]) release();
    this.#releases.clear();
  }
}
