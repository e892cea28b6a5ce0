//
// jest-websocket-mock's `WS`, served by a real wsmock server through its public
// API: one server per host and port (ports.ts), a mock per path, the client's
// handshake decided by handshake.verify and a subprotocols function, and
// `conn.ping()` to know when a client has what was sent. Its API and semantics
// follow jest-websocket-mock 2.5; where a real socket cannot behave like the
// in-process fake, docs/migrating.md says how it differs.
//
import type { Connection, Message } from '../../index.js';
import { inAct } from './act.js';
import { Inbox, type DeserializedMessage, type Take } from './inbox.js';
import { selectorOf, verifierOf, type WSOptions } from './handshake.js';
import { invalidArgument } from '../../errors.js';
import { isBytes, parseTarget, toBuffer, validClose, type CloseOptions } from './input.js';
import { PortServer, type PathRoute } from './ports.js';
import { afterClientTimers, CompatSocket, delivered, whenClosed, type WSCloseEvent, type WSSocket } from './socket.js';

export type { CloseOptions } from './input.js';
export type { DeserializedMessage } from './inbox.js';
export type { WSCloseEvent, WSSocket } from './socket.js';
export type { VerifyClientInfo, VerifyClientRequest, WSOptions } from './handshake.js';

type ServerEvent = 'connection' | 'message' | 'close';

const kWS = Symbol.for('wsmock.jest-websocket-mock.WS');

/** Whether `value` is a `WS`, from this copy of wsmock or another (ESM and CommonJS builds). */
export function isWS(value: unknown): value is WS {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kWS] === true;
}

/** @internal Takes the next message with a way to give up (the matchers' timeout), shared across copies. */
export const kTake = Symbol.for('wsmock.jest-websocket-mock.take');

/**
 * A WebSocket server for a test, with jest-websocket-mock's API: `new WS(url)`
 * listens on the URL's port (on 127.0.0.1 and ::1 for `localhost`), and real
 * clients connect to it.
 *
 * @example
 * ```ts
 * import WS from 'wsmock/jest-websocket-mock';
 *
 * test('greets the server', async () => {
 *   const server = new WS('ws://localhost:1234', { jsonProtocol: true });
 *   const client = new WebSocket('ws://localhost:1234');
 *   await server.connected;
 *   client.send('{"type":"hello"}');
 *   await expect(server).toReceiveMessage({ type: 'hello' });
 *   await server.send({ type: 'welcome' });   // resolves once the client has it
 *   WS.clean();
 * });
 * ```
 */
export class WS {
  /** True for any `WS`, from this copy of the package or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isWS(value);
  }

  /** Every `WS` created since the last {@link WS.clean}. */
  static instances: WS[] = [];

  /**
   * Closes every instance (clients get code 1000) and forgets their messages.
   * The ports are free when it returns; the promise settles when every
   * connection and server behind them has closed. Never throws.
   */
  static clean(): Promise<void> {
    const closing = WS.instances.map((instance) => {
      const done = instance.#shutdown();
      instance.messages = [];
      return done;
    });
    WS.instances = [];
    return Promise.all(closing).then(() => undefined);
  }

  /**
   * `new WS(url, options)`, resolved once it listens. Rejects with a
   * `WsMockError` (`WSMOCK_ERR_LISTEN_FAILED`) naming the port when it cannot.
   */
  static async create(url: string, options?: WSOptions): Promise<WS> {
    const ws = new WS(url, options);
    await ws.#ready;
    return ws;
  }

  /** The URL it serves, normalised (`ws://localhost:1234/`); with port 0, the port chosen once it listens. */
  get url(): string {
    return `ws://${this.#host}:${this.#port.port}${this.#pathname}`;
  }

  /** Every message received from clients, deserialised, in order. */
  messages: DeserializedMessage[] = [];
  /** Turns what `send()` gets into a frame's text. */
  serializer: (message: DeserializedMessage) => string;
  /** Turns a received frame's text into a message. */
  deserializer: (text: string) => DeserializedMessage;

  readonly #options: WSOptions;
  readonly #pathname: string;
  readonly #host: string;
  readonly #port: PortServer;
  readonly #route: PathRoute;
  readonly #ready: Promise<void>;
  #failure: Error | undefined;
  #live = true;
  #shutdownDone: Promise<void> | undefined;
  readonly #sockets: CompatSocket[] = [];
  #handedOut = 0;
  #socketWaiters: (() => void)[] = [];
  readonly #inbox = new Inbox();
  readonly #listeners: Record<ServerEvent, ((...args: any[]) => void)[]> = { connection: [], message: [], close: [] };
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;

