//
// The connection manager: the one owner of the server's connections. It
// accepts them, keeps the open ones and the arrival queues (the server's and
// each mock's group), counts what they do, and closes or broadcasts to many
// at once. `server.connections` is this object.
//
import { orList } from '../util/orList.js';
import { WsMockError, connectionNotFound, invalidArgument } from '../errors.js';
import type { Counters } from '../server/stats.js';
import type { Transport } from '../transport/types.js';
import { SeededRandom } from '../util/random.js';
import { kCore, type Connection, type ConnectionFactory, type ConnectionRequest } from './Connection.js';
import type { ConnectionHost, ConnectionMock } from './contracts.js';
import { ConnectionCore } from './ConnectionCore.js';
import { ConnectionGroup } from './ConnectionGroup.js';
import { encodeSendData, sharedTextFrame } from './encode.js';
import type { Message } from './Message.js';
import type { CloseInfo, CloseOptions, ConnectionInfo, ConnectionType, SendData, SendOptions } from './types.js';
import { ResetWatch } from './ResetWatch.js';
import { assertRoom } from './Rooms.js';
import { WaitRegistry } from './waitFor.js';

/** Who a broadcast skips: connections or connection ids. */
export type BroadcastExcept = Connection | string | ReadonlyArray<Connection | string>;

/** Filter of {@link ConnectionsApi}' `list()` and `broadcast()`. */
export interface ConnectionFilter {
  /** Only connections of this mock. */
  mockId?: string;
  /** Only connections of the mock with this path template, or whose requested path is this. */
  path?: string;
  /** Only connections in this room (`conn.join(room)`). */
  room?: string;
  /** Only WebSocket connections (Socket.IO included), or only Server-Sent Events streams. */
  type?: ConnectionType;
}

/** The connection operations of a server. */
export interface ConnectionsApi {
  /** Snapshots of the open connections, in arrival order. */
  list(filter?: ConnectionFilter): ConnectionInfo[];
  /** The open connection with this id. */
  get(id: string): Connection | undefined;
  /** Closes a connection; rejects `WSMOCK_ERR_CONNECTION_NOT_FOUND` for an unknown id. One connection: a promise. */
  close(id: string, options?: CloseOptions): Promise<CloseInfo>;
  /** Sends to a connection; rejects `WSMOCK_ERR_CONNECTION_NOT_FOUND` for an unknown id. One connection: a promise. */
  send(id: string, data: SendData, options?: SendOptions): Promise<void>;
  /** Sends to every matching open connection; like every fan-out, synchronous: returns the number of recipients. */
  broadcast(data: SendData, options?: ConnectionFilter & SendOptions & { except?: BroadcastExcept }): number;
}

/** What the manager tells the server, which emits it. */
export interface ConnectionEventsSink {
  connection(connection: Connection): void;
  message(connection: Connection, message: Message): void;
  sent(connection: Connection, message: Message): void;
  /** Whether anyone listens for `message` or `sent` on the server. */
  listens(event: 'message' | 'sent'): boolean;
  close(connection: Connection, info: CloseInfo): void;
}

/** How the manager is set up. */
export interface ConnectionManagerOptions {
  /** Default timeout of every wait, ms. */
  timeout: number;
  closeTimeout: number;
  /** The most frames a connection's journal keeps. */
  journalLimit: number;
  /** Forget closed connections (a long-running `wsmock serve`): memory stays flat. */
  releaseClosed: boolean;
  seed: number;
  /** What every wait failure ends with (the chaos seed while chaos is on). */
  note?: () => string | undefined;
  /** How waits name the server: its URL. */
  label: () => string;
  counters: Counters;
  events: ConnectionEventsSink;
  /** The connection types of the server: `websocket` and its kits' carriers (`list({ type })` takes one of them). */
  carriers: readonly ConnectionType[];
}

function toIdSet(except: BroadcastExcept | undefined): Set<string> {
  if (except === undefined) return new Set();
  const list = Array.isArray(except) ? except : [except];
  return new Set(list.map((e: Connection | string) => (typeof e === 'string' ? e : e.id)));
}

