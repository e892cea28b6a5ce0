import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAdminListener, type AdminListener } from '../admin/listen.js';
import type { AdminListenOptions } from '../admin/options.js';
import { EventEmitter } from 'eventemitter3';
import type WebSocket from 'ws';
import { Connection } from '../connections/Connection.js';
import { encodeSendData } from '../connections/encode.js';
import type { CloseInfo, CloseOptions, ConnectionInfo, ScenarioInfo, SendData, SendOptions } from '../connections/types.js';
import type { Message } from '../connections/Message.js';
import { WaitRegistry, Waiters, waitFor } from '../connections/waitFor.js';
import { WsMockError, WsMockErrorCode, invalidArgument } from '../errors.js';
import { kInternals, type ConnectionHost } from '../internal.js';
import { compileMock, type CompiledMock } from '../mocks/compile.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { validateMockConfig } from '../mocks/validate.js';
import { WebSocketMock, assertCount, type BroadcastExcept, type MockHost, type WaitForConnectionOptions } from '../mocks/WebSocketMock.js';
import { brand, hasBrand } from '../util/brand.js';
import { CloseCode } from '../util/closeCodes.js';
import { hostForUrl } from '../util/hostForUrl.js';
import type { ServerOptions } from './options.js';
import { Counters, type Stats } from './stats.js';
import { UpgradeHandler, type RejectionInfo, type Route } from './upgrade.js';

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
  'mock:added': [mock: WebSocketMock];
  /** A mock was updated, enabled or disabled. */
  'mock:updated': [mock: WebSocketMock];
  /** A mock was removed. */
  'mock:removed': [mock: WebSocketMock];
  /** `reset()` cleared mocks, journals and counters. */
  reset: [];
  /** A connection's scenario failed (a required wait timed out). */
  'scenario:failed': [connection: Connection, info: ScenarioInfo];
  /** User code failed (a `respond` or `onConnection` that threw); the server keeps serving. */
  error: [error: Error, context: ErrorContext];
}

/** Filter of {@link MockServer.connections}' `list()` and `broadcast()`. */
export interface ConnectionFilter {
  /** Only connections of this mock. */
  mockId?: string;
  /** Only connections of the mock with this path template, or whose requested path is this. */
  path?: string;
}

/** The connection operations of a server. */
export interface ConnectionsApi {
  /** Snapshots of the open connections, in arrival order. */
  list(filter?: ConnectionFilter): ConnectionInfo[];
  /** The open connection with this id. */
  get(id: string): Connection | undefined;
  /** Closes a connection; rejects `WSMOCK_ERR_CONNECTION_NOT_FOUND` for an unknown id. */
  close(id: string, options?: CloseOptions): Promise<CloseInfo>;
  /** Sends to a connection; rejects `WSMOCK_ERR_CONNECTION_NOT_FOUND` for an unknown id. */
  send(id: string, data: SendData, options?: SendOptions): Promise<void>;
  /** Sends to every matching open connection; returns the number of recipients. */
  broadcast(data: SendData, options?: ConnectionFilter & SendOptions & { except?: BroadcastExcept }): number;
}

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


/**
 * A real WebSocket server on a loopback port with handles to every mock and
 * connection. Create one with {@link createMockServer}.
 */
export class MockServer extends EventEmitter<MockServerEvents> {
  /** Mock definitions: list, get, remove, clear. */
  readonly mocks: MocksApi;
  /** Live connections: list, get, close, send, broadcast. */
  readonly connections: ConnectionsApi;

  #options: Required<Pick<ServerOptions, 'host' | 'port' | 'timeout' | 'closeTimeout'>>;
  #http: Server;
  #upgrades: UpgradeHandler;
  #state: ServerState = 'starting';
  #closing: Promise<void> | undefined;
  #port = 0;
  #mocks = new Map<string, WebSocketMock>();
  #open = new Map<string, Connection>();
  #arrivals: Connection[] = [];
  #returned = new Set<Connection>();
  #waiters = new Waiters();
  #waits = new WaitRegistry();
  #counters = new Counters();
  #connectionSeq = 0;
  #mockSeq = 0;
  #closeHooks: (() => Promise<void>)[] = [];
  #admin: AdminListener | undefined;
  #adminStarting = false;
  #connectionHost: ConnectionHost;
  #mockHost: MockHost;

