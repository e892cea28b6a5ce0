import type { Connection } from '../connections/Connection.js';
import type { SendData, SendOptions } from '../connections/types.js';
import type { Message } from '../connections/Message.js';
import { WaitRegistry, Waiters, waitFor } from '../connections/waitFor.js';
import { WsMockError, WsMockErrorCode, invalidArgument, invalidConfig } from '../errors.js';
import { kInternals } from '../internal.js';
import { brand, hasBrand } from '../util/brand.js';
import { cloneConfig } from '../util/clone.js';
import { CloseCode } from '../util/closeCodes.js';
import { compileMock, type CompiledMock } from './compile.js';
import type { MockEnvelope, WebSocketMockConfig, WebSocketMockFields } from './types.js';
import { validateMockConfig } from './validate.js';

/** Who a broadcast skips: connections or connection ids. */
export type BroadcastExcept = Connection | string | ReadonlyArray<Connection | string>;

/** Options of {@link WebSocketMock.waitForConnection}. */
export interface WaitForConnectionOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
  /** Only connections for which this returns true. */
  predicate?: (connection: Connection) => boolean;
}

/** Options of {@link WebSocketMock.update}. */
export interface UpdateOptions {
  /** Replace the whole config instead of merging `config` into it (the admin API's PUT). */
  replace?: boolean;
}

/** What a mock needs from its server. */
export interface MockHost {
  readonly waits: WaitRegistry;
  timeoutFor(timeout: number | undefined): number;
  url(path: string): string;
  /** Throws `WSMOCK_ERR_PATH_CONFLICT` when another enabled mock serves the same path. */
  assertPathFree(mock: WebSocketMock, compiled: CompiledMock): void;
  compile(id: string, config: WebSocketMockConfig): CompiledMock;
  closeAll(connections: Connection[], code: number, reason: string): Promise<number>;
  broadcast(connections: Iterable<Connection>, data: SendData, options: SendOptions & { except?: BroadcastExcept }): number;
  unregister(mock: WebSocketMock): void;
  updated(mock: WebSocketMock): void;
}

/** Mock internals used by the server. */
export interface MockInternals {
  compiled: CompiledMock;
  readonly open: Set<Connection>;
  readonly arrivals: Connection[];
  readonly waiters: Waiters;
  readonly waits: WaitRegistry;
  readonly journal: Message[];
  /** Pending and open upgrades counted against `maxConnections`. */
  reserved: number;
}

/**
 * A WebSocket endpoint defined on a {@link MockServer}: its config, its live
 * connections, and the operations that change it. Changing a mock closes its
 * connections with 1012 so clients reconnect to the new behaviour.
 *
 * @example
 * ```ts
 * const chat = server.websocket('/ws/chat', { matchers: [...] });
 * const client = new WebSocket(chat.url);
 * const conn = await chat.waitForConnection();
 * await chat.update({ echoMode: true }); // conn is closed with 1012
 * ```
 */
export class WebSocketMock {
  /** Unique per server. */
  readonly id: string;
  #config: WebSocketMockConfig;
  #host: MockHost;
  #returned = new Set<Connection>();
  #removed = false;
  /** @internal */
  readonly [kInternals]: MockInternals;

  /** @internal Created by `server.websocket()`. */
  constructor(id: string, config: WebSocketMockConfig, compiled: CompiledMock, host: MockHost) {
    this.id = id;
    this.#config = { ...cloneConfig(config), id };
    this.#host = host;
    this[kInternals] = {
      compiled,
      open: new Set(),
      arrivals: [],
      waiters: new Waiters(),
      waits: new WaitRegistry(),
      journal: [],
      reserved: 0,
    };
    brand(this, 'mock');
  }

  /** True for any wsmock mock, from this copy of the package or another (ESM and CommonJS builds). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'mock');
  }

  /** The human-readable name, if any. */
  get name(): string | undefined {
    return this.#config.name;
  }

  /** The path template. */
  get path(): string {
    return this.#config.path;
  }

  /** `ws://host:port` plus the path (parameter segments left as written). */
  get url(): string {
    return this.#host.url(this.#config.path);
  }

  /** Whether the mock accepts handshakes. */
  get enabled(): boolean {
    return this.#config.enabled !== false;
  }

