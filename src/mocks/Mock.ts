//
// What every mock type shares: an id and a path, a config and its compiled
// version, a group of connections, and the lifecycle (update closes the
// clients with 1012, enable, disable, remove). A WebSocket mock is one kind;
// each kit (src/kit/, `defineKit`) is made into another by the seam, and the
// registry holds them the same way.
//
import type { z } from 'zod';
import type { Connection } from '../connections/Connection.js';
import type { ConnectionGroup } from '../connections/ConnectionGroup.js';
import type { BroadcastExcept } from '../connections/ConnectionManager.js';
import type { Message } from '../connections/Message.js';
import type { SendData, SendOptions } from '../connections/types.js';
import { invalidConfig, mockRemoved, mockRemovedDuringWait } from '../errors.js';
import type { PipelineHost } from '../pipeline/stage.js';
import type { ChaosOptions } from '../chaos/types.js';
import { brand, hasBrand } from '../util/brand.js';
import { cloneConfig } from '../util/clone.js';
import { CloseCode } from '../util/closeCodes.js';
import { quietWait } from '../util/promise.js';
import type { CompiledMock } from './compile.js';
import type { PathPattern } from './router.js';
import type { MockEnvelope, MockType } from './types.js';

/** Options of {@link Mock.update}. */
export interface UpdateOptions {
  /** Replace the whole config instead of merging `config` into it (the admin API's PUT). */
  replace?: boolean;
}

/** The fields every mock config has, whatever its kind. */
export interface MockConfigBase {
  /** Required, starts with `/`. */
  path: string;
  /** Stable id (default: generated). Unique per server. */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. A disabled mock refuses clients with 503. */
  enabled?: boolean;
}

/**
 * A mock type: how its config is validated, compiled and written as an
 * envelope, and how its handle is made. The registry holds mocks of every kind.
 */
export interface MockKind<Config extends MockConfigBase = MockConfigBase, M extends Mock<Config> = Mock<Config>, State = unknown> {
  /** The envelope's `type`, also the key holding the fields (`{ type: 'graphql', graphql: {…} }`). */
  readonly type: MockType;
  /** The path of a mock whose config names none (a kit's `defaultPath`); the WebSocket kind has none. */
  readonly defaultPath?: string;
  /** What carries its connections: their `type` (`websocket`, `sse`, a kit's own). */
  readonly carrier: string;
  /** The kit it was made from (`defineKit`), if any: what `server.mocks.add(kit, …)` is checked against. */
  readonly kit?: object;
  /** The declarative fields as config files and the admin API write them (JSON values only). */
  readonly declarative: z.ZodObject;
  /** Validates an in-process config; throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field. */
  validate(input: unknown): Config;
  /** What lives as long as the mock, across its versions (a kit's waits and handles). */
  state(group: ConnectionGroup): State;
  /** Compiles one version of the mock. */
  compile(id: string, config: Config, state: State, host: PipelineHost): CompiledMock;
  /** The envelope's fields: the config without identity and without in-process functions. */
  fields(config: Config): Record<string, unknown>;
  /** Makes the handle. */
  create(init: MockInit<Config, State>): M;
}

/** What the registry gives a new mock. */
export interface MockInit<Config extends MockConfigBase = MockConfigBase, State = unknown> {
  id: string;
  kind: MockKind<Config, Mock<Config>, State>;
  config: Config;
  state: State;
  compiled: CompiledMock;
  group: ConnectionGroup;
  host: MockHost;
}

/** What a mock needs from the registry that holds it. */
export interface MockHost {
  /** `ws(s)://host:port` plus `path`. */
  url(path: string): string;
  /** `http(s)://host:port` plus `path`: the same listener. */
  httpUrl(path: string): string;
  compile(mock: Mock, config: MockConfigBase): CompiledMock;
  /** Throws `WSMOCK_ERR_PATH_CONFLICT` when another enabled mock serves the same path. */
  assertPathFree(mock: Mock, pattern: PathPattern): void;
  closeAll(connections: Iterable<Connection>, code: number, reason: string): Promise<number>;
  broadcast(connections: Iterable<Connection>, data: SendData, options: SendOptions & { except?: BroadcastExcept; room?: string }): number;
  removed(mock: Mock): void;
  updated(mock: Mock): void;
  /** The mock's own chaos changed at run time (no recompile, no disconnect). */
  chaos(mock: Mock, chaos: ChaosOptions | null | undefined): void;
}

let compiledOfImpl: (mock: Mock) => CompiledMock;
let groupOfImpl: (mock: Mock) => ConnectionGroup;
let stateOfImpl: (mock: Mock) => unknown;

/**
 * A mock of any kind defined on a {@link MockServer}: its config, its live
 * connections, and the operations that change it. Changing a mock closes its
 * connections with 1012 so clients reconnect to the new behaviour.
 */
export class Mock<Config extends MockConfigBase = MockConfigBase> {
  /** Unique per server. */
  readonly id: string;
  /** The mock type: `websocket`, or its kit's `type` (`socketio`, `graphql`, `jsonrpc`, `sse`, …). */
  readonly type: MockType;
  #config: Config;
  #compiled: CompiledMock;
  readonly #kind: MockKind<Config, Mock<Config>, unknown>;
  readonly #state: unknown;
  readonly #group: ConnectionGroup;
  readonly #host: MockHost;
  #removed = false;

  /** @internal Created by the server (`server.websocket()`, `server.graphql()`, …). */
  constructor(init: MockInit<Config, unknown>) {
    this.id = init.id;
    this.type = init.kind.type;
    this.#kind = init.kind;
    this.#config = { ...cloneConfig(init.config), id: init.id };
    this.#compiled = init.compiled;
    this.#state = init.state;
    this.#group = init.group;
    this.#host = init.host;
    brand(this, 'mock');
  }

