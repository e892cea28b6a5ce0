import { EventEmitter } from 'eventemitter3';
import type { AdminListenOptions } from '../admin/options.js';
import type { Connection } from '../connections/Connection.js';
import type { WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
import { ConnectionManager, type ConnectionFilter, type ConnectionsApi } from '../connections/ConnectionManager.js';
import { serverClosedDuringWait, serverNotListening, serverNotRunning } from '../errors.js';
import { MockRegistry, type MocksApi } from '../mocks/MockRegistry.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { groupOf } from '../mocks/Mock.js';
import { websocketKind, type WebSocketMock } from '../mocks/WebSocketMock.js';
import type { MockKinds } from '../mocks/kinds.js';
// Type-only: the built-in factories below are sugar over the registry by
// type, and name the handles they return. No kit's code is loaded from here.
import type { GraphQLMock } from '../kits/graphql/GraphQLMock.js';
import type { GraphQLMockConfig } from '../kits/graphql/types.js';
import type { JsonRpcMock } from '../kits/jsonrpc/JsonRpcMock.js';
import type { JsonRpcMockConfig } from '../kits/jsonrpc/types.js';
import type { SseMock } from '../kits/sse/SseMock.js';
import type { SseMockConfig } from '../kits/sse/types.js';
import type { SocketIoMockConfig } from '../kits/socketio/config.js';
import type { SocketIoMock } from '../kits/socketio/SocketIoMock.js';
import { brand, hasBrand } from '../util/brand.js';
import { CloseCode } from '../util/closeCodes.js';
import { setNote } from '../util/notes.js';
import { quietWait } from '../util/promise.js';
import type { ChaosOptions } from '../chaos/types.js';
import type { Recording } from '../record/Recording.js';
import { Admission } from './accept.js';
import { AdminSlot } from './adminSlot.js';
import { connectionEvents, mockEvents, type ErrorContext, type MockServerEvents, type ServerState } from './events.js';
import { answerRequest } from './httpRequest.js';
import { ServerLayers } from './layers.js';
import { listen, type Listener } from './listener.js';
import type { ResolvedOptions } from './options.js';
import { serverStats } from './serverStats.js';
import { tlsMaterial, type TlsInfo, type TlsMaterial } from './tls.js';
import { Counters, registerCounters, type Stats } from './stats.js';
import { UpgradeHandler } from './upgrade.js';

export type { ConnectionFilter, ConnectionsApi, ErrorContext, MocksApi, MockServerEvents, ServerState };

let startImpl: (server: MockServer) => Promise<void>;

/**
 * A real WebSocket server on a loopback port with handles to every mock and
 * connection. Create one with {@link createMockServer}.
 *
 * The server itself holds the lifecycle; the mock registry owns the mocks
 * (`server.mocks`), the connection manager the connections
 * (`server.connections`), and the layers (server/layers.ts) what chaos,
 * the recorder and proxies keep.
 */
export class MockServer extends EventEmitter<MockServerEvents> {
  /** Mock definitions: list, get, remove, clear. */
  readonly mocks: MocksApi;
  /** Live connections: list, get, close, send, broadcast. */
  readonly connections: ConnectionsApi;

  readonly #options: ResolvedOptions;
  readonly #counters = new Counters();
  readonly #registry: MockRegistry;
  readonly #manager: ConnectionManager;
  readonly #admission: Admission;
  readonly #upgrades: UpgradeHandler;
  readonly #layers: ServerLayers;
  readonly #admin = new AdminSlot();
  #listener: Listener | undefined;
  #state: ServerState = 'starting';
  #closing: Promise<void> | undefined;
  /** The certificate of the server's TLS listeners: made at start with `tls`, or for the admin listener's `tls: true`. */
  #tls: TlsMaterial | undefined;

  /** @internal Use {@link createMockServer}. */
  constructor(options: ResolvedOptions, kinds: MockKinds) {
    super();
    this.#options = options;
    registerCounters(this, this.#counters);
    const layers = (this.#layers = new ServerLayers(options, (fault) => {
      this.#counters.fault(fault.kind);
      this.emit('chaos', fault);
    }));
    this.#manager = new ConnectionManager({
      note: () => layers.note(),
      timeout: options.timeout,
      closeTimeout: options.closeTimeout,
      journalLimit: options.journal.limit,
      releaseClosed: options.journal.releaseClosed,
      seed: options.seed,
      label: () => this.url,
      counters: this.#counters,
      carriers: kinds.carriers,
      events: connectionEvents(this),
    });
    this.#registry = new MockRegistry({
      kinds,
      connections: this.#manager,
      layers,
      url: (path) => `${this.url}${path}`,
      httpUrl: (path) => `${this.httpUrl}${path}`,
      events: mockEvents(this),
    });
    this.#admission = new Admission(this.#manager);
    this.#upgrades = new UpgradeHandler({
      running: () => this.#state === 'running',
      route: (pathname) => this.#registry.route(pathname),
      openCount: (mock) => groupOf(mock).open.size,
      hooks: layers.handshakeHooks,
      rejected: (info) => {
        this.#counters.rejected(info.mockId, info.error);
        this.emit('rejected', info);
      },
      failed: (error, mock) => this.emit('error', error, { mockId: mock.id }),
      accept: (...args) => this.#admission.upgraded(...args),
    });
    this.mocks = this.#registry;
    this.connections = this.#manager;
    setNote(this, () => layers.note());
    brand(this, 'server');
  }

  static {
    startImpl = async (server) => {
      const tls = await tlsMaterial(server.#options.tls);
      server.#tls = tls;
      const requests = { running: () => server.#state === 'running', route: (pathname: string) => server.#registry.route(pathname), admission: server.#admission };
      server.#listener = await listen({
        ...(tls ? { tls } : {}),
        host: server.#options.host,
        port: server.#options.port,
        what: 'listen',
        request: (req, res) => answerRequest(requests, req, res),
        upgrade: (req, socket, head) => server.#upgrades.handle(req, socket, head),
      });
      server.#state = 'running';
    };
  }

  /** True for any wsmock server, from this copy of the package or another (ESM and CommonJS builds). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'server');
  }

  /** `ws://host:port`, or `wss://host:port` with `tls`. */
  get url(): string {
    return this.#running().wsOrigin;
  }

  /** `http://host:port`, or `https://` with `tls` (the same listener). */
  get httpUrl(): string {
    return this.#running().origin;
  }

  /** The port the server listens on. */
  get port(): number {
    return this.#running().port;
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
    return this.#tls?.info ?? null;
  }

  /** The admin API's base URL (`http://127.0.0.1:PORT`, `https://` with its `tls`) while an admin listener runs, else `undefined`. */
  get adminUrl(): string | undefined {
    return this.#admin.url;
  }

  /** `running`, `closing` or `closed`. */
  get state(): ServerState {
    return this.#state;
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

  /**
   * Defines a Socket.IO mock (Engine.IO v4 over long-polling and WebSocket,
   * Socket.IO protocol v5) at `path` (or `options.path`), `/socket.io/` by default: a
   * `socket.io-client` with default options reaches it at `server.url`.
   * Throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const io = server.socketio('/socket.io/', {
   *   events: { join: { emit: ['joined', { ok: true }] }, ping: { ack: ['pong'] } },
   *   namespaces: { '/admin': { refuse: { message: 'admins only' } } },
   * });
   * const socket = await io.waitForConnection();
   * ```
   */
  socketio(path?: string, options?: Omit<SocketIoMockConfig, 'path'>): SocketIoMock;
  /** Defines a Socket.IO mock from one config object (`path` defaults to `/socket.io/`). */
  socketio(options: Partial<SocketIoMockConfig>): SocketIoMock;
  socketio(pathOrOptions?: string | Partial<SocketIoMockConfig>, options: Omit<SocketIoMockConfig, 'path'> = {}): SocketIoMock {
    this.#assertOpen('define a mock');
    return this.#registry.addOfType('socketio', typeof pathOrOptions === 'string' ? { ...options, path: pathOrOptions } : pathOrOptions, true) as SocketIoMock;
  }

  /**
   * Defines a GraphQL over WebSocket mock (default path `/graphql`) speaking
   * graphql-ws's `graphql-transport-ws` and the legacy `graphql-ws` of
   * subscriptions-transport-ws. Validates like {@link MockServer.websocket}.
   *
   * @example
   * ```ts
   * const gql = server.graphql('/graphql', {
   *   connectionInit: (payload) => payload?.token === 'secret',
   *   operations: { GetUser: { data: { user: { id: '{{variables.id}}' } } } },
   * });
   * const op = await gql.waitForOperation({ operationName: 'OnPrice' });
   * await op.next({ price: 1 });
   * ```
   */
  graphql(path?: string, options?: Omit<GraphQLMockConfig, 'path'>): GraphQLMock;
  /** Defines a GraphQL mock from one config object (`path` defaults to `/graphql`). */
  graphql(options: Partial<GraphQLMockConfig>): GraphQLMock;
  graphql(pathOrOptions?: string | Partial<GraphQLMockConfig>, options: Omit<GraphQLMockConfig, 'path'> = {}): GraphQLMock {
    this.#assertOpen('define a mock');
    return this.#registry.addOfType('graphql', typeof pathOrOptions === 'string' ? { ...options, path: pathOrOptions } : pathOrOptions, true) as GraphQLMock;
  }

  /**
   * Defines a JSON-RPC 2.0 mock: requests, notifications and batches answered
   * from `methods` (declarative answers or in-process functions), the
   * specification's errors for the rest. Validates synchronously and throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field, `WSMOCK_ERR_DUPLICATE_ID`
   * or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const rpc = server.jsonrpc('/rpc', { methods: {
   *   add: { result: '{{params[0]}}' },               // numbers stay numbers
   *   divide: ([a, b]) => a / b,                       // in-process
   *   checkout: { manual: true },                      // the test answers: rpc.waitForCall('checkout')
   *   fail: { error: { code: -32000, message: 'down' } },
   * } });
   * ```
   */
  jsonrpc(config: JsonRpcMockConfig): JsonRpcMock;
  jsonrpc(path: string, config?: Omit<JsonRpcMockConfig, 'path'>): JsonRpcMock;
  jsonrpc(pathOrConfig: string | JsonRpcMockConfig, config?: Omit<JsonRpcMockConfig, 'path'>): JsonRpcMock {
    this.#assertOpen('define a mock');
    return this.#registry.addOfType('jsonrpc', typeof pathOrConfig === 'string' ? { ...config, path: pathOrConfig } : pathOrConfig) as JsonRpcMock;
  }

  /**
   * Defines a Server-Sent Events mock: every GET on `path` opens a stream
   * (an `SseConnection`, held by the same connection manager as
   * WebSocket connections) that gets `events`. Validates synchronously and
   * throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const feed = server.sse('/feed', { retry: 500, events: [{ event: 'hello', data: { user: '{{connection.query.user}}' } }] });
   * const source = new EventSource(`${server.httpUrl}/feed?user=ada`);
   * const conn = await feed.waitForConnection();
   * await conn.send({ event: 'price', id: '1', data: { price: 12 } });
   * ```
   */
  sse(config: SseMockConfig): SseMock;
  /** Defines a Server-Sent Events mock at `path`; see the overload above. */
  sse(path: string, config?: Omit<SseMockConfig, 'path'>): SseMock;
  sse(pathOrConfig: string | SseMockConfig, config?: Omit<SseMockConfig, 'path'>): SseMock {
    this.#assertOpen('define a mock');
    return this.#registry.addOfType('sse', typeof pathOrConfig === 'string' ? { ...config, path: pathOrConfig } : pathOrConfig) as SseMock;
  }

  /** Server-wide figures; see {@link Stats}. */
  stats(): Stats {
    return serverStats(this.#counters, this.#manager, this.#registry);
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
    this.#layers.chaos.configure(options);
  }

  /** The server's default chaos (a copy), or `null` when there is none. */
  get chaosOptions(): ChaosOptions | null {
    return this.#layers.chaos.options();
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
    return this.#layers.record.recording(this.#registry, mockId);
  }

  /** Like {@link WebSocketMock.waitForConnection}, across every mock of the server. */
  waitForConnection(options: WaitForConnectionOptions = {}): Promise<Connection> {
    return quietWait(() => this.#manager.all.waitForConnection(options));
  }

  /**
   * Like {@link WebSocketMock.waitForConnectionCount}, across every mock: resolves
   * with the open connections once exactly `count` are open.
   */
  waitForConnectionCount(count: number, options: { timeout?: number } = {}): Promise<Connection[]> {
    return quietWait(() => this.#manager.all.waitForConnectionCount(count, options));
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
  async reset(): Promise<void> {
    this.#assertOpen('reset');
    this.#upgrades.dropHeld(true);
    await this.#manager.closeForReset(CloseCode.SERVICE_RESTART, 'server reset');
    await this.#registry.clear();
    // What the layers keep goes back to how the server started (the proxy's
    // upstream sockets gone, chaos back to the option, recordings forgotten).
    await this.#layers.reset();
    this.#manager.clear();
    this.#counters.reset();
    this.emit('reset');
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
    return this.#admin.start(this, options, async () => (this.#tls ??= await tlsMaterial(true))!);
  }

  /**
   * Stops listening (at once: no new connection is accepted, and the port can
   * be reused as soon as this resolves), closes every connection with 1001
   * "server shutdown" and releases every handle so the process can exit.
   * Safe to call twice.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** `await using server = await createMockServer()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    this.#state = 'closing';
    this.emit('closing');
    // Stop listening first: no connection is accepted while the others close,
    // and the port is free for the next server when close() resolves.
    this.#listener?.stop();
    this.#upgrades.dropHeld();
    await this.#manager.closeAll(this.#manager.all.open, CloseCode.GOING_AWAY, 'server shutdown');
    await this.#layers.close();
    this.#manager.abortWaits(serverClosedDuringWait());
    for (const mock of this.#registry.list()) {
      groupOf(mock).waits.abortAll(serverClosedDuringWait(mock.id));
    }
    await this.#listener?.close();
    await this.#admin.close();
    this.#state = 'closed';
  }

  #running(): Listener {
    if (!this.#listener) {
      throw serverNotListening();
    }
    return this.#listener;
  }

  #assertOpen(action: string): void {
    if (this.#state === 'closing' || this.#state === 'closed') {
      throw serverNotRunning(action, this.#state);
    }
  }
}

/** Starts listening (createMockServer calls it once). */
export function startServer(server: MockServer): Promise<void> {
  return startImpl(server);
}
