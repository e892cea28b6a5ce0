//
// Every upstream socket a server opened, until it is gone: `close()` and
// `reset()` wait for them, so no socket outlives the server.
//

/** The upstream sockets of one server. */
export class UpstreamOwner {
  readonly #live = new Set<Promise<void>>();

  /** Tracks a socket until `gone` resolves (its close event). */
  track(gone: Promise<void>): void {
    this.#live.add(gone);
    void gone.then(() => this.#live.delete(gone));
  }

  /** Upstream sockets not yet gone. */
  get size(): number {
    return this.#live.size;
  }

  /** Resolves once every tracked socket is gone (each close is bounded by its close timeout). */
  async drain(): Promise<void> {
    while (this.#live.size > 0) await Promise.all(this.#live);
  }
}