  /** @internal Use {@link createMockServer}. */
  constructor(options: Required<Pick<ServerOptions, 'host' | 'port' | 'timeout' | 'closeTimeout'>>) {
    super();
    const server = this;
    this.#options = options;
    this.#connectionHost = this.#makeConnectionHost();
    this.#mockHost = this.#makeMockHost();
    this.#upgrades = new UpgradeHandler({
      get running() {
        return server.#state === 'running';
      },
      route: (pathname) => this.#route(pathname),
      rejected: (info) => {
        this.#counters.rejected(info.mockId, info.error);
        this.emit('rejected', info);
      },
      accept: (ws, request, mock, params) => this.#accept(ws, request, mock, params),
    });
    this.#http = createServer((req, res) => {
      // Plain HTTP on the WebSocket port: say what this port is for.
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const known = this.#route(pathname).kind !== 'none';
      res.writeHead(known ? 426 : 404, { 'content-type': 'application/json', upgrade: 'websocket' });
      res.end(JSON.stringify(known ? { error: 'upgrade_required', path: pathname } : { error: 'websocket_endpoint_not_found', path: pathname }));
    });
    this.#http.on('upgrade', (req, socket, head) => this.#upgrades.handle(req, socket, head));
    this.#http.on('clientError', (_err, socket) => socket.destroy());
    this.mocks = this.#makeMocksApi();
    this.connections = this.#makeConnectionsApi();
    brand(this, 'server');
  }

  /** True for any wsmock server, from this copy of the package or another (ESM and CommonJS builds). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'server');
  }

  /** `ws://host:port`. */
  get url(): string {
    return `ws://${this.#hostForUrl()}:${this.port}`;
  }

  /** `http://host:port` (the same listener). */
  get httpUrl(): string {
    return `http://${this.#hostForUrl()}:${this.port}`;
  }

  /** The port the server listens on. */
  get port(): number {
    if (this.#state === 'starting') {
      throw new WsMockError(WsMockErrorCode.SERVER_CLOSED, 'The server is not listening yet. Did you forget to await createMockServer()?');
    }
    return this.#port;
  }

  /** The admin API's base URL (`http://127.0.0.1:PORT`) while an admin listener runs, else `undefined`. */
  get adminUrl(): string | undefined {
    return this.#admin?.url;
  }

  /** `running`, `closing` or `closed`. */
  get state(): ServerState {
    return this.#state;
  }

  /** @internal Starts listening. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        const why = err.code === 'EADDRINUSE' ? `port ${this.#options.port} is already in use` : err.message;
        reject(new WsMockError(WsMockErrorCode.LISTEN_FAILED, `Cannot listen on ${this.#options.host}:${this.#options.port}: ${why}.`, { cause: err }));
      };
      this.#http.once('error', onError);
      this.#http.listen(this.#options.port, this.#options.host, () => {
        this.#http.off('error', onError);
        resolve();
      });
    });
    this.#port = (this.#http.address() as AddressInfo).port;
    this.#state = 'running';
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
    const input = typeof pathOrConfig === 'string' ? { ...config, path: pathOrConfig } : pathOrConfig;
    const valid = validateMockConfig(input);
    const id = valid.id ?? this.#nextMockId();
    if (this.#mocks.has(id)) {
      throw new WsMockError(WsMockErrorCode.DUPLICATE_ID, `A mock with id "${id}" already exists; choose another id or remove it first.`);
    }
    const compiled = this.#mockHost.compile(id, valid);
    const mock = new WebSocketMock(id, valid, compiled, this.#mockHost);
    if (mock.enabled) this.#mockHost.assertPathFree(mock, compiled);
    this.#mocks.set(id, mock);
    this.emit('mock:added', mock);
    return mock;
  }

  /** Server-wide figures; see {@link Stats}. */
  stats(): Stats {
    const connectionsByMock: Record<string, number> = {};
    for (const mock of this.#mocks.values()) connectionsByMock[mock.id] = mock[kInternals].open.size;
    const t = this.#counters.totals();
    return {
      totalConnections: t.totalConnections,
      activeConnections: this.#open.size,
      rejectedConnections: t.rejectedConnections,
      totalMessagesSent: t.totalMessagesSent,
      totalMessagesRecv: t.totalMessagesRecv,
      totalBytesSent: t.totalBytesSent,
      totalBytesRecv: t.totalBytesRecv,
      connectionsByMock,
    };
  }

  /** @internal The lifetime counters, per mock id, for the metrics adapter. */
  get [kInternals](): { counters: Counters } {
    return { counters: this.#counters };
  }

  /** Like {@link WebSocketMock.waitForConnection}, across every mock of the server. */
  async waitForConnection(options: WaitForConnectionOptions = {}): Promise<Connection> {
    return waitFor({
      find: () => {
        for (const connection of this.#arrivals) {
          if (this.#returned.has(connection) || (options.predicate && !options.predicate(connection))) continue;
          this.#returned.add(connection);
          return connection;
        }
        return undefined;
      },
      waiters: this.#waiters,
      owners: [this.#waits],
      timeout: this.#connectionHost.timeoutFor(options.timeout),
      what: `a connection on ${this.url}${options.predicate ? ' matching the predicate' : ''}`,
      seen: () => (this.#arrivals.length === 0 ? 'No connection arrived.' : `${this.#arrivals.length} connection(s) arrived, all returned earlier or not matching.`),
    });
  }

  /**
   * Like {@link WebSocketMock.waitForConnectionCount}, across every mock: resolves
   * with the open connections once exactly `count` are open.
   */
  async waitForConnectionCount(count: number, options: { timeout?: number } = {}): Promise<Connection[]> {
    assertCount(count);
    return waitFor({
      find: () => (this.#open.size === count ? [...this.#open.values()] : undefined),
      waiters: this.#waiters,
      owners: [this.#waits],
      timeout: this.#connectionHost.timeoutFor(options.timeout),
      what: `${count} open connection(s) on ${this.url}`,
      seen: () => `${this.#open.size} open now.`,
    });
  }

  /**
   * Closes every connection with 1012 "server reset", removes every mock and
   * clears journals and counters. The server keeps listening. Meant for `afterEach`.
   */
  async reset(): Promise<void> {
    this.#assertOpen('reset');
    await this.#mockHost.closeAll([...this.#open.values()], CloseCode.SERVICE_RESTART, 'server reset');
    await Promise.all([...this.#mocks.values()].map((mock) => mock.remove()));
    this.#arrivals = [];
    this.#returned.clear();
    this.#counters.reset();
    this.emit('reset');
  }

  /**
   * Starts the HTTP admin API (see `createAdminHandler`) on a listener of its
   * own, by default on 127.0.0.1 and an ephemeral port. Resolves with its URL,
   * also readable as `server.adminUrl`. `close()` stops it.
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
      const admin = await startAdminListener(this, options);
      this.#admin = admin;
      this.onClose(async () => {
        await admin.close();
        this.#admin = undefined;
      });
      return admin.url;
    } finally {
      this.#adminStarting = false;
    }
  }

  /**
   * Closes every connection with 1001 "server shutdown", stops listening and
   * releases every handle so the process can exit. Safe to call twice.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** `await using server = await createMockServer()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal Registers work for `close()` (an admin listener). */
  onClose(hook: () => Promise<void>): void {
    this.#closeHooks.push(hook);
  }

  async #shutdown(): Promise<void> {
    this.#state = 'closing';
    this.#upgrades.dropHeld();
    await this.#mockHost.closeAll([...this.#open.values()], CloseCode.GOING_AWAY, 'server shutdown');
    this.#waits.abortAll(new WsMockError(WsMockErrorCode.SERVER_CLOSED, 'The server was closed while a wait was pending.'));
    for (const mock of this.#mocks.values()) {
      mock[kInternals].waits.abortAll(new WsMockError(WsMockErrorCode.SERVER_CLOSED, `The server was closed while a wait on mock "${mock.id}" was pending.`));
    }
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
    await Promise.all(this.#closeHooks.map((hook) => hook()));
    this.#state = 'closed';
  }

  #assertOpen(action: string): void {
    if (this.#state === 'closing' || this.#state === 'closed') {
      throw new WsMockError(WsMockErrorCode.SERVER_CLOSED, `Cannot ${action}: the server is ${this.#state}. Create a new one with createMockServer().`);
    }
  }

  #hostForUrl(): string {
    return hostForUrl(this.#options.host);
  }

  #nextMockId(): string {
    let id: string;
    do id = `mock-${++this.#mockSeq}`;
    while (this.#mocks.has(id));
    return id;
  }

  #route(pathname: string): Route {
    let disabled: WebSocketMock | undefined;
    let best: { mock: WebSocketMock; params: Record<string, string>; exact: boolean; statics: number } | undefined;
    for (const mock of this.#mocks.values()) {
      const pattern = mock[kInternals].compiled.pattern;
      const params = pattern.match(pathname);
      if (!params) continue;
      if (!mock.enabled) {
        disabled ??= mock;
        continue;
      }
      if (pattern.exact) return { kind: 'mock', mock, params };
      if (!best || pattern.staticSegments > best.statics) best = { mock, params, exact: false, statics: pattern.staticSegments };
    }
    if (best) return { kind: 'mock', mock: best.mock, params: best.params };
    return disabled ? { kind: 'disabled', mock: disabled } : { kind: 'none' };
  }

  #accept(ws: WebSocket, request: IncomingMessage, mock: WebSocketMock, params: Record<string, string>): void {
    const internals = mock[kInternals];
    const connection = new Connection({
      id: `conn-${++this.#connectionSeq}`,
      ws,
      request,
      mock: internals.compiled.runtime,
      params,
      host: this.#connectionHost,
    });
    this.#open.set(connection.id, connection);
    internals.open.add(connection);
    internals.arrivals.push(connection);
    this.#arrivals.push(connection);
    this.#counters.forMock(mock.id).connections++;
    this.emit('connection', connection);
    internals.waiters.notify();
    this.#waiters.notify();
    internals.compiled.runtime.pipeline.connect(connection);
  }

  #makeConnectionHost(): ConnectionHost {
    const counters = this.#counters;
    return {
      waits: this.#waits,
      closeTimeout: this.#options.closeTimeout,
      timeoutFor: (timeout) => {
        if (timeout === undefined) return this.#options.timeout;
        if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
          throw invalidArgument(`timeout must be a non-negative number of milliseconds, got ${String(timeout)}`);
        }
        return timeout;
      },
      received: (connection, message) => {
        const c = counters.forMock(connection.mockId);
        c.messagesRecv++;
        c.bytesRecv += message.size;
        this.#mocks.get(connection.mockId)?.[kInternals].journal.push(message);
        this.emit('message', connection, message);
      },
      sent: (connection, message) => {
        const c = counters.forMock(connection.mockId);
        c.messagesSent++;
        c.bytesSent += message.size;
        this.#mocks.get(connection.mockId)?.[kInternals].journal.push(message);
        this.emit('sent', connection, message);
      },
      closed: (connection, info) => {
        counters.closed(connection.mockId, info.code);
        this.#open.delete(connection.id);
        const mock = this.#mocks.get(connection.mockId)?.[kInternals];
        mock?.open.delete(connection);
        this.emit('close', connection, info);
        // Waits on the number of open connections see departures too.
        mock?.waiters.notify();
        this.#waiters.notify();
      },
    };
  }

  #makeMockHost(): MockHost {
    return {
      waits: this.#waits,
      timeoutFor: (timeout) => this.#connectionHost.timeoutFor(timeout),
      url: (path) => `${this.url}${path}`,
      assertPathFree: (mock, compiled) => {
        for (const other of this.#mocks.values()) {
          if (other === mock || !other.enabled) continue;
          if (other[kInternals].compiled.pattern.key === compiled.pattern.key) {
            throw new WsMockError(
              WsMockErrorCode.PATH_CONFLICT,
              `Mock "${other.id}" already serves ${other.path}; disable or remove it before enabling another mock on ${compiled.pattern.template}.`,
            );
          }
        }
      },
      compile: (id, config) => {
        const compiled: CompiledMock = compileMock(id, config, {
          report: (error, connection) => this.emit('error', error, { mockId: id, connectionId: connection.id }),
          scenarioFailed: (connection, info) => this.emit('scenario:failed', connection, info),
          connectionCount: () => this.#mocks.get(id)?.[kInternals].open.size ?? 0,
        });
        compiled.wss.on('wsClientError', (err, socket, request) => {
          const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
          this.#upgrades.refuse(socket, pathname, 400, { error: 'invalid_handshake', message: err.message }, this.#mocks.get(id));
        });
        return compiled;
      },
      closeAll: async (connections, code, reason) => {
        const open = connections.filter((c) => c.isOpen);
        await Promise.all(open.map((c) => c.close({ code, reason })));
        return open.length;
      },
      broadcast: (connections, data, options) => {
        const frame = encodeSendData(data, options);
        // Encode once for every recipient; the journal keeps the text.
        const bytes = typeof frame.payload === 'string' ? Buffer.from(frame.payload) : frame.payload;
        const skip = toIdSet(options.except);
        let recipients = 0;
        for (const connection of connections) {
          if (!connection.isOpen || skip.has(connection.id)) continue;
          connection[kInternals].write(bytes, frame.binary, frame.json, frame.payload);
          recipients++;
        }
        return recipients;
      },
      unregister: (mock) => {
        this.#mocks.delete(mock.id);
        this.emit('mock:removed', mock);
      },
      updated: (mock) => this.emit('mock:updated', mock),
    };
  }

  #makeMocksApi(): MocksApi {
    return {
      list: () => [...this.#mocks.values()],
      get: (id) => this.#mocks.get(id),
      remove: async (id) => {
        const mock = this.#mocks.get(id);
        if (!mock) throw new WsMockError(WsMockErrorCode.MOCK_NOT_FOUND, `No mock with id "${id}". Known ids: ${[...this.#mocks.keys()].join(', ') || '(none)'}.`);
        return mock.remove();
      },
      clear: async () => {
        const counts = await Promise.all([...this.#mocks.values()].map((mock) => mock.remove()));
        return counts.reduce((a, b) => a + b, 0);
      },
    };
  }

  #makeConnectionsApi(): ConnectionsApi {
    const matches = (c: Connection, filter: ConnectionFilter) =>
      (filter.mockId === undefined || c.mockId === filter.mockId) &&
      (filter.path === undefined || c.path === filter.path || c.url.split('?')[0] === filter.path);
    const find = (id: string): Connection => {
      const connection = this.#open.get(id);
      if (!connection) {
        throw new WsMockError(WsMockErrorCode.CONNECTION_NOT_FOUND, `No open connection with id "${id}". It may have closed; list open ones with server.connections.list().`);
      }
      return connection;
    };
    return {
      list: (filter = {}) => [...this.#open.values()].filter((c) => matches(c, filter)).map((c) => c.info),
      get: (id) => this.#open.get(id),
      close: async (id, options) => find(id).close(options),
      send: async (id, data, options) => find(id).send(data, options),
      broadcast: (data, options = {}) =>
        this.#mockHost.broadcast([...this.#open.values()].filter((c) => matches(c, options)), data, options),
    };
  }
}

function toIdSet(except: BroadcastExcept | undefined): Set<string> {
  if (except === undefined) return new Set();
  const list = Array.isArray(except) ? except : [except];
  return new Set(list.map((e: Connection | string) => (typeof e === 'string' ? e : e.id)));
}
