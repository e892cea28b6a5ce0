import type { Connection } from '../connections/Connection.js';
import type { ConnectionGroup, WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
import type { BroadcastExcept } from '../connections/ConnectionManager.js';
import type { Message } from '../connections/Message.js';
import type { SendData, SendOptions } from '../connections/types.js';
import { WsMockError, WsMockErrorCode, invalidConfig } from '../errors.js';
import { brand, hasBrand } from '../util/brand.js';
import { cloneConfig } from '../util/clone.js';
import { CloseCode } from '../util/closeCodes.js';
import type { CompiledMock } from './compile.js';
import type { PathPattern } from './router.js';
import type { MockEnvelope, WebSocketMockConfig, WebSocketMockFields } from './types.js';
import { validateMockConfig } from './validate.js';

export type { BroadcastExcept, WaitForConnectionOptions };

/** Options of {@link WebSocketMock.update}. */
export interface UpdateOptions {
  /** Replace the whole config instead of merging `config` into it (the admin API's PUT). */
  replace?: boolean;
}

/** What a mock needs from the registry that holds it. */
export interface MockHost {
  url(path: string): string;
  compile(id: string, config: WebSocketMockConfig): CompiledMock;
  /** Throws `WSMOCK_ERR_PATH_CONFLICT` when another enabled mock serves the same path. */
  assertPathFree(mock: WebSocketMock, pattern: PathPattern): void;
  closeAll(connections: Iterable<Connection>, code: number, reason: string): Promise<number>;
  broadcast(connections: Iterable<Connection>, data: SendData, options: SendOptions & { except?: BroadcastExcept; room?: string }): number;
  removed(mock: WebSocketMock): void;
  updated(mock: WebSocketMock): void;
}

let compiledOfImpl: (mock: WebSocketMock) => CompiledMock;
let groupOfImpl: (mock: WebSocketMock) => ConnectionGroup;

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
  #compiled: CompiledMock;
  readonly #group: ConnectionGroup;
  readonly #host: MockHost;
  #removed = false;

  /** @internal Created by `server.websocket()`. */
  constructor(id: string, config: WebSocketMockConfig, compiled: CompiledMock, group: ConnectionGroup, host: MockHost) {
    this.id = id;
    this.#config = { ...cloneConfig(config), id };
    this.#compiled = compiled;
    this.#group = group;
    this.#host = host;
    brand(this, 'mock');
  }

  static {
    compiledOfImpl = (mock) => mock.#compiled;
    groupOfImpl = (mock) => mock.#group;
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
    return [...this.#group.open];
  }

  /** Journal of every frame on this mock's connections, both directions. */
  get messages(): Message[] {
    return this.#group.messages();
  }

  /** The envelope form used by config files and the admin API (in-process functions are left out). */
  toJSON(): MockEnvelope {
    const { id, name, enabled, onConnection: _handler, ...rest } = this.#config;
    // In-process hooks (a subprotocols function, handshake.verify) are left out too; the key order is kept.
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (key === 'subprotocols' && typeof value === 'function') continue;
      if (key === 'handshake' && value !== undefined) {
        const { verify: _verify, ...declarative } = value as NonNullable<WebSocketMockConfig['handshake']>;
        if (Object.keys(declarative).length > 0) fields.handshake = declarative;
        continue;
      }
      fields[key] = value;
    }
    // Keys in the order people read them: identity first, the mock last.
    const envelope: MockEnvelope = {
      id: id!,
      ...(name !== undefined ? { name } : {}),
      type: 'websocket',
      enabled: enabled !== false,
      websocket: fields as unknown as WebSocketMockFields,
    };
    return JSON.parse(JSON.stringify(envelope)) as MockEnvelope;
  }

  /**
   * Resolves with the next connection not yet returned by an earlier call on
   * this handle, including connections that arrived before the call: three
   * calls give the first, second and third connection.
   */
  async waitForConnection(options: WaitForConnectionOptions = {}): Promise<Connection> {
    return this.#group.waitForConnection(options);
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
    return this.#group.waitForConnectionCount(count, options);
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
    if (next.enabled !== false) this.#host.assertPathFree(this, compiled.pattern);
    this.#config = { ...cloneConfig(next), id: this.id };
    this.#compiled = compiled;
    this.#host.updated(this);
    return this.#closeOpen('mock updated');
  }

  /** Accepts handshakes again. Throws `WSMOCK_ERR_PATH_CONFLICT` if another enabled mock took the path. */
  enable(): void {
    this.#assertLive();
    if (this.enabled) return;
    this.#host.assertPathFree(this, this.#compiled.pattern);
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
    this.#host.removed(this);
    this.#group.waits.abortAll(
      new WsMockError(WsMockErrorCode.MOCK_NOT_FOUND, `Mock "${this.id}" was removed while a wait on it was pending.`),
    );
    return this.#closeOpen('mock removed');
  }

  /**
   * Sends `data` to every open connection of this mock (only those in `room`
   * when given, none of `except`); returns the number of recipients.
   *
   * @example
   * ```ts
   * chat.broadcast({ type: 'news', text: 'hello' }, { room: 'general', except: conn });
   * ```
   */
  broadcast(data: SendData, options: SendOptions & { except?: BroadcastExcept; room?: string } = {}): number {
    return this.#host.broadcast(this.#group.open, data, options);
  }

  #closeOpen(reason: string): Promise<number> {
    return this.#host.closeAll(this.#group.open, CloseCode.SERVICE_RESTART, reason);
  }

  #assertLive(): void {
    if (this.#removed) {
      throw new WsMockError(WsMockErrorCode.MOCK_NOT_FOUND, `Mock "${this.id}" has been removed; define a new one with server.websocket().`);
    }
  }
}

/** The version of `mock` that new connections get (the upgrade path reads it). */
export function compiledOf(mock: WebSocketMock): CompiledMock {
  return compiledOfImpl(mock);
}

/** The connections of `mock`, as its group in the connection manager. */
export function groupOf(mock: WebSocketMock): ConnectionGroup {
  return groupOfImpl(mock);
}
