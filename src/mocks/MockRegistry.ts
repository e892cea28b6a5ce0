//
// The mock registry: the one owner of a server's mocks. It gives ids, refuses
// path conflicts, compiles configs into mock versions and routes a requested
// path to a mock (an exact path beats a parametrised one; among parametrised
// ones the most static segments win). `server.mocks` is this object.
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionManager } from '../connections/ConnectionManager.js';
import type { ScenarioInfo } from '../connections/types.js';
import { duplicateMockId, invalidConfig, mockNotFound, pathConflict } from '../errors.js';
import type { PipelineHost, PipelineLayer } from '../pipeline/stage.js';
import type { ChaosOptions } from '../chaos/types.js';
import { setNote } from '../util/notes.js';
import type { CompiledMock } from './compile.js';
import { compiledOf, groupOf, stateOf, type Mock, type MockConfigBase, type MockHost, type MockKind } from './Mock.js';
import type { PathPattern } from './router.js';
import { configOfEnvelope } from './envelope.js';
import type { MockKinds } from './kinds.js';
import type { MockEnvelope } from './types.js';
import type { ConfigOfKit, Kit, MockOfKit } from '../kit/Kit.js';

/** The mock operations of a server. */
export interface MocksApi {
  /**
   * Defines a mock of a kit registered on the server
   * (`createMockServer({ kits: [kit] })`), typed from the kit. Throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field (or a kit the server
   * does not have), `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const server = await createMockServer({ kits: [lineKit] });
   * const line = server.mocks.add(lineKit, { path: '/line', greeting: 'HI' });
   * const other = server.mocks.add(lineKit, '/other', { greeting: 'YO' });
   * ```
   */
  add<K extends Kit>(kit: K, config?: Partial<ConfigOfKit<K>>): MockOfKit<K>;
  /** Defines a mock of `kit` at `path`; see the overload above. */
  add<K extends Kit>(kit: K, path: string, config?: Omit<Partial<ConfigOfKit<K>>, 'path'>): MockOfKit<K>;
  /**
   * Defines a mock of any kind from its envelope, the form of config files and
   * the admin API: `{ type: 'websocket', websocket: { path: '/ws' } }`.
   */
  define(envelope: MockEnvelope): Mock;
  /** Every mock, in definition order. */
  list(): Mock[];
  /** @internal The mock kinds this server knows (the WebSocket kind and its kits'): envelope validation over HTTP. */
  readonly kinds: MockKinds;
  /** The mock with this id. */
  get(id: string): Mock | undefined;
  /** Removes a mock (its clients get 1012); rejects `WSMOCK_ERR_MOCK_NOT_FOUND` for an unknown id. */
  remove(id: string): Promise<number>;
  /** Removes every mock; resolves with the number of connections closed. */
  clear(): Promise<number>;
}

/** The result of routing a path. */
export type Route =
  | { kind: 'mock'; mock: Mock; compiled: CompiledMock; params: Record<string, string> }
  | { kind: 'disabled'; mock: Mock; compiled: CompiledMock }
  | { kind: 'none' };

/** What the registry reports to the server, which emits it. */
export interface MockEventsSink {
  added(mock: Mock): void;
  updated(mock: Mock): void;
  removed(mock: Mock): void;
  /** User code of a mock failed on a connection. */
  failed(error: Error, mockId: string, connection: Connection): void;
  scenarioFailed(connection: Connection, info: ScenarioInfo): void;
}

/** What the server's layers (server/layers.ts) do for the mocks. */
export interface MockLayers {
  /** What the layers add to mock `mockId`'s pipelines. */
  pipeline(mockId: string): readonly PipelineLayer[];
  /** A version of mock `mockId` was compiled from `config` into `compiled`. */
  compiled(mockId: string, config: MockConfigBase, compiled: CompiledMock): void;
  /** Mock `mockId` is gone (removed, or never added). */
  removed(mockId: string): void;
  /** `mock.chaos(options)`: the mock's own chaos from now on. */
  setChaos(mockId: string, options: ChaosOptions | null | undefined): void;
  /** What failure messages end with (the chaos seed), if anything. */
  note(): string | undefined;
}

export class MockRegistry implements MocksApi {
  readonly #mocks = new Map<string, Mock>();
  readonly #kinds = new WeakMap<Mock, MockKind<MockConfigBase, Mock<MockConfigBase>, unknown>>();
  readonly #connections: ConnectionManager;
  readonly #events: MockEventsSink;
  readonly #host: MockHost;
  #seq = 0;

  readonly #layers: MockLayers;

  /** The kinds this server knows: the WebSocket kind and the registered kits'. */
  readonly kinds: MockKinds;

