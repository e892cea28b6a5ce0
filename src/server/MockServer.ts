import type { AdminListenOptions } from '../admin/options.js';
import type { Connection } from '../connections/Connection.js';
import type { WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
import type { ConnectionFilter, ConnectionsApi } from '../connections/ConnectionManager.js';
import type { MockRegistry, MocksApi } from '../mocks/MockRegistry.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { websocketKind, type WebSocketMock } from '../mocks/WebSocketMock.js';
import type { MockKinds } from '../mocks/kinds.js';
import { brand, hasBrand } from '../util/brand.js';
import { quietWait } from '../util/promise.js';
import type { ChaosOptions } from '../chaos/types.js';
import type { Recording } from '../record/Recording.js';
import { assemble, type ServerParts } from './assemble.js';
import { provideAddOfType } from './KitFactories.js';
import { ContractMethods, provideContractLayer } from './ContractMethods.js';
import type { ErrorContext, MockServerEvents, ServerState } from './events.js';
import { Lifecycle } from './lifecycle.js';
import type { ResolvedOptions } from './options.js';
import { serverStats } from './serverStats.js';
import type { TlsInfo } from './tls.js';
import type { Stats } from './stats.js';

export type { ConnectionFilter, ConnectionsApi, ErrorContext, MocksApi, MockServerEvents, ServerState };

let startImpl: (server: MockServer) => Promise<void>;

/**
 * A real WebSocket server on a loopback port with handles to every mock and
 * connection. Create one with {@link createMockServer}.
 *
 * The server itself is the public API; lifecycle.ts keeps its state and
 * orders start, reset and close, and assemble.ts builds the parts it holds:
 * the mock registry owns the mocks (`server.mocks`), the connection manager
 * the connections (`server.connections`), and the layers (server/layers.ts)
 * what chaos, the recorder and proxies keep.
 */
export class MockServer extends ContractMethods {
  /** Mock definitions: list, get, remove, clear. */
  readonly mocks: MocksApi;
  /** Live connections: list, get, close, send, broadcast. */
  readonly connections: ConnectionsApi;

  readonly #options: ResolvedOptions;
  readonly #parts: ServerParts;
  readonly #registry: MockRegistry;
  readonly #life: Lifecycle;

  /** @internal Use {@link createMockServer}. */
  constructor(options: ResolvedOptions, kinds: MockKinds) {
    super();
    this.#options = options;
    this.#parts = assemble(this, options, kinds);
    this.#life = new Lifecycle(this, this.#parts, options);
    this.mocks = this.#registry = this.#parts.registry;
    this.connections = this.#parts.manager;
    brand(this, 'server');
  }

  static {
    startImpl = (server) => server.#life.start();
    provideAddOfType((server, type, input, defaultPath) => {
      const self = server as MockServer;
      self.#assertOpen('define a mock');
      return self.#registry.addOfType(type, input, defaultPath);
    });
    provideContractLayer((server) => (server as MockServer).#parts.layers.contract);
  }

  /** True for any wsmock server, from this copy of the package or another (ESM and CommonJS builds). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'server');
  }

  /** `ws://host:port`, or `wss://host:port` with `tls`. */
  get url(): string {
    return this.#life.listener.wsOrigin;
  }

  /** `http://host:port`, or `https://` with `tls` (the same listener). */
  get httpUrl(): string {
    return this.#life.listener.origin;
  }

  /** The port the server listens on. */
  get port(): number {
    return this.#life.listener.port;
  }

  /** The seed of this server's random (`{{uuid}}` and everything random): pass it to `createMockServer({ seed })` to replay a run. */
  get seed(): number {
    return this.#options.seed;
  }

  /**
   * What a client needs to trust this server's TLS (`ca`, and the `cert` it
   * presents, both PEM), or `null` when no listener of the server speaks TLS.
   * Set with `createMockServer({ tls })`; `admin: { tls: true }` on a server
   * without TLS sets it too (the admin listener's certificate).
   *
   * @example
   * ```ts
   * const server = await createMockServer({ tls: true });
   * const client = new WebSocket(server.websocket('/feed').url, { ca: server.tls!.ca }); // wss://127.0.0.1:PORT/feed
   * ```
   */
  get tls(): TlsInfo | null {
    return this.#life.tls?.info ?? null;
  }

  /** The admin API's base URL (`http://127.0.0.1:PORT`, `https://` with its `tls`) while an admin listener runs, else `undefined`. */
  get adminUrl(): string | undefined {
    return this.#life.admin.url;
  }

  /** `running`, `closing` or `closed`. */
  get state(): ServerState {
    return this.#life.state;
  }

  /**
   * Defines a WebSocket mock. Validates synchronously and throws
   * `WSMOCK_ERR_INVALID_CONFIG` listing every problem, `WSMOCK_ERR_DUPLICATE_ID`
   * or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const feed = server.websocket('/feed');                       // echo mock
   * const chat = server.websocket({ path: '/chat/:room', matchers: [
   *   { match: { type: 'json', path: '$.type', value: 'join' },
   *     response: { type: 'json', value: { type: 'joined', room: '{{connection.params.room}}' } } },
   * ] });
   * ```
   */
  websocket(config: WebSocketMockConfig): WebSocketMock;
  websocket(path: string, config?: Omit<WebSocketMockConfig, 'path'>): WebSocketMock;
  websocket(pathOrConfig: string | WebSocketMockConfig, config?: Omit<WebSocketMockConfig, 'path'>): WebSocketMock {
    this.#assertOpen('define a mock');
    return this.#registry.addKind(websocketKind, typeof pathOrConfig === 'string' ? { ...config, path: pathOrConfig } : pathOrConfig);
  }

  /** Server-wide figures; see {@link Stats}. */
  stats(): Stats {
    const { counters, manager } = this.#parts;
    return serverStats(counters, manager, this.#registry);
  }

  /**
   * Sets the default chaos of every mock (a mock's own `chaos` overrides it key
   * by key), or turns it off with `null`. Applies to the next frame and the next
   * handshake; nobody is disconnected. Throws `WSMOCK_ERR_INVALID_CONFIG` naming
   * the bad field, and then the running chaos is unchanged.
   *
   * @example
   * ```ts
   * const server = await createMockServer({ seed: 1234 });
   * server.chaos({ disconnect: { afterFrames: 3, mode: 'abrupt' }, refuse: { first: 1 } });
   * // … the client reconnects …
   * server.chaos(null);
   * ```
   */
  chaos(options: ChaosOptions | null): void {
    this.#assertOpen('change chaos');
    this.#parts.layers.chaos.configure(options);
  }

  /** The server's default chaos (a copy), or `null` when there is none. */
  get chaosOptions(): ChaosOptions | null {
    return this.#parts.layers.chaos.options();
  }

  /**
   * What the mocks with `record: true` recorded: mock `mockId`'s, or every
   * recording mock's. A snapshot, in the `wsmock-recording/1` format; save it
   * with `recording.save(file)`, replay it with `replay: { recording }`. Throws
   * `WSMOCK_ERR_MOCK_NOT_FOUND` for a mock that does not exist or does not record.
   *
   * @example
   * ```ts
   * const live = server.websocket({ path: '/live', record: true, matchers: [...] });
   * // … a client talks to it …
   * await server.recording(live.id).save('live.recording.json');
   * ```
   */
  recording(mockId?: string): Recording {
    return this.#parts.layers.record.recording(this.#registry, mockId);
  }

  /** Like {@link WebSocketMock.waitForConnection}, across every mock of the server. */
  waitForConnection(options: WaitForConnectionOptions = {}): Promise<Connection> {
    return quietWait(() => this.#parts.manager.all.waitForConnection(options));
  }

  /**
   * Like {@link WebSocketMock.waitForConnectionCount}, across every mock: resolves
   * with the open connections once exactly `count` are open.
   */
  waitForConnectionCount(count: number, options: { timeout?: number } = {}): Promise<Connection[]> {
    return quietWait(() => this.#parts.manager.all.waitForConnectionCount(count, options));
  }

  /**
   * Closes every connection with 1012 "server reset", removes every mock,
   * clears journals and counters, and puts the server's chaos back to the
   * `chaos` option it was created with. The server keeps listening. Meant for `afterEach`.
   *
   * 1012 tells a reconnecting client (partysocket, socket.io-client, an
   * EventSource) to come back: close the app's client before `reset()`, or it
   * reconnects into the next test's mock. A connection that arrives within 5 s
   * from a client like one reset() closed is flagged `conn.info.afterReset`,
   * and the waits and matchers that count connections warn about it.
   */
  reset(): Promise<void> {
    return this.#life.reset();
  }

  /**
   * Starts the HTTP admin API (see `createAdminHandler`) on a listener of its
   * own, by default on 127.0.0.1 and an ephemeral port. Resolves with its URL,
   * also readable as `server.adminUrl`. `close()` stops it. The admin modules
   * (and prom-client) are loaded only now. `tls: true` serves it over HTTPS with
   * the server's certificate (made now when the server has none; see `server.tls`),
   * `tls: { key, cert }` with yours.
   *
   * @example
   * ```ts
   * const server = await createMockServer();
   * const adminUrl = await server.listenAdmin({ token: 'secret' });
   * const res = await fetch(`${adminUrl}/websocket/stats`, { headers: { authorization: 'Bearer secret' } });
   * ```
   */
  async listenAdmin(options: AdminListenOptions = {}): Promise<string> {
    this.#assertOpen('start the admin listener');
    return this.#life.admin.start(this, options, () => this.#life.certificate());
  }

  /**
   * Stops listening (at once: no new connection is accepted, and the port can
   * be reused as soon as this resolves), closes every connection with 1001
   * "server shutdown" and releases every handle so the process can exit.
   * Safe to call twice.
   */
  close(): Promise<void> {
    return this.#life.close();
  }

  /** `await using server = await createMockServer()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(action: string): void {
    this.#life.assertOpen(action);
  }
}

/** Starts listening (createMockServer calls it once). */
export function startServer(server: MockServer): Promise<void> {
  return startImpl(server);
}