function matches(connection: Connection, filter: ConnectionFilter): boolean {
  return (
    (filter.mockId === undefined || connection.mockId === filter.mockId) &&
    (filter.path === undefined || connection.path === filter.path || connection.url.split('?')[0] === filter.path) &&
    (filter.room === undefined || connection[kCore].inRoom(filter.room)) &&
    (filter.type === undefined || connection.type === filter.type)
  );
}

export class ConnectionManager implements ConnectionsApi {
  /** Every connection of the server. */
  readonly all: ConnectionGroup;
  readonly #options: ConnectionManagerOptions;
  readonly #open = new Map<string, Connection>();
  readonly #waits: WaitRegistry;
  /** What every connection's host shares; each group's host adds how a close reaches that group. */
  readonly #shared: Omit<ConnectionHost, 'closed'>;
  /** The host of each mock group's connections (one per group, not per connection). */
  readonly #hosts = new WeakMap<ConnectionGroup, ConnectionHost>();
  /** Which arrivals may be clients the last reset() closed, coming back. */
  readonly #resets = new ResetWatch();
  #seq = 0;

  constructor(options: ConnectionManagerOptions) {
    this.#options = options;
    this.#waits = new WaitRegistry(options.note);
    const timeoutFor = (timeout: number | undefined) => this.timeoutFor(timeout);
    this.all = new ConnectionGroup({ waits: this.#waits, timeoutFor, journalLimit: options.journalLimit }, options.label);
    const { counters, events } = options;
    this.#shared = {
      waits: this.#waits,
      closeTimeout: options.closeTimeout,
      journalLimit: options.journalLimit,
      timeoutFor,
      random: (seq) => SeededRandom.stream(options.seed, seq),
      listens: (event) => events.listens(event),
      counts: (mockId) => counters.forMock(mockId),
      received: (connection, message) => events.message(connection, message),
      sent: (connection, message) => events.sent(connection, message),
      upstream: (connection, message) => {
        const c = counters.forMock(connection.mockId);
        if (message.direction === 'upstream-in') {
          c.upstreamMessagesRecv++;
          c.upstreamBytesRecv += message.size;
        } else {
          c.upstreamMessagesSent++;
          c.upstreamBytesSent += message.size;
        }
      },
      upstreamLate: (connection) => {
        counters.forMock(connection.mockId).upstreamLate++;
      },
    };
  }

  /** A group for one mock: its arrivals and waits. */
  group(label: () => string): ConnectionGroup {
    const group = new ConnectionGroup({ waits: this.#waits, timeoutFor: (t) => this.timeoutFor(t), journalLimit: this.#options.journalLimit }, label);
    this.#hosts.set(group, { ...this.#shared, closed: (connection, info) => this.#closed(connection, info, group) });
    return group;
  }

  /** Validates a `timeout` option; the server's default when absent. */
  timeoutFor(timeout: number | undefined): number {
    if (timeout === undefined) return this.#options.timeout;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
      throw invalidArgument(`timeout must be a non-negative number of milliseconds, got ${String(timeout)}`);
    }
    return timeout;
  }

  /**
   * Makes a connection of an accepted transport (with `create`, the kit's own
   * handle) and registers it everywhere it is counted and awaited.
   */
  accept(init: {
    transport: Transport;
    request: ConnectionRequest;
    mock: ConnectionMock;
    params: Record<string, string>;
    group: ConnectionGroup;
    create?: ConnectionFactory | undefined;
  }): Connection {
    const seq = ++this.#seq;
    const host = this.#hosts.get(init.group)!;
    const afterReset = this.#resets.returning({ type: init.transport.type ?? 'websocket', url: init.request.url, headers: init.request.headers, address: init.transport.remoteAddress });
    const made = { id: `conn-${seq}`, seq, transport: init.transport, request: init.request, mock: init.mock, params: init.params, host, afterReset };
    const { connection } = new ConnectionCore(made, init.create);
    this.#open.set(connection.id, connection);
    const counters = this.#options.counters.forMock(connection.mockId);
    counters.connections++;
    counters.type = connection.type;
    init.group.add(connection);
    this.all.add(connection);
    this.#options.events.connection(connection);
    return connection;
  }

  #closed(connection: Connection, info: CloseInfo, group: ConnectionGroup): void {
    this.#options.counters.closed(connection.mockId, info.code);
    this.#open.delete(connection.id);
    const release = this.#options.releaseClosed;
    group.closed(connection, release);
    this.all.closed(connection, release);
    this.#options.events.close(connection, info);
  }

  /** Open connections right now. */
  get size(): number {
    return this.#open.size;
  }

  /** Open connections right now, per type (one pass over them). */
  openByType(): Record<ConnectionType, number> {
    const open: Record<ConnectionType, number> = Object.fromEntries(this.#options.carriers.map((type) => [type, 0]));
    for (const connection of this.#open.values()) open[connection.type] = (open[connection.type] ?? 0) + 1;
    return open;
  }

  list(filter: ConnectionFilter = {}): ConnectionInfo[] {
    if (filter.room !== undefined) assertRoom(filter.room);
    if (filter.type !== undefined && !this.#options.carriers.includes(filter.type)) {
      throw invalidArgument(`type must be ${orList(this.#options.carriers)}, got ${JSON.stringify(filter.type)}`);
    }
    return [...this.#open.values()].filter((c) => matches(c, filter)).map((c) => c.info);
  }

  get(id: string): Connection | undefined {
    return this.#open.get(id);
  }

  async close(id: string, options?: CloseOptions): Promise<CloseInfo> {
    return this.#find(id).close(options);
  }

  async send(id: string, data: SendData, options?: SendOptions): Promise<void> {
    return this.#find(id).send(data, options);
  }

  broadcast(data: SendData, options: ConnectionFilter & SendOptions & { except?: BroadcastExcept } = {}): number {
    return this.broadcastTo([...this.#open.values()].filter((c) => matches(c, options)), data, options);
  }

  /** Sends one frame to each of `connections` that is open, in `room` when given, and not excepted; returns the number of recipients. */
  broadcastTo(connections: Iterable<Connection>, data: SendData, options: SendOptions & { except?: BroadcastExcept; room?: string }): number {
    const { room } = options;
    if (room !== undefined) assertRoom(room);
    const encoded = encodeSendData(data, options);
    const frame = typeof encoded.payload === 'string' ? sharedTextFrame(encoded.payload, encoded.json) : encoded;
    const skip = toIdSet(options.except);
    let recipients = 0;
    for (const connection of connections) {
      const core = connection[kCore];
      if (!core.isOpen || skip.has(connection.id) || (room !== undefined && !core.inRoom(room))) continue;
      core.deliver(frame);
      recipients++;
    }
    return recipients;
  }

  /** Closes each open connection of `connections` with this code and reason; resolves with how many. */
  async closeAll(connections: Iterable<Connection>, code: number, reason: string): Promise<number> {
    const open = [...connections].filter((c) => c.isOpen);
    await Promise.all(open.map((c) => c.close({ code, reason })));
    return open.length;
  }

  /**
   * Closes every open connection for `reset()`, first noting what their
   * clients look like: one that comes back soon after is flagged `afterReset`.
   */
  async closeForReset(code: number, reason: string): Promise<number> {
    const open = [...this.all.open].filter((c) => c.isOpen);
    this.#resets.resetting(open.map((c) => ({ type: c.type, url: c.url, headers: c.headers, address: c.info.clientIp })));
    return this.closeAll(open, code, reason);
  }

  /** Rejects every pending wait with `error` (server close). */
  abortWaits(error: WsMockError): void {
    this.#waits.abortAll(error);
  }

  /** Forgets arrivals (server reset); the counters are the server's to reset. */
  clear(): void {
    this.all.clear();
  }

  #find(id: string): Connection {
    const connection = this.#open.get(id);
    if (!connection) {
      throw connectionNotFound(id);
    }
    return connection;
  }
}
