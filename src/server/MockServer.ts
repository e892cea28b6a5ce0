import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventEmitter } from 'eventemitter3';
import type { AdminListenOptions } from '../admin/options.js';
import type { Connection, ConnectionFactory } from '../connections/Connection.js';
import type { WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
import { ConnectionManager, type ConnectionFilter, type ConnectionsApi } from '../connections/ConnectionManager.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo, ScenarioInfo } from '../connections/types.js';
import { WsMockError, WsMockErrorCode } from '../errors.js';
import type { CompiledMock } from '../mocks/compile.js';
import { MockRegistry, type MocksApi } from '../mocks/MockRegistry.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { groupOf, type Mock } from '../mocks/Mock.js';
import { websocketKind, type WebSocketMock } from '../mocks/WebSocketMock.js';
import type { MockKinds } from '../mocks/kinds.js';
import type { Transport } from '../transport/types.js';
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
import { cloneConfig } from '../util/clone.js';
import { setNote } from '../util/notes.js';
import { quietWait } from '../util/promise.js';
import { recordFault } from '../connections/Connection.js';
import { ServerChaos } from '../chaos/ServerChaos.js';
import type { ChaosEvent, ChaosOptions } from '../chaos/types.js';
import { validateChaos } from '../chaos/validate.js';
import { Recordings } from '../record/Recorder.js';
import { recordingOf } from '../record/serverRecording.js';
import type { Recording } from '../record/Recording.js';
import { listen, type Listener } from './listener.js';
import { INVALID_TARGET_ERROR, targetPath } from './requestTarget.js';
import type { ResolvedOptions } from './options.js';
import { tlsMaterial, type TlsInfo, type TlsMaterial } from './tls.js';
import { Counters, registerCounters, type Stats } from './stats.js';
import { UpgradeHandler, type RejectionInfo } from './upgrade.js';
import { UpstreamOwner } from '../proxy/owner.js';

export type { ConnectionFilter, ConnectionsApi, MocksApi };

/** Where a reported error happened. */
export interface ErrorContext {
  /** The mock whose code failed. */
  mockId?: string;
  /** The connection it was handling. */
  connectionId?: string;
}

/** Lifecycle state of a {@link MockServer}. */
export type ServerState = 'starting' | 'running' | 'closing' | 'closed';

/** Events of a {@link MockServer}. */
export interface MockServerEvents {
  /** A client connected to a mock. */
  connection: [connection: Connection];
  /** A frame arrived from a client. */
  message: [connection: Connection, message: Message];
  /** A frame was sent to a client. */
  sent: [connection: Connection, message: Message];
  /** A connection closed. */
  close: [connection: Connection, info: CloseInfo];
  /** A handshake was refused. */
  rejected: [info: RejectionInfo];
  /** A mock was defined. */
  'mock:added': [mock: Mock];
  /** A mock was updated, enabled or disabled. */
  'mock:updated': [mock: Mock];
  /** A mock was removed. */
  'mock:removed': [mock: Mock];
  /** `reset()` cleared mocks, journals and counters. */
  reset: [];
  /** A connection's scenario failed (a required wait timed out). */
  'scenario:failed': [connection: Connection, info: ScenarioInfo];
  /** User code failed (a `respond` or `onConnection` that threw); the server keeps serving. */
  error: [error: Error, context: ErrorContext];
  /** Seeded chaos applied a fault (also journaled on the connection as `conn.faults`). */
  chaos: [fault: ChaosEvent];
  /** `close()` began: what listens to the server from outside (admin event streams, waits over HTTP) ends now. */
  closing: [];
}

/** A running admin listener, as the server holds it (admin/listen.ts, loaded on demand). */
interface AdminListener {
  readonly url: string;
  close(): Promise<void>;
}

let startImpl: (server: MockServer) => Promise<void>;

/**
 * A real WebSocket server on a loopback port with handles to every mock and
 * connection. Create one with {@link createMockServer}.
 *
 * The server itself holds the lifecycle; the mock registry owns the mocks
 * (`server.mocks`) and the connection manager the connections
 * (`server.connections`).
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
  readonly #upgrades: UpgradeHandler;
  readonly #chaos: ServerChaos;
  readonly #recordings: Recordings;
  /** Every upstream socket of the server's proxy mocks. */
  readonly #upstreams = new UpstreamOwner();
  #listener: Listener | undefined;
  #state: ServerState = 'starting';
  #closing: Promise<void> | undefined;
  #admin: AdminListener | undefined;
  #adminStarting = false;
  /** The certificate of the server's TLS listeners: made at start with `tls`, or for the admin listener's `tls: true`. */
  #tls: TlsMaterial | undefined;

  /** @internal Use {@link createMockServer}. */
  constructor(options: ResolvedOptions, kinds: MockKinds) {
    super();
    this.#options = options;
    registerCounters(this, this.#counters);
    this.#chaos = new ServerChaos(options.seed, options.chaos, (mockId, connection, fault) => {
      if (connection) recordFault(connection, fault);
      this.#counters.fault(fault.kind);
      this.emit('chaos', { ...fault, mockId, ...(connection ? { connectionId: connection.id } : {}) });
    });
    this.#manager = new ConnectionManager({
      note: () => this.#chaos.note(),
      timeout: options.timeout,
      closeTimeout: options.closeTimeout,
      journalLimit: options.journal.limit,
      releaseClosed: options.journal.releaseClosed,
      seed: options.seed,
      label: () => this.url,
      counters: this.#counters,
      carriers: kinds.carriers,
      events: {
        connection: (connection) => this.emit('connection', connection),
        message: (connection, message) => this.emit('message', connection, message),
        sent: (connection, message) => this.emit('sent', connection, message),
        close: (connection, info) => this.emit('close', connection, info),
      },
    });
    this.#recordings = new Recordings(options.journal.limit);
    this.#registry = new MockRegistry({
      kinds,
      connections: this.#manager,
      chaos: this.#chaos,
      recordings: this.#recordings,
      upstreams: this.#upstreams,
      url: (path) => `${this.url}${path}`,
      httpUrl: (path) => `${this.httpUrl}${path}`,
      events: {
        added: (mock) => this.emit('mock:added', mock),
        updated: (mock) => this.emit('mock:updated', mock),
        removed: (mock) => this.emit('mock:removed', mock),
        failed: (error, mockId, connection) => this.emit('error', error, { mockId, connectionId: connection.id }),
        scenarioFailed: (connection, info) => this.emit('scenario:failed', connection, info),
      },
    });
    this.#upgrades = new UpgradeHandler({
      running: () => this.#state === 'running',
      route: (pathname) => this.#registry.route(pathname),
      openCount: (mock) => groupOf(mock).open.size,
      chaos: (mock) => this.#chaos.of(mock.id).handshake(),
      rejected: (info) => {
        this.#counters.rejected(info.mockId, info.error);
        this.emit('rejected', info);
      },
      failed: (error, mock) => this.emit('error', error, { mockId: mock.id }),
      accept: (transport, request, mock, compiled, params, adopt) => this.#accept(transport, request, mock, compiled, params, adopt),
    });
    this.mocks = this.#registry;
    this.connections = this.#manager;
    setNote(this, () => this.#chaos.note());
    brand(this, 'server');
  }

  static {
    startImpl = async (server) => {
      const tls = await tlsMaterial(server.#options.tls);
      server.#tls = tls;
      server.#listener = await listen({
        ...(tls ? { tls } : {}),
        host: server.#options.host,
        port: server.#options.port,
        what: 'listen',
        request: (req, res) => server.#request(req, res),
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
    return this.#admin?.url;
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
    const byType = this.#counters.byType(this.#registry.kinds.carriers);
    for (const [type, count] of Object.entries(this.#manager.openByType())) byType[type]!.activeConnections = count;
    return {
      ...this.#counters.totals(),
      activeConnections: this.#manager.size,
      connectionsByMock: this.#registry.openCounts(),
      byType,
      faults: Object.fromEntries(this.#counters.faults),
      upstream: this.#counters.upstream(),
    };
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
    this.#chaos.setDefaults(validateChaos(options, 'server chaos', []));
  }

  /** The server's default chaos (a copy), or `null` when there is none. */
  get chaosOptions(): ChaosOptions | null {
    return this.#chaos.defaults ? cloneConfig(this.#chaos.defaults) : null;
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
    return recordingOf(this.#recordings, this.#registry, mockId);
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
    await this.#upstreams.drain();
    this.#manager.clear();
    this.#counters.reset();
    this.#chaos.reset();
    this.#recordings.clear();
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
    if (this.#admin || this.#adminStarting) {
      throw new WsMockError(WsMockErrorCode.INVALID_ARGUMENT, `The admin listener is already ${this.#admin ? `running at ${this.#admin.url}` : 'starting'}; a server has one.`);
    }
    this.#adminStarting = true;
    try {
      const { startAdminListener } = await import('../admin/listen.js');
      this.#admin = await startAdminListener(this, options, async () => (this.#tls ??= await tlsMaterial(true))!);
      return this.#admin.url;
    } finally {
      this.#adminStarting = false;
    }
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
    await this.#upstreams.drain();
    this.#manager.abortWaits(new WsMockError(WsMockErrorCode.SERVER_CLOSED, 'The server was closed while a wait was pending.'));
    for (const mock of this.#registry.list()) {
      groupOf(mock).waits.abortAll(new WsMockError(WsMockErrorCode.SERVER_CLOSED, `The server was closed while a wait on mock "${mock.id}" was pending.`));
    }
    await this.#listener?.close();
    await this.#admin?.close();
    this.#admin = undefined;
    this.#state = 'closed';
  }

  #running(): Listener {
    if (!this.#listener) {
      throw new WsMockError(WsMockErrorCode.SERVER_CLOSED, 'The server is not listening yet. Did you forget to await createMockServer()?');
    }
    return this.#listener;
  }

  #assertOpen(action: string): void {
    if (this.#state === 'closing' || this.#state === 'closed') {
      throw new WsMockError(WsMockErrorCode.SERVER_CLOSED, `Cannot ${action}: the server is ${this.#state}. Create a new one with createMockServer().`);
    }
  }

  /** Plain HTTP on the WebSocket port: a kit's own transport (Engine.IO polling), or what this port is for. */
  #request(req: IncomingMessage, res: ServerResponse): void {
    const pathname = targetPath(req.url);
    if (pathname === undefined) {
      const body = JSON.stringify({ error: INVALID_TARGET_ERROR, target: req.url });
      res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body);
      return;
    }
    const route = this.#registry.route(pathname);
    const kit = route.kind === 'mock' ? route.compiled.transport?.request : undefined;
    if (route.kind === 'mock' && kit && this.#state === 'running') {
      kit(req, res, (transport, create) => this.#connect(transport, req, route.mock, route.compiled, route.params, { create }));
      return;
    }
    let status = 426;
    let body: Record<string, unknown> = { error: 'upgrade_required', path: pathname };
    if (route.kind === 'none') [status, body] = [404, { error: 'websocket_endpoint_not_found', path: pathname }];
    else if (route.kind === 'disabled' && route.compiled.transport?.request) [status, body] = [503, { error: 'endpoint_disabled', path: pathname, mockId: route.mock.id }];
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 426 ? { upgrade: 'websocket' } : {}) });
    res.end(JSON.stringify(body));
  }

  #accept(transport: Transport, request: IncomingMessage, mock: Mock, compiled: CompiledMock, params: Record<string, string>, adopt?: (connection: Connection) => void): void {
    const connect = (carrier: Transport) => this.#connect(carrier, request, mock, compiled, params, { adopt });
    if (compiled.transport?.upgraded) compiled.transport.upgraded(transport, request, connect);
    else connect(transport);
  }

  #connect(transport: Transport, request: IncomingMessage, mock: Mock, compiled: CompiledMock, params: Record<string, string>, how: { create?: ConnectionFactory | undefined; adopt?: ((connection: Connection) => void) | undefined } = {}): Connection {
    const connection = this.#manager.accept({
      create: how.create,
      transport,
      request: { url: request.url ?? '/', headers: request.headers },
      mock: compiled.runtime,
      params,
      group: groupOf(mock),
    });
    how.adopt?.(connection);
    compiled.runtime.pipeline.connect(connection);
    return connection;
  }
}

/** Starts listening (createMockServer calls it once). */
export function startServer(server: MockServer): Promise<void> {
  return startImpl(server);
}
