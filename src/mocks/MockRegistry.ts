//
// The mock registry: the one owner of a server's mocks. It gives ids, refuses
// path conflicts, compiles configs into mock versions and routes a requested
// path to a mock (an exact path beats a parametrised one; among parametrised
// ones the most static segments win). `server.mocks` is this object.
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionManager } from '../connections/ConnectionManager.js';
import type { ScenarioInfo } from '../connections/types.js';
import { WsMockError, WsMockErrorCode } from '../errors.js';
import { compileMock, type CompiledMock } from './compile.js';
import type { PathPattern } from './router.js';
import type { WebSocketMockConfig } from './types.js';
import { validateMockConfig } from './validate.js';
import { compiledOf, groupOf, WebSocketMock, type MockHost } from './WebSocketMock.js';

/** The mock operations of a server. */
export interface MocksApi {
  /** Every mock, in definition order. */
  list(): WebSocketMock[];
  /** The mock with this id. */
  get(id: string): WebSocketMock | undefined;
  /** Removes a mock (its clients get 1012); rejects `WSMOCK_ERR_MOCK_NOT_FOUND` for an unknown id. */
  remove(id: string): Promise<number>;
  /** Removes every mock; resolves with the number of connections closed. */
  clear(): Promise<number>;
}

/** The result of routing a path. */
export type Route =
  | { kind: 'mock'; mock: WebSocketMock; compiled: CompiledMock; params: Record<string, string> }
  | { kind: 'disabled'; mock: WebSocketMock; compiled: CompiledMock }
  | { kind: 'none' };

/** What the registry reports to the server, which emits it. */
export interface MockEventsSink {
  added(mock: WebSocketMock): void;
  updated(mock: WebSocketMock): void;
  removed(mock: WebSocketMock): void;
  /** User code of a mock failed on a connection. */
  failed(error: Error, mockId: string, connection: Connection): void;
  scenarioFailed(connection: Connection, info: ScenarioInfo): void;
}

export class MockRegistry implements MocksApi {
  readonly #mocks = new Map<string, WebSocketMock>();
  readonly #connections: ConnectionManager;
  readonly #events: MockEventsSink;
  readonly #host: MockHost;
  #seq = 0;

  constructor(options: { connections: ConnectionManager; url(path: string): string; events: MockEventsSink }) {
    this.#connections = options.connections;
    this.#events = options.events;
    const connections = options.connections;
    this.#host = {
      url: options.url,
      compile: (id, config) => this.#compile(id, config),
      assertPathFree: (mock, pattern) => this.#assertPathFree(mock, pattern),
      closeAll: (list, code, reason) => connections.closeAll(list, code, reason),
      broadcast: (list, data, sendOptions) => connections.broadcastTo(list, data, sendOptions),
      removed: (mock) => {
        this.#mocks.delete(mock.id);
        this.#events.removed(mock);
      },
      updated: (mock) => this.#events.updated(mock),
    };
  }

  /** Validates and adds a mock; throws `WSMOCK_ERR_INVALID_CONFIG`, `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`. */
  define(input: unknown): WebSocketMock {
    const config = validateMockConfig(input);
    const id = config.id ?? this.#nextId();
    if (this.#mocks.has(id)) {
      throw new WsMockError(WsMockErrorCode.DUPLICATE_ID, `A mock with id "${id}" already exists; choose another id or remove it first.`);
    }
    const compiled = this.#compile(id, config);
    const group = this.#connections.group(() => `mock "${id}" (${config.path})`);
    const mock = new WebSocketMock(id, config, compiled, group, this.#host);
    if (mock.enabled) this.#assertPathFree(mock, compiled.pattern);
    this.#mocks.set(id, mock);
    this.#events.added(mock);
    return mock;
  }

  list(): WebSocketMock[] {
    return [...this.#mocks.values()];
  }

  get(id: string): WebSocketMock | undefined {
    return this.#mocks.get(id);
  }

  async remove(id: string): Promise<number> {
    const mock = this.#mocks.get(id);
    if (!mock) throw new WsMockError(WsMockErrorCode.MOCK_NOT_FOUND, `No mock with id "${id}". Known ids: ${[...this.#mocks.keys()].join(', ') || '(none)'}.`);
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
    let disabled: { mock: WebSocketMock; compiled: CompiledMock } | undefined;
    let best: { mock: WebSocketMock; compiled: CompiledMock; params: Record<string, string>; statics: number } | undefined;
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

  #compile(id: string, config: WebSocketMockConfig): CompiledMock {
    return compileMock(id, config, {
      report: (error, connection) => this.#events.failed(error, id, connection),
      scenarioFailed: (connection, info) => this.#events.scenarioFailed(connection, info),
      connectionCount: () => {
        const mock = this.#mocks.get(id);
        return mock ? groupOf(mock).open.size : 0;
      },
    });
  }

  #assertPathFree(mock: WebSocketMock, pattern: PathPattern): void {
    for (const other of this.#mocks.values()) {
      if (other === mock || !other.enabled) continue;
      if (compiledOf(other).pattern.key === pattern.key) {
        throw new WsMockError(
          WsMockErrorCode.PATH_CONFLICT,
          `Mock "${other.id}" already serves ${other.path}; disable or remove it before enabling another mock on ${pattern.template}.`,
        );
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