  constructor(options: { kinds: MockKinds; connections: ConnectionManager; url(path: string): string; httpUrl(path: string): string; events: MockEventsSink; layers: MockLayers }) {
    this.kinds = options.kinds;
    this.#connections = options.connections;
    this.#layers = options.layers;
    this.#events = options.events;
    const connections = options.connections;
    this.#host = {
      url: options.url,
      httpUrl: options.httpUrl,
      compile: (mock, config) => this.#compile(this.#kinds.get(mock)!, mock.id, config, stateOf(mock)),
      assertPathFree: (mock, pattern) => this.#assertPathFree(mock, pattern),
      closeAll: (list, code, reason) => connections.closeAll(list, code, reason),
      broadcast: (list, data, sendOptions) => connections.broadcastTo(list, data, sendOptions),
      chaos: (mock, chaos) => this.#layers.setChaos(mock.id, chaos),
      removed: (mock) => {
        this.#mocks.delete(mock.id);
        this.#layers.removed(mock.id);
        this.#events.removed(mock);
      },
      updated: (mock) => this.#events.updated(mock),
    };
  }

  add<K extends Kit>(kit: K, pathOrConfig?: string | object, config?: object): MockOfKit<K> {
    const kind = this.kinds.get((kit as { type?: unknown } | null)?.type as string);
    if (!kind || kind.kit !== kit) {
      const type = typeof (kit as { type?: unknown } | null)?.type === 'string' ? `"${kit.type}"` : String(kit);
      throw invalidConfig('mocks.add()', [
        {
          path: 'kit',
          message: `${kind ? `is not the kit registered as ${type}` : `${type} is not a kit this server has`}: pass the kit to createMockServer({ kits: [...] }) (registered types: ${this.kinds.types.map((t) => `"${t}"`).join(', ')})`,
        },
      ]);
    }
    const input = typeof pathOrConfig === 'string' ? { ...config, path: pathOrConfig } : pathOrConfig;
    return this.addOfType(kind.type, input, true) as MockOfKit<K>;
  }

  /**
   * A mock of the registered `type` (the built-in factories are sugar over
   * it); with `defaultPath`, at the kind's default path when `input` names none.
   */
  addOfType(type: string, input: unknown, defaultPath = false): Mock {
    const kind = this.kinds.get(type);
    if (!kind) throw invalidConfig('mock definition', [{ path: 'type', message: `must be one of ${this.kinds.types.map((t) => `"${t}"`).join(', ')}` }]);
    const named = input === undefined || (typeof input === 'object' && input !== null && !Array.isArray(input) && !('path' in input));
    return this.addKind(kind, defaultPath && kind.defaultPath !== undefined && named ? { path: kind.defaultPath, ...(input as object) } : input);
  }

  /**
   * Validates and adds a mock of `kind`; throws `WSMOCK_ERR_INVALID_CONFIG`,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   */
  addKind<Config extends MockConfigBase, M extends Mock<Config>, State>(kind: MockKind<Config, M, State>, input: unknown): M {
    const config = kind.validate(input);
    const id = config.id ?? this.#nextId();
    if (this.#mocks.has(id)) {
      throw duplicateMockId(id);
    }
    const group = this.#connections.group(() => `mock "${id}" (${config.path})`);
    const state = kind.state(group);
    const compiled = this.#compile(kind as never, id, config, state);
    const mock = kind.create({ id, kind: kind as never, config, state, compiled, group, host: this.#host });
    if (mock.enabled) {
      try {
        this.#assertPathFree(mock, compiled.pattern);
      } catch (err) {
        this.#layers.removed(id);
        throw err;
      }
    }
    this.#mocks.set(id, mock);
    setNote(mock, () => this.#layers.note());
    this.#kinds.set(mock, kind as never);
    this.#events.added(mock);
    return mock;
  }

  define(envelope: MockEnvelope): Mock {
    const { kind, config } = configOfEnvelope(this.kinds, envelope);
    return this.addKind(kind, config);
  }

  list(): Mock[] {
    return [...this.#mocks.values()];
  }

  get(id: string): Mock | undefined {
    return this.#mocks.get(id);
  }

  async remove(id: string): Promise<number> {
    const mock = this.#mocks.get(id);
    if (!mock) throw mockNotFound(id, [...this.#mocks.keys()]);
    return mock.remove();
  }

  async clear(): Promise<number> {
    const counts = await Promise.all(this.list().map((mock) => mock.remove()));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Open connections per mock id, every mock listed. */
  openCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const mock of this.#mocks.values()) counts[mock.id] = groupOf(mock).open.size;
    return counts;
  }

  /** The mock that serves `pathname`, if any. */
  route(pathname: string): Route {
    let disabled: { mock: Mock; compiled: CompiledMock } | undefined;
    let best: { mock: Mock; compiled: CompiledMock; params: Record<string, string>; statics: number } | undefined;
    for (const mock of this.#mocks.values()) {
      const compiled = compiledOf(mock);
      const params = compiled.pattern.match(pathname);
      if (!params) continue;
      if (!mock.enabled) {
        disabled ??= { mock, compiled };
        continue;
      }
      if (compiled.pattern.exact) return { kind: 'mock', mock, compiled, params };
      if (!best || compiled.pattern.staticSegments > best.statics) best = { mock, compiled, params, statics: compiled.pattern.staticSegments };
    }
    if (best) return { kind: 'mock', mock: best.mock, compiled: best.compiled, params: best.params };
    return disabled ? { kind: 'disabled', ...disabled } : { kind: 'none' };
  }

  #compile(kind: MockKind, id: string, config: MockConfigBase, state: unknown): CompiledMock {
    const compiled = kind.compile(id, config, state, this.#pipelineHost(id));
    this.#layers.compiled(id, config, compiled);
    return compiled;
  }

  /** What the stages of mock `id` report through. */
  #pipelineHost(id: string): PipelineHost {
    return {
      report: (error, connection) => this.#events.failed(error, id, connection),
      scenarioFailed: (connection, info) => this.#events.scenarioFailed(connection, info),
      layers: this.#layers.pipeline(id),
      connectionCount: () => {
        const mock = this.#mocks.get(id);
        return mock ? groupOf(mock).open.size : 0;
      },
    };
  }

  #assertPathFree(mock: Mock, pattern: PathPattern): void {
    for (const other of this.#mocks.values()) {
      if (other === mock || !other.enabled) continue;
      if (compiledOf(other).pattern.key === pattern.key) {
        throw pathConflict(other.id, other.path, pattern.template);
      }
    }
  }

  #nextId(): string {
    let id: string;
    do id = `mock-${++this.#seq}`;
    while (this.#mocks.has(id));
    return id;
  }
}
