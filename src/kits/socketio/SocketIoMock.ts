//
// The Socket.IO mock: its handle (`server.socketio()`), its namespaces, and
// its kind (how its config is validated, compiled and written as an envelope).
//
import { ConnectionArrivals } from '../../connections/ConnectionArrivals.js';
import { invalidArgument } from '../../errors.js';
import { compileMock, type CompiledMock } from '../../mocks/compile.js';
import { Mock, stateOf, type MockKind } from '../../mocks/Mock.js';
import { assemble, type PipelineHost } from '../../pipeline/pipeline.js';
import { parseDuration } from '../../util/duration.js';
import {
  socketIoEnvelopeFields,
  socketIoFields,
  validateSocketIoConfig,
  type SocketIoMockConfig,
  type SocketIoNamespaceConfig,
} from './config.js';
import { engineTransport, type SessionTable } from './engineServer.js';
import type { EngineSettings } from './EngineSession.js';
import { ioStage, type CompiledNamespace, type IoState } from './ioStage.js';
import { RecoveryLog } from './recovery.js';
import { SocketIoBroadcast } from './SocketIoBroadcast.js';
import type { SocketIoSocket } from './SocketIoSocket.js';
import { isMockOfType } from '../../util/brand.js';

/** Where socket.io-client looks by default. */
export const DEFAULT_SOCKETIO_PATH = '/socket.io/';

/** The real server's defaults. */
const DEFAULT_PING_INTERVAL = 25_000;
const DEFAULT_PING_TIMEOUT = 20_000;
const DEFAULT_CONNECT_TIMEOUT = 45_000;
const DEFAULT_MAX_PAYLOAD = 1_000_000;
const DEFAULT_MAX_DISCONNECTION_DURATION = 2 * 60_000;

/** Options of {@link SocketIoMock.waitForConnection}. */
export interface WaitForSocketOptions {
  /** The namespace, default `/`. */
  namespace?: string;
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** What a Socket.IO mock keeps across its versions. */
interface SocketIoState extends IoState {
  readonly sessions: SessionTable;
}

function assertNamespace(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !/^\/[^,?]*$/.test(name)) {
    throw invalidArgument(`namespace must start with "/" and contain no "," or "?", got ${JSON.stringify(name)}`);
  }
}

/**
 * One namespace of a Socket.IO mock: its sockets, emits to them, waits for them.
 *
 * @example
 * ```ts
 * const admin = io.of('/admin');
 * const socket = await admin.waitForConnection();
 * admin.to('ops').emit('alert', { level: 2 });
 * ```
 */
export class SocketIoNamespace {
  /** The namespace, e.g. `/admin`. */
  readonly name: string;
  readonly #state: SocketIoState;

  /** @internal Made by {@link SocketIoMock.of}. */
  constructor(name: string, state: SocketIoState) {
    this.name = name;
    this.#state = state;
  }

