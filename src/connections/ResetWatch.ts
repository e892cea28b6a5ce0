//
// Clients that come back after `reset()`. reset() closes every connection
// with 1012 ("service restart": come back), so an app's reconnecting client
// (partysocket, socket.io-client, an EventSource) reconnects, often into the
// next test's mock on the same path, whose connection counts then include it.
//
// A connection cannot say which client opened it: a reconnection is a new
// socket (new remote port, new handshake key). So this is a heuristic, and
// the flag (`conn.info.afterReset`) says "may be", never "is":
//
// - each reset() starts a generation and keeps one fingerprint per connection
//   it closed: transport type, requested path (query left out: clients add
//   timestamps and session ids to it), User-Agent, Origin and remote address;
// - an arrival within AFTER_RESET_WINDOW of that reset whose fingerprint
//   matches one kept is flagged, and takes that fingerprint: at most as many
//   arrivals are flagged as reset() closed connections;
// - a reset that closed nothing (the app's clients were closed first, as the
//   docs advise) flags nothing.
//
// What it gets wrong: a test that leaves its clients for reset() to close and
// then opens a new client like them within the window has that new client
// flagged (a false positive, only ever a warning); a client reconnecting
// after the window, or from another address or user agent, is not flagged.
//
import { performance } from 'node:perf_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import type { ConnectionType } from '../transport/types.js';

/** How long after `reset()` an arrival like a client it closed is flagged, ms (reconnecting clients' first retries come within 0.5–5 s). */
export const AFTER_RESET_WINDOW = 5000;

/** What a reconnecting client keeps from one socket to the next. */
export interface ClientFingerprint {
  type: ConnectionType;
  /** The requested path, without the query string. */
  url: string;
  headers: Readonly<IncomingHttpHeaders>;
  address: string;
}

function key(client: ClientFingerprint): string {
  const header = (name: string) => {
    const value = client.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  };
  return JSON.stringify([client.type, client.url.split('?')[0], header('user-agent'), header('origin'), client.address]);
}

export class ResetWatch {
  /** Fingerprints of the connections the last reset closed, not yet matched by an arrival. */
  #left: string[] = [];
  #until = 0;

  /** reset() is closing `clients`: a new generation. */
  resetting(clients: Iterable<ClientFingerprint>): void {
    this.#left = [...clients].map(key);
    this.#until = performance.now() + AFTER_RESET_WINDOW;
  }

  /** Whether a new arrival looks like a client the last reset closed coming back; takes the fingerprint it matched. */
  returning(client: ClientFingerprint): boolean {
    if (this.#left.length === 0) return false;
    if (performance.now() > this.#until) {
      this.#left = [];
      return false;
    }
    const at = this.#left.indexOf(key(client));
    if (at === -1) return false;
    this.#left.splice(at, 1);
    return true;
  }
}