  /**
   * Listens on the URL's port at once (the port is taken when the constructor
   * returns). Throws a `WsMockError` for a URL that is not `ws://` on a loopback
   * host, or one that a live `WS` already serves. A port taken by another
   * process rejects `connected` (and `WS.create()`) with a `WsMockError`.
   */
  constructor(url: string, options: WSOptions = {}) {
    const target = parseTarget(url);
    Object.defineProperty(this, kWS, { value: true });
    if (typeof options !== 'object' || options === null) throw invalidArgument(`new WS(url, options): options must be an object, got ${String(options)}.`);
    for (const key of ['verifyClient', 'selectProtocol'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function') {
        throw invalidArgument(`new WS(url, options): ${key} must be a function, got ${typeof options[key]}.`);
      }
    }
    const port = PortServer.open(target.host, target.port, `ws://${target.authority}${target.pathname}`);
    if (target.port !== 0 && port.has(target.pathname)) {
      throw invalidArgument(
        `new WS("${url}"): a live WS already serves ${target.pathname} on port ${target.port}. ` +
          'Call WS.clean() (or close() the other one) first, as an afterEach does, or use another path or port.',
      );
    }
    this.#options = options;
    this.#pathname = target.pathname;
    this.#host = target.authority.replace(/:\d+$/, '');
    this.serializer = options.jsonProtocol ? JSON.stringify : (message) => message as string;
    this.deserializer = options.jsonProtocol ? JSON.parse : (text) => text;
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#route = {
      verify: options.verifyClient ? verifierOf(options.verifyClient) : undefined,
      subprotocols: selectorOf(options.selectProtocol),
      connected: (connection) => this.#connected(connection),
    };
    this.#port = port;
    port.add(target.pathname, this.#route);
    this.#ready = port.ready.catch((err: Error) => {
      this.#failure = err;
      this.#live = false;
      void port.remove(this.#pathname, this.#route);
      for (const wake of this.#socketWaiters.splice(0)) wake();
      throw err;
    });
    this.#ready.catch(() => undefined);
    WS.instances.push(this);
  }

  /**
   * Resolves with the server's side of the next client (the first call with the
   * first client, the second with the second, …) once that client is open:
   * it has processed the handshake and everything the `connection` listeners
   * sent, so it may send at once. When a listener closed it, resolves once the
   * client has seen the close. Waits as long as it takes, like the original.
   */
  get connected(): Promise<WSSocket> {
    const index = this.#handedOut++;
    return inAct(async () => {
      const socket = await this.#socketAt(index);
      await socket.ready;
      return socket;
    });
  }