  /** The connected sockets of this namespace, in the order they connected. */
  get sockets(): SocketIoSocket[] {
    return [...this.#state.open].filter((socket) => socket.namespace === this.name);
  }

  /**
   * Resolves with the next socket of this namespace not yet returned by an
   * earlier call, including sockets that connected before the call (not
   * those of sessions the server released: `journal.releaseClosed`).
   */
  waitForConnection(options: { timeout?: number } = {}): Promise<SocketIoSocket> {
    return this.#state.arrivals.all.next({
      what: `a Socket.IO socket on namespace ${this.name}`,
      filter: (socket) => socket.namespace === this.name,
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /** Emits to every socket of the namespace; returns how many there were. */
  emit(event: string, ...args: unknown[]): number {
    return this.#all().emit(event, ...args);
  }

  /** Only the sockets in `room`. */
  to(room: string | string[]): SocketIoBroadcast {
    return this.#all().to(room);
  }

  /** Same as {@link SocketIoNamespace.to}. */
  in(room: string | string[]): SocketIoBroadcast {
    return this.#all().to(room);
  }

  /** Every socket but those in `room`. */
  except(room: string | string[]): SocketIoBroadcast {
    return this.#all().except(room);
  }

  /**
   * Disconnects every socket of the namespace, synchronously, and returns how
   * many there were (`close: true` also closes their sessions); each
   * socket's own `disconnect()` is the one to await.
   */
  disconnectSockets(close = false): number {
    const sockets = this.sockets;
    for (const socket of sockets) void socket.disconnect(close);
    return sockets.length;
  }

  #all(): SocketIoBroadcast {
    return new SocketIoBroadcast(this.#state, this.name);
  }
}

/**
 * A Socket.IO endpoint (Engine.IO v4 over long-polling and WebSocket,
 * Socket.IO protocol v5) defined on a {@link MockServer}. The main namespace's
 * operations are on the mock itself; `of(name)` reaches the others.
 *
 * @example
 * ```ts
 * const io = server.socketio('/socket.io/', { events: { ping: { ack: ['pong'] } } });
 * const client = ioClient(server.url);
 * const socket = await io.waitForConnection();
 * await socket.emit('welcome');
 * const { args } = await socket.waitForEvent('chat');
 * io.to('general').emit('chat', args[0]);
 * ```
 */
export class SocketIoMock extends Mock<SocketIoMockConfig> {
  /** True for a Socket.IO mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'socketio');
  }

  /**
   * The server's URL, `ws://host:port`: what `io(url)` takes. A URL with the
   * Engine.IO path would name a namespace to socket.io-client; the path is its
   * `path` option instead (`{ path: mock.path }`), `/socket.io/` by default.
   */
  override get url(): string {
    const full = super.url;
    return full.slice(0, full.length - this.path.length);
  }

  /**
   * Resolves with the next socket (of `namespace`, default `/`) not yet
   * returned by an earlier call, including sockets that connected before the
   * call (not those of sessions the server released: `journal.releaseClosed`).
   */
  waitForConnection(options: WaitForSocketOptions = {}): Promise<SocketIoSocket> {
    const namespace = options.namespace ?? '/';
    assertNamespace(namespace);
    return this.of(namespace).waitForConnection(options.timeout !== undefined ? { timeout: options.timeout } : {});
  }

  /** The namespace `name` (`/admin`). A client can connect to it only when the config lists it. */
  of(name: string): SocketIoNamespace {
    assertNamespace(name);
    return new SocketIoNamespace(name, stateOf<SocketIoState>(this));
  }

  /** Every connected socket, all namespaces, in the order they connected. */
  get sockets(): SocketIoSocket[] {
    return [...stateOf<SocketIoState>(this).open];
  }

  /** Emits to every socket of the main namespace; returns how many there were. */
  emit(event: string, ...args: unknown[]): number {
    return this.of('/').emit(event, ...args);
  }

  /** Sockets of the main namespace in `room`. */
  to(room: string | string[]): SocketIoBroadcast {
    return this.of('/').to(room);
  }

  /** Same as {@link SocketIoMock.to}. */
  in(room: string | string[]): SocketIoBroadcast {
    return this.of('/').to(room);
  }

  /** Sockets of the main namespace not in `room`. */
  except(room: string | string[]): SocketIoBroadcast {
    return this.of('/').except(room);
  }
}

function compileNamespace(...parts: (SocketIoNamespaceConfig | undefined)[]): CompiledNamespace {
  const events = new Map<string, NonNullable<SocketIoNamespaceConfig['events']>[string]>();
  let refuse: CompiledNamespace['refuse'];
  let connect: CompiledNamespace['connect'];
  for (const part of parts) {
    if (!part) continue;
    for (const [name, handler] of Object.entries(part.events ?? {})) events.set(name, handler);
    refuse = part.refuse ?? refuse;
    connect = part.connect ?? connect;
  }
  return { events, refuse, connect };
}

function compileSocketIo(id: string, config: SocketIoMockConfig, state: SocketIoState, host: PipelineHost): CompiledMock {
  const settings: EngineSettings = {
    pingInterval: parseDuration(config.pingInterval) ?? DEFAULT_PING_INTERVAL,
    pingTimeout: parseDuration(config.pingTimeout) ?? DEFAULT_PING_TIMEOUT,
    maxPayload: config.maxPayload ?? DEFAULT_MAX_PAYLOAD,
  };
  const namespaces = new Map<string, CompiledNamespace>();
  const main = { ...(config.events ? { events: config.events } : {}), ...(config.refuse ? { refuse: config.refuse } : {}), ...(config.connect ? { connect: config.connect } : {}) };
  namespaces.set('/', compileNamespace(main, config.namespaces?.['/']));
  for (const [name, namespace] of Object.entries(config.namespaces ?? {})) {
    if (name !== '/') namespaces.set(name, compileNamespace(namespace));
  }
  const connectTimeout = parseDuration(config.connectTimeout) ?? DEFAULT_CONNECT_TIMEOUT;
  // The log outlives versions that keep recovery on: a client dropped by an update comes back recovered.
  const recovery = config.connectionStateRecovery;
  if (recovery) {
    const settings = {
      maxDisconnectionDuration: parseDuration(recovery.maxDisconnectionDuration) ?? DEFAULT_MAX_DISCONNECTION_DURATION,
      skipMiddlewares: recovery.skipMiddlewares ?? true,
    };
    if (state.recovery) state.recovery.settings = settings;
    else state.recovery = new RecoveryLog(settings);
  } else state.recovery = undefined;
  const { transport, verify } = engineTransport(state.sessions, settings);
  // The WebSocket-shaped part: the path, and Engine.IO's limit as the frame limit.
  const base = compileMock(id, { path: config.path, maxMessageSize: settings.maxPayload, echoMode: false }, host);
  return {
    ...base,
    runtime: { ...base.runtime, pipeline: assemble([ioStage(namespaces, connectTimeout, state, host)], host) },
    handshake: { ...base.handshake, verify },
    transport,
  };
}

/** The Socket.IO mock kind: `server.socketio()`, envelope `type: socketio`. */
export const socketIoKind: MockKind<SocketIoMockConfig, SocketIoMock, SocketIoState> = {
  type: 'socketio',
  defaultPath: DEFAULT_SOCKETIO_PATH,
  carrier: 'websocket',
  declarative: socketIoFields,
  validate: validateSocketIoConfig,
  state: (group) => {
    const open = new Set<SocketIoSocket>();
    return {
      group,
      open,
      sessions: new Map(),
      recovery: undefined,
      arrivals: new ConnectionArrivals<SocketIoSocket>(group, (socket) => `${socket.id} (${socket.namespace})`),
      sockets: () => open,
    };
  },
  compile: compileSocketIo,
  fields: socketIoEnvelopeFields,
  create: (init) => new SocketIoMock(init),
};
