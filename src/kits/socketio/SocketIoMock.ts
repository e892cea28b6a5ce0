//
// The Socket.IO mock's handle (`server.socketio()`) and its namespaces. The
// kit itself (schema, stages, transport) is in kit.ts.
//
import { compileArrivalFilter, invalidArgument, KitMock, type ArrivalFilterOptions } from '../../kit/index.js';
import { quietWait } from '../../util/promise.js';
import { isMockOfType } from '../../util/brand.js';
import type { SocketIoMockConfig } from './config.js';
import type { SocketIoState } from './state.js';
import { SocketIoBroadcast } from './SocketIoBroadcast.js';
import type { SocketIoSocket } from './SocketIoSocket.js';

/**
 * Options of {@link SocketIoNamespace.waitForConnection}: a timeout, and the
 * `query`, `headers` and `predicate` filters of every mock's wait, tested on
 * the socket's Engine.IO connection (its first request: the polling
 * handshake, or the WebSocket upgrade of a WebSocket-only client).
 */
export interface WaitForNamespaceSocketOptions extends ArrivalFilterOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Options of {@link SocketIoMock.waitForConnection}. */
export interface WaitForSocketOptions extends WaitForNamespaceSocketOptions {
  /** The namespace, default `/`. */
  namespace?: string;
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
  waitForConnection(options: WaitForNamespaceSocketOptions = {}): Promise<SocketIoSocket> {
    return quietWait(() => {
      const filter = compileArrivalFilter(options);
      return this.#state.arrivals.all.next({
        what: `a Socket.IO socket on namespace ${this.name}${filter ? ` ${filter.description}` : ''}`,
        filter: filter ? (socket) => socket.namespace === this.name && filter.test(socket.connection) : (socket) => socket.namespace === this.name,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      });
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
export class SocketIoMock extends KitMock<SocketIoMockConfig, SocketIoSocket> {
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
  override waitForConnection(options: WaitForSocketOptions = {}): Promise<SocketIoSocket> {
    const { namespace = '/', ...rest } = options;
    assertNamespace(namespace);
    return this.of(namespace).waitForConnection(rest);
  }

  /** The namespace `name` (`/admin`). A client can connect to it only when the config lists it. */
  of(name: string): SocketIoNamespace {
    assertNamespace(name);
    return new SocketIoNamespace(name, this.#state);
  }

  /** Every connected socket, all namespaces, in the order they connected. */
  get sockets(): SocketIoSocket[] {
    return [...this.#state.open];
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

  get #state(): SocketIoState {
    return this.kitState as SocketIoState;
  }
}