  static {
    compiledOfImpl = (mock) => mock.#compiled;
    groupOfImpl = (mock) => mock.#group;
    stateOfImpl = (mock) => mock.#state;
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

  /**
   * What the mock's clients open: `ws://host:port` plus the path (`wss://`
   * with `tls`; parameter segments left as written). A kit whose clients open
   * something else says so: an SSE mock's is its `http(s)://` URL, a
   * Socket.IO mock's the server's origin.
   */
  get url(): string {
    return this.#host.url(this.#config.path);
  }

  /**
   * `http://host:port` plus the path (`https://` with `tls`): the same
   * listener over plain HTTP, for what is not a WebSocket (an `EventSource`,
   * Engine.IO's long-polling, `fetch`).
   */
  get httpUrl(): string {
    return this.#host.httpUrl(this.#config.path);
  }

  /** Whether the mock accepts clients. */
  get enabled(): boolean {
    return this.#config.enabled !== false;
  }

  /** A copy of the current config. */
  get config(): Config {
    return cloneConfig(this.#config);
  }

  /** Open connections (one per client socket), in arrival order. */
  get connections(): Connection[] {
    return [...this.#group.open];
  }

  /** Journal of every frame on this mock's connections, both directions. */
  get messages(): Message[] {
    return this.#group.messages();
  }

  /** The envelope form used by config files and the admin API (in-process functions are left out). */
  toJSON(): MockEnvelope {
    const { id, name, enabled } = this.#config;
    // Keys in the order people read them: identity first, the mock last.
    const envelope = {
      id: id!,
      ...(name !== undefined ? { name } : {}),
      type: this.type,
      enabled: enabled !== false,
      [this.type]: this.#kind.fields(this.#config),
    };
    return JSON.parse(JSON.stringify(envelope)) as MockEnvelope;
  }

  /**
   * Resolves with the open connections once exactly `count` of them are open
   * (at once when they already are). It counts and consumes nothing.
   *
   * @example
   * ```ts
   * const [a, b] = await chat.waitForConnectionCount(2);
   * await chat.waitForConnectionCount(0); // every client has gone
   * ```
   */
  waitForConnectionCount(count: number, options: { timeout?: number } = {}): Promise<Connection[]> {
    return quietWait(() => this.#group.waitForConnectionCount(count, options));
  }

  /**
   * Validates and applies a change, then closes this mock's open connections
   * with 1012 "mock updated". Resolves with the number closed.
   */
  async update(config: Partial<Config>, options: UpdateOptions = {}): Promise<number> {
    this.#assertLive();
    if (config.id !== undefined && config.id !== this.id) {
      throw invalidConfig('mock update', [{ path: 'id', message: `cannot be changed (the mock is "${this.id}")` }]);
    }
    const next = this.#kind.validate(options.replace ? { ...config, id: this.id } : { ...this.#config, ...config });
    const compiled = this.#host.compile(this, next);
    if (next.enabled !== false) this.#host.assertPathFree(this, compiled.pattern);
    this.#config = { ...cloneConfig(next), id: this.id };
    this.#compiled = compiled;
    this.#host.updated(this);
    return this.#closeOpen('mock updated');
  }

  /**
   * Accepts clients again, from the call on. Returns a promise like the rest of
   * the lifecycle (`disable()`, `update()`, `remove()`), which resolves at once:
   * there is nothing to wait for. Rejects `WSMOCK_ERR_PATH_CONFLICT` if another
   * enabled mock took the path; never throws synchronously.
   */
  async enable(): Promise<void> {
    this.#assertLive();
    if (this.enabled) return;
    this.#host.assertPathFree(this, this.#compiled.pattern);
    this.#config.enabled = true;
    this.#host.updated(this);
  }

  /**
   * Refuses new clients (503) from the call on, and closes open connections with
   * 1012 "mock disabled"; resolves with the number closed once they are.
   */
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
      mockRemovedDuringWait(this.id),
    );
    return this.#closeOpen('mock removed');
  }

  /**
   * Replaces the config's `chaos` and the running chaos, without recompiling or
   * closing anyone: the next frame follows it. `chaos` is validated by the caller.
   *
   * @internal
   */
  protected replaceChaos(chaos: ChaosOptions | null): void {
    this.#assertLive();
    (this.#config as { chaos?: ChaosOptions | null }).chaos = chaos === null ? null : cloneConfig(chaos);
    this.#host.chaos(this, chaos);
    this.#host.updated(this);
  }

  /** Sends raw frames to connections of this mock (subclasses expose it in their protocol's terms). */
  protected broadcastFrames(data: SendData, options: SendOptions & { except?: BroadcastExcept; room?: string }): number {
    return this.#host.broadcast(this.#group.open, data, options);
  }

  #closeOpen(reason: string): Promise<number> {
    return this.#host.closeAll(this.#group.open, CloseCode.SERVICE_RESTART, reason);
  }

  #assertLive(): void {
    if (this.#removed) {
      throw mockRemoved(this.id);
    }
  }
}

/** The version of `mock` that new connections get (the upgrade path reads it). */
export function compiledOf(mock: Mock): CompiledMock {
  return compiledOfImpl(mock);
}

/** The connections of `mock`, as its group in the connection manager. */
export function groupOf(mock: Mock): ConnectionGroup {
  return groupOfImpl(mock);
}

/** What the mock's kind keeps across versions (a kit's waits and handles). */
export function stateOf<State>(mock: Mock): State {
  return stateOfImpl(mock) as State;
}
