//
// A group of connections with its arrival queue and its waits: the server's
// (every connection) and each mock's. `waitForConnection` and
// `waitForConnectionCount` are written once, here, for both.
//
import { WsMockError, WsMockErrorCode, closedBeforePong, invalidArgument } from '../errors.js';
import { quietWait } from '../util/promise.js';
import type { Connection } from './Connection.js';
import { compileArrivalFilter, type ArrivalFilter } from './arrivalFilter.js';
import { afterResetWarning } from './describe.js';
import type { FrameMessage, Message } from './Message.js';
import { WaitRegistry, Waiters, waitFor, type WaitSpec } from './waitFor.js';

/** Options of `waitForConnection`. */
export interface WaitForConnectionOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
  /** Only connections for which this returns true. */
  predicate?: (connection: Connection) => boolean;
  /**
   * Only a connection whose handshake carries these query parameters with
   * these values (`{ worker: '2' }` takes `/feed?worker=2`); the others stay
   * for other waits. Parallel tests sharing one server each take their own
   * client this way. Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless an object of strings.
   */
  query?: Readonly<Record<string, string>>;
  /**
   * Only a connection whose upgrade request carries these headers with these
   * values (names case-insensitive; a repeated header's values joined with
   * `, `). With `query` and `predicate`, a connection must pass all of them.
   * Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless an object of strings.
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * Resolve only once the client has surely seen the connection open: the
   * wait pings the connection it found and resolves on the pong (as
   * `await conn.ping()` does). Without it the wait resolves when the server
   * accepts the handshake, which can be before the client's `open` fires. A
   * WebSocket client answers the ping after reading the handshake response,
   * so its socket is open (a browser may dispatch the `open` event a moment
   * later, but whatever the test sends or closes now reaches an open socket).
   * An SSE stream has no round trip: it resolves once the response head and a
   * comment are written to the socket. Rejects `WSMOCK_ERR_CONNECTION_CLOSED`
   * when the connection closes first. Default false.
   */
  open?: boolean;
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `count` is a non-negative integer. */
function assertCount(count: unknown): asserts count is number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw invalidArgument(`count must be a non-negative integer, got ${String(count)}`);
  }
}

/** The connection `found` gives, once its client answered a ping (`waitForConnection({ open: true })`). */
async function opened(found: Promise<Connection>): Promise<Connection> {
  const connection = await found;
  try {
    await connection.ping();
  } catch (err) {
    if (!isCode(err, WsMockErrorCode.CONNECTION_CLOSED)) throw err;
    throw closedBeforePong(connection.id, err);
  }
  return connection;
}

function isCode(err: unknown, code: WsMockErrorCode): err is WsMockError {
  return err instanceof WsMockError && err.code === code;
}

function describeArrivals(arrivals: readonly Connection[], taken: ReadonlySet<Connection>): string {
  const untaken = arrivals.filter((c) => !taken.has(c));
  if (arrivals.length === 0) return 'No connection arrived.';
  if (untaken.length === 0) return `All ${arrivals.length} connection(s) that arrived were already returned by earlier calls.`;
  return `${untaken.length} connection(s) arrived but did not match: ${untaken.slice(0, 5).map((c) => c.url).join(', ')}.`;
}

/** What a group needs from the manager that owns it. */
export interface GroupHost {
  /** Pending waits of the whole server. */
  readonly waits: WaitRegistry;
  /** The timeout a wait runs with: the one given, else the server's default. */
  timeoutFor(timeout: number | undefined): number;
  /** The most frames a connection's journal keeps (Infinity: all). */
  readonly journalLimit: number;
}

/** The connections of a mock (or of the server): arrivals, the open set and their waits. */
export class ConnectionGroup {
  /** Open connections, in arrival order. */
  readonly open = new Set<Connection>();
  /** Woken on every arrival and departure. */
  readonly waiters = new Waiters();
  /** Waits on this group, aborted when its owner goes away. */
  readonly waits = new WaitRegistry();
  /** Every connection accepted since the last reset (closed ones too, unless released). */
  #arrivals = new Set<Connection>();
  /** Arrivals already returned by `waitForConnection`. */
  #taken = new Set<Connection>();
  readonly #host: GroupHost;
  /** How waits name the group: `mock "chat" (/chat)`, `ws://127.0.0.1:PORT`. */
  readonly #label: () => string;

  constructor(host: GroupHost, label: () => string) {
    this.#host = host;
    this.#label = label;
  }