  /** A copy of the current config. */
  get config(): WebSocketMockConfig {
    return cloneConfig(this.#config);
  }

  /** Open connections, in arrival order. */
  get connections(): Connection[] {
    return [...this[kInternals].open];
  }

  /** Journal of every frame on this mock's connections, both directions. */
  get messages(): Message[] {
    return [...this[kInternals].journal];
  }

  /** The envelope form used by config files and the admin API (in-process functions are left out). */
  toJSON(): MockEnvelope {
    const { id, name, enabled, onConnection: _handler, ...fields } = this.#config;
    // Keys in the order people read them: identity first, the mock last.
    const envelope: MockEnvelope = {
      id: id!,
      ...(name !== undefined ? { name } : {}),
      type: 'websocket',
      enabled: enabled !== false,
      websocket: fields as WebSocketMockFields,
    };
    return JSON.parse(JSON.stringify(envelope)) as MockEnvelope;
  }

  /**
   * Resolves with the next connection not yet returned by an earlier call on
   * this handle, including connections that arrived before the call: three
   * calls give the first, second and third connection.
   */
  async waitForConnection(options: WaitForConnectionOptions = {}): Promise<Connection> {
    const internals = this[kInternals];
    return waitFor({
      find: () => {
        for (const connection of internals.arrivals) {
          if (this.#returned.has(connection)) continue;
          if (options.predicate && !options.predicate(connection)) continue;
          this.#returned.add(connection);
          return connection;
        }
        return undefined;
      },
      waiters: internals.waiters,
      owners: [internals.waits, this.#host.waits],
      timeout: this.#host.timeoutFor(options.timeout),
      what: `a connection on mock "${this.id}" (${this.path})${options.predicate ? ' matching the predicate' : ''}`,
      seen: () => describeArrivals(internals.arrivals, this.#returned),
    });
  }

  /**
   * Resolves with the open connections once exactly `count` of them are open
   * (at once when they already are). It counts and consumes nothing:
   * `waitForConnection()` still returns every arrival.
   *
   * @example
   * ```ts
   * const [a, b] = await chat.waitForConnectionCount(2);
   * await chat.waitForConnectionCount(0); // every client has gone
   * ```
   */
  async waitForConnectionCount(count: number, options: { timeout?: number } = {}): Promise<Connection[]> {
    assertCount(count);
    const internals = this[kInternals];
    return waitFor({
      find: () => (internals.open.size === count ? [...internals.open] : undefined),
      waiters: internals.waiters,
      owners: [internals.waits, this.#host.waits],
      timeout: this.#host.timeoutFor(options.timeout),
      what: `${count} open connection(s) on mock "${this.id}" (${this.path})`,
      seen: () => `${internals.open.size} open now.`,
    });
  }

  /**
   * Validates and applies a change, then closes this mock's open connections
   * with 1012 "mock updated". Resolves with the number closed.
   */
  async update(config: Partial<WebSocketMockConfig>, options: UpdateOptions = {}): Promise<number> {
    this.#assertLive();
    if (config.id !== undefined && config.id !== this.id) {
      throw invalidConfig('mock update', [{ path: 'id', message: `cannot be changed (the mock is "${this.id}")` }]);
    }
    const next = validateMockConfig(options.replace ? { ...config, id: this.id } : { ...this.#config, ...config });
    const compiled = this.#host.compile(this.id, next);
    if (next.enabled !== false) this.#host.assertPathFree(this, compiled);
    this.#config = { ...cloneConfig(next), id: this.id };
    this[kInternals].compiled = compiled;
    this.#host.updated(this);
    return this.#closeOpen('mock updated');
  }

  /** Accepts handshakes again. Throws `WSMOCK_ERR_PATH_CONFLICT` if another enabled mock took the path. */
  enable(): void {
    this.#assertLive();
    if (this.enabled) return;
    this.#host.assertPathFree(this, this[kInternals].compiled);
    this.#config.enabled = true;
    this.#host.updated(this);
  }

  /** Refuses new handshakes (503) and closes open connections with 1012 "mock disabled". */
  async disable(): Promise<number> {
    this.#assertLive();
    if (!this.enabled) return 0;
    this.#config.enabled = false;
    this.#host.updated(this);
    return this.#closeOpen('mock disabled');
  }

  /** Removes the mock, frees its path and closes its connections with 1012 "mock removed". */
  async remove(): Promise<number> {
    if (this.#removed) return 0;
    this.#removed = true;
    this.#host.unregister(this);
    this[kInternals].waits.abortAll(
      new WsMockError(WsMockErrorCode.MOCK_NOT_FOUND, `Mock "${this.id}" was removed while a wait on it was pending.`),
    );
    return this.#closeOpen('mock removed');
  }

  /** Sends `data` to every open connection of this mock; resolves nothing, returns the number of recipients. */
  broadcast(data: SendData, options: SendOptions & { except?: BroadcastExcept } = {}): number {
    return this.#host.broadcast(this[kInternals].open, data, options);
  }

  /** @internal Forgets arrivals and journal (server reset). */
  clearHistory(): void {
    const internals = this[kInternals];
    internals.arrivals.length = 0;
    internals.journal.length = 0;
    this.#returned.clear();
  }

  #closeOpen(reason: string): Promise<number> {
    return this.#host.closeAll([...this[kInternals].open], CloseCode.SERVICE_RESTART, reason);
  }

  #assertLive(): void {
    if (this.#removed) {
      throw new WsMockError(WsMockErrorCode.MOCK_NOT_FOUND, `Mock "${this.id}" has been removed; define a new one with server.websocket().`);
    }
  }
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `count` is a non-negative integer. */
export function assertCount(count: unknown): asserts count is number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw invalidArgument(`count must be a non-negative integer, got ${String(count)}`);
  }
}

function describeArrivals(arrivals: readonly Connection[], returned: ReadonlySet<Connection>): string {
  const unreturned = arrivals.filter((c) => !returned.has(c));
  if (arrivals.length === 0) return 'No connection arrived.';
  if (unreturned.length === 0) return `All ${arrivals.length} connection(s) that arrived were already returned by earlier calls.`;
  return `${unreturned.length} connection(s) arrived but did not match: ${unreturned.slice(0, 5).map((c) => c.url).join(', ')}.`;
}
