import { HttpError, validationError } from './httpErrors.js';

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

/**
 * Refuses to hold a response (503 `server_closed`) once the handler or its
 * server is closing: nothing more is streamed or awaited.
 */
export function refuseWhenClosing({ server, holds }: { readonly server: { readonly state: string }; readonly holds: Holds }): void {
  if (holds.closed || server.state === 'closing' || server.state === 'closed') {
    throw new HttpError(503, 'server_closed', 'The server is closing; nothing more is streamed or awaited.');
  }
}

/** A yes/no query parameter: absent, empty, `0` or `false` is no; `1` or `true` is yes; anything else a 400 naming it. */
export function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw validationError(name, 'must be 1, 0, true or false');
}