  /**
   * The server's `journal.limit`: kits bound what they keep per connection
   * (a socket's events, a connection's operations) by it, as the journal is.
   */
  get journalLimit(): number {
    return this.#host.journalLimit;
  }

  /** A connection arrived. */
  add(connection: Connection): void {
    this.open.add(connection);
    this.#arrivals.add(connection);
    this.waiters.notify();
  }

  /** A connection closed; `release` also forgets it (long-running servers). */
  closed(connection: Connection, release: boolean): void {
    this.open.delete(connection);
    if (release) {
      this.#arrivals.delete(connection);
      this.#taken.delete(connection);
    }
    // Waits on the number of open connections see departures too.
    this.waiters.notify();
  }

  /** Forgets every arrival (server reset). */
  clear(): void {
    this.#arrivals.clear();
    this.#taken.clear();
  }

  /** Every connection accepted since the last reset, in arrival order (closed ones too, unless released). */
  connections(): Connection[] {
    return [...this.#arrivals];
  }

  /** Every frame of the group's connections, both directions, in the order they travelled. */
  messages(): Message[] {
    const all: FrameMessage[] = [];
    for (const connection of this.#arrivals) all.push(...(connection.messages as FrameMessage[]));
    return all.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Resolves with the next connection not yet returned by an earlier call,
   * including connections that arrived before the call.
   */
  waitForConnection(options: WaitForConnectionOptions = {}): Promise<Connection> {
    if (options.open !== undefined && typeof options.open !== 'boolean') {
      throw invalidArgument(`open must be a boolean, got ${JSON.stringify(options.open) ?? String(options.open)}`);
    }
    const found = this.#nextArrival(options);
    return options.open ? quietWait(() => opened(found)) : found;
  }

  #nextArrival(options: WaitForConnectionOptions): Promise<Connection> {
    const filter = compileArrivalFilter(options);
    return waitFor({
      find: () => this.takeArrival(filter),
      waiters: this.waiters,
      owners: [this.waits, this.#host.waits],
      timeout: this.#host.timeoutFor(options.timeout),
      what: this.describeWait(filter),
      seen: () => this.describeArrivals(),
    });
  }

  /**
   * Takes the first arrival not yet returned that passes `filter`, without
   * waiting: what `waitForConnection` does on each wake-up, and what the
   * admin API's long poll (`POST /mocks/{id}/connections/next`) does while
   * its caller is still there to receive the connection.
   */
  takeArrival(filter: ArrivalFilter | undefined): Connection | undefined {
    for (const connection of this.#arrivals) {
      if (this.#taken.has(connection)) continue;
      if (filter && !filter.test(connection)) continue;
      this.#taken.add(connection);
      return connection;
    }
    return undefined;
  }

  /** What a wait for an arrival passing `filter` awaits, for its timeout message. */
  describeWait(filter: ArrivalFilter | undefined): string {
    return filter ? `a connection on ${this.#label()} ${filter.description}` : `a connection on ${this.#label()}`;
  }

  /** What arrived and was not taken, for a wait's timeout message. */
  describeArrivals(): string {
    return describeArrivals([...this.#arrivals], this.#taken);
  }

  /**
   * A wait owned by this group and by the server: aborted when the mock is
   * removed or the server closes; `timeout` defaults to the server's. Protocol
   * kits wait on their own arrivals (sockets, operations, calls) through it.
   */
  wait<T>(spec: Omit<WaitSpec<T>, 'owners' | 'timeout'> & { timeout?: number; owners?: WaitRegistry[] }): Promise<T> {
    return waitFor({ ...spec, owners: [this.waits, this.#host.waits, ...(spec.owners ?? [])], timeout: this.#host.timeoutFor(spec.timeout) });
  }

  /** Resolves with the open connections once exactly `count` are open. Consumes nothing. */
  waitForConnectionCount(count: number, options: { timeout?: number } = {}): Promise<Connection[]> {
    assertCount(count);
    return waitFor({
      find: () => (this.open.size === count ? [...this.open] : undefined),
      waiters: this.waiters,
      owners: [this.waits, this.#host.waits],
      timeout: this.#host.timeoutFor(options.timeout),
      what: `${count} open connection(s) on ${this.#label()}`,
      seen: () => `${this.open.size} open now.${afterResetWarning([...this.open].map((c) => c.info))}`,
    });
  }
}