  /** Resolves when this `WS` is closed, or the first of its clients' connections closes. */
  get closed(): Promise<void> {
    return inAct(() => this.#closed);
  }

  /** Resolves with the next message not yet taken, including ones that arrived before the call. */
  get nextMessage(): Promise<DeserializedMessage> {
    return this[kTake]().message;
  }

  /** @internal */
  [kTake](): Take {
    return this.#inbox.take();
  }

  /**
   * Listens for `connection` (with a {@link WSSocket}), `message` (the text or
   * bytes a client sent, and its socket) or `close` (a {@link WSCloseEvent}).
   */
  on(event: 'connection', callback: (socket: WSSocket) => void): void;
  on(event: 'message', callback: (data: string | Buffer, socket: WSSocket) => void): void;
  on(event: 'close', callback: (event: WSCloseEvent) => void): void;
  on(event: ServerEvent, callback: (...args: any[]) => void): void {
    if (!(event in this.#listeners)) throw invalidArgument(`server.on(event): event must be 'connection', 'message' or 'close', got ${JSON.stringify(event)}.`);
    if (typeof callback !== 'function') throw invalidArgument(`server.on('${event}', callback): callback must be a function.`);
    this.#listeners[event].push(callback);
  }

  /**
   * Sends to every connected client (serialised with `jsonProtocol`). Resolves
   * once every client has received it (a ping's round trip after it):
   * `await server.send(msg)` before asserting on what the client did with it.
   */
  send(message: DeserializedMessage): Promise<void> {
    const data = this.#encode(message, 'server.send()');
    const targets = this.#sockets.filter((socket) => socket.connection.isOpen);
    return inAct(async () => {
      await Promise.all(
        targets.map((socket) => {
          socket.connection.send(data).catch(() => undefined);
          return delivered(socket.connection);
        }),
      );
      if (targets.length > 0) await afterClientTimers();
    });
  }

  /**
   * Closes every client's connection with `code` (default 1000) and `reason`,
   * and stops listening. Resolves when the server's side of each close is done;
   * a client's `close` event follows on its own socket.
   */
  close(options?: CloseOptions): Promise<void> {
    const close = validClose(options, 'server.close()');
    return inAct(() => this.#shutdown(close));
  }

  /**
   * Makes every client's connection fail (`conn.fail()`): the server sends a
   * frame the client must reject, so it fires `error`, then `close` with
   * `wasClean: false` and the code a failed connection gets (1006 in browsers,
   * undici's, jsdom's and ws's clients). No close frame is exchanged, so the
   * options' code and reason cannot reach the client (they are ignored). Then
   * stops listening. Resolves once every client's connection is closed.
   */
  error(options?: CloseOptions): Promise<void> {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw invalidArgument(`server.error() takes an options object ({ code, reason }), got ${typeof options}.`);
    }
    return inAct(async () => {
      const sockets = this.#sockets.filter((socket) => socket.connection.isOpen);
      // A connection that closes meanwhile rejects: nothing left to fail.
      await Promise.all(sockets.map((socket) => socket.fail()));
      if (sockets.length > 0) await afterClientTimers();
      await this.#shutdown({ code: 1000, reason: '' });
    });
  }

  #shutdown(close: { code: number; reason: string } = { code: 1000, reason: '' }): Promise<void> {
    if (this.#shutdownDone) return this.#shutdownDone;
    this.#live = false;
    const closing = this.#sockets.map((socket) => socket.connection.close(close).catch(() => undefined));
    // Frees the port now when this was its last WS; settles when everything behind it is closed.
    const released = this.#port.remove(this.#pathname, this.#route);
    this.#resolveClosed();
    this.#emit('close', { type: 'close', code: close.code, reason: close.reason, wasClean: true, target: undefined });
    this.#shutdownDone = Promise.all([...closing, released]).then(
      () => undefined,
      () => undefined,
    );
    return this.#shutdownDone;
  }

  #encode(message: unknown, method: string): string | Buffer {
    if (this.#options.jsonProtocol) return this.serializer(message as DeserializedMessage);
    if (typeof message === 'string') return this.serializer(message);
    if (isBytes(message)) return toBuffer(message);
    if (typeof message === 'object' && message !== null) {
      throw invalidArgument(`${method} got an object, and this WS has no jsonProtocol: pass { jsonProtocol: true } to new WS() to send JSON, or send a string.`);
    }
    return String(message);
  }

  #connected(connection: Connection): void {
    if (!this.#live) {
      void connection.close({ code: 1001, reason: 'WS closed' });
      return;
    }
    const socket = new CompatSocket(connection, this.#encode.bind(this));
    connection.on('message', (message: Message) => {
      const data = message.binary ? (message.data as Buffer) : (message.text ?? '');
      let parsed: DeserializedMessage;
      try {
        parsed = this.deserializer(typeof data === 'string' ? data : data.toString('utf8'));
      } catch {
        parsed = data as string; // not JSON: kept as it came, so an assertion shows it
      }
      this.messages.push(parsed);
      this.#inbox.push(parsed);
      socket.emit('message', data);
      this.#emit('message', data, socket);
    });
    connection.on('close', (info) => {
      const event: WSCloseEvent = { type: 'close', code: info.code, reason: info.reason, wasClean: info.code !== 1006 && !socket.failed, target: socket };
      socket.emit('close', event);
      this.#emit('close', event);
      this.#resolveClosed();
    });
    this.#sockets.push(socket);
    this.#emit('connection', socket);
    // Everything the listeners sent is written before the ping, so its pong means the client has it all.
    socket.ready = connection.isOpen ? delivered(connection).then(afterClientTimers) : whenClosed(connection).then(afterClientTimers);
    for (const wake of this.#socketWaiters.splice(0)) wake();
  }

  async #socketAt(index: number): Promise<CompatSocket> {
    for (;;) {
      if (this.#sockets.length > index) return this.#sockets[index]!;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => this.#socketWaiters.push(resolve));
    }
  }

  #emit(event: ServerEvent, ...args: unknown[]): void {
    for (const listener of this.#listeners[event]) {
      try {
        listener(...args);
      } catch (err) {
        // As in the original, a listener that throws fails the test that is running.
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }
}
