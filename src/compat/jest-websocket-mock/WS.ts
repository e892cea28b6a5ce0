//
// jest-websocket-mock's `WS`, served by a real wsmock server (through the
// relay of relay.ts). Its API and semantics follow jest-websocket-mock 2.5;
// where a real socket cannot behave like the in-process fake, docs/migrating.md
// says how it differs.
//
import { setTimeout as realSetTimeout } from 'node:timers';
import { WsMockError, WsMockErrorCode, type Connection, type Message } from '../../index.js';
import { inAct } from './act.js';
import { PortGroup, type HandshakeRequest, type HandshakeVerdict, type RelayConnection, type Route } from './relay.js';

/** A message as `WS` keeps it: the text (or bytes) as received, or the parsed JSON with `jsonProtocol`. */
export type DeserializedMessage<TMessage = object> = string | TMessage;

/** The upgrade request as `verifyClient` sees it. */
export interface VerifyClientRequest {
  /** Always `GET`. */
  method: 'GET';
  /** The request target: path and query. */
  url: string;
  /** The request headers, names in lower case. */
  headers: Record<string, string>;
}

/** What `verifyClient` is given: the upgrade request, in the shape the `ws` package uses. */
export interface VerifyClientInfo {
  /** The `Origin` header, or undefined. */
  origin: string | undefined;
  /** Always false: `WS` serves plain `ws://`. */
  secure: boolean;
  /** The upgrade request. */
  req: VerifyClientRequest;
}

/** Options of `new WS(url, options)`. */
export interface WSOptions {
  /** Parse what clients send with `JSON.parse` and serialise what `send()` gets with `JSON.stringify`. */
  jsonProtocol?: boolean;
  /**
   * Decides, per handshake, whether to accept a client. A falsy result refuses
   * it with HTTP 401: the client sees `error`, then `close`. Called as the `ws`
   * package calls it: `(info)`, or `(info, callback)` for an asynchronous answer.
   */
  verifyClient?: (info: VerifyClientInfo, callback?: (result: boolean, code?: number, message?: string) => void) => unknown;
  /**
   * Chooses the subprotocol from those the client offered. A result that is not
   * empty and not among them refuses the client (HTTP 400). Without it, the first
   * offered subprotocol is chosen.
   */
  selectProtocol?: (protocols: string[]) => string | null | undefined;
}

/** Options of `close()` and `error()`. */
export interface CloseOptions {
  /** Close code: 1000 (the default), 1001-1014 except 1004-1006, or 3000-4999. */
  code?: number;
  /** Close reason, at most 123 bytes. */
  reason?: string;
  /**
   * Accepted for compatibility and ignored: a real client that receives a close
   * frame answers it, so its `close` event says `wasClean: true`.
   */
  wasClean?: boolean;
}

/** What `on('close')` listeners get when a client's connection closes. */
export interface WSCloseEvent {
  /** Always `close`. */
  type: 'close';
  /** The close code. */
  code: number;
  /** The close reason. */
  reason: string;
  /** True when the close handshake completed (false when the socket dropped: code 1006). */
  wasClean: boolean;
  /** The server's side of that client, or undefined when the `WS` itself closed. */
  target: WSSocket | undefined;
}

/**
 * The server's side of one client: what `await server.connected` resolves with
 * and `on('connection')` listeners get.
 */
export interface WSSocket {
  /** The URL the client asked for (`ws://` + its Host header + path and query). */
  readonly url: string;
  /** The subprotocol agreed with the client, or `''`. */
  readonly protocol: string;
  /** The server side's ready state: 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The wsmock connection behind this socket, for everything the core API offers. */
  readonly connection: Connection;
  /** Sends to this client only: a string as text, bytes as binary. Not serialised, even with `jsonProtocol`. */
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  /** Closes this client's connection (code 1000 unless given). */
  close(options?: CloseOptions): void;
  /** `message` (the text or bytes the client sent), `close` ({@link WSCloseEvent}) or `error`. */
  on(event: 'message' | 'close' | 'error', callback: (payload: any) => void): void;
}

type ServerEvent = 'connection' | 'message' | 'close';

function invalid(message: string): WsMockError {
  return new WsMockError(WsMockErrorCode.INVALID_ARGUMENT, message);
}

function validClose(options: CloseOptions | undefined, method: string): { code: number; reason: string } {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalid(`${method} takes an options object ({ code, reason }), got ${typeof options}.`);
  }
  const code = options?.code ?? 1000;
  const reason = options?.reason ?? '';
  const allowed = Number.isInteger(code) && ((code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999));
  if (!allowed) {
    throw invalid(
      `${method}: close code ${String(code)} cannot be sent to a real client (RFC 6455 §7.4). ` +
        'Use 1000, 1001-1014 (not 1004-1006), or an application code from 3000 to 4999.',
    );
  }
  if (typeof reason !== 'string' || Buffer.byteLength(reason) > 123) {
    throw invalid(`${method}: the close reason must be a string of at most 123 bytes.`);
  }
  return { code, reason };
}

function isBytes(data: unknown): data is ArrayBuffer | ArrayBufferView {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data) || Object.prototype.toString.call(data) === '[object ArrayBuffer]';
}

function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data as ArrayBuffer);
}

/** A real-clock turn of the timer queue: lets clients that deliver events on a timer (jsdom) deliver them first. */
function afterClientTimers(): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, 0));
}

const kWS = Symbol.for('wsmock.jest-websocket-mock.WS');

/** Whether `value` is a `WS`, from this copy of wsmock or another (ESM and CommonJS builds). */
export function isWS(value: unknown): value is WS {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kWS] === true;
}

/** @internal Takes the next message with a way to give up (the matchers' timeout), shared across copies. */
export const kTake = Symbol.for('wsmock.jest-websocket-mock.take');

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

interface Target {
  url: string;
  port: number;
  pathname: string;
  addresses: string[];
  requested: Set<string>;
  host: string;
}

function parseTarget(url: unknown): Target {
  if (typeof url !== 'string') throw invalid(`new WS(url) takes a URL string such as "ws://localhost:1234", got ${typeof url}.`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`new WS(url): "${url}" is not a URL. Write it as ws://localhost:1234 (a path may follow).`);
  }
  if (parsed.protocol === 'wss:') {
    throw invalid(
      `new WS(url): "${url}" is a wss:// URL, and WS serves plain ws:// on this machine (a real client cannot complete TLS with it). ` +
        'Point the code under test at ws://localhost:<port> in tests.',
    );
  }
  if (parsed.protocol !== 'ws:') {
    throw invalid(`new WS(url): "${url}" is not a WebSocket URL (it has ${parsed.protocol}). Use ws://localhost:1234.`);
  }
  const hostname = parsed.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (hostname === 'localhost') addresses = ['127.0.0.1', '::1'];
  else if (LOOPBACK_V4.test(hostname) || hostname === '::1') addresses = [hostname];
  else {
    throw invalid(
      `new WS(url): "${url}" names the host ${parsed.hostname}, but WS listens on this machine's loopback interface only. ` +
        'Use localhost, 127.0.0.1 or [::1] in the URL, and point the code under test at the same URL.',
    );
  }
  const requested = new Set(hostname === 'localhost' ? ['127.0.0.1'] : addresses);
  const port = parsed.port === '' ? 80 : Number(parsed.port);
  return { url, port, pathname: parsed.pathname || '/', addresses, requested, host: parsed.host };
}

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
    return `ws://${this.#host}:${this.#group.port}${this.#pathname}`;
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
  readonly #group: PortGroup;
  readonly #route: Route;
  readonly #ready: Promise<void>;
  #failure: Error | undefined;
  #live = true;
  #shutdownDone: Promise<void> | undefined;
  readonly #sockets: CompatSocket[] = [];
  #handedOut = 0;
  #socketWaiters: (() => void)[] = [];
  readonly #queue: DeserializedMessage[] = [];
  readonly #takers: ((message: DeserializedMessage) => void)[] = [];
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
    if (typeof options !== 'object' || options === null) throw invalid(`new WS(url, options): options must be an object, got ${String(options)}.`);
    for (const key of ['verifyClient', 'selectProtocol'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function') {
        throw invalid(`new WS(url, options): ${key} must be a function, got ${typeof options[key]}.`);
      }
    }
    const existing = PortGroup.get(target.port);
    if (target.port !== 0 && existing && existing.has(target.pathname)) {
      throw invalid(
        `new WS("${url}"): a live WS already serves ${target.pathname} on port ${target.port}. ` +
          'Call WS.clean() (or close() the other one) first, as an afterEach does, or use another path or port.',
      );
    }
    this.#options = options;
    this.#pathname = target.pathname;
    this.serializer = options.jsonProtocol ? JSON.stringify : (message) => message as string;
    this.deserializer = options.jsonProtocol ? JSON.parse : (text) => text;
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#route = {
      handshake: (request) => this.#handshake(request),
      connected: (connection, relay) => this.#connected(connection, relay),
    };
    this.#group = PortGroup.open(target.port, target.addresses, target.requested, `ws://${target.host}${target.pathname}`);
    this.#group.add(target.pathname, this.#route);
    this.#host = target.host.replace(/:\d+$/, '');
    this.#ready = this.#group.ready.catch((err: Error) => {
      this.#failure = err;
      this.#live = false;
      void this.#group.remove(this.#pathname, this.#route);
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
  [kTake](): { message: Promise<DeserializedMessage>; cancel: () => void } {
    if (this.#queue.length > 0) return { message: Promise.resolve(this.#queue.shift()!), cancel: () => undefined };
    let taker!: (message: DeserializedMessage) => void;
    const message = new Promise<DeserializedMessage>((resolve) => (taker = resolve));
    this.#takers.push(taker);
    return {
      message,
      cancel: () => {
        const at = this.#takers.indexOf(taker);
        if (at !== -1) this.#takers.splice(at, 1);
      },
    };
  }

  /**
   * Listens for `connection` (with a {@link WSSocket}), `message` (the text or
   * bytes a client sent, and its socket) or `close` (a {@link WSCloseEvent}).
   */
  on(event: 'connection', callback: (socket: WSSocket) => void): void;
  on(event: 'message', callback: (data: string | Buffer, socket: WSSocket) => void): void;
  on(event: 'close', callback: (event: WSCloseEvent) => void): void;
  on(event: ServerEvent, callback: (...args: any[]) => void): void {
    if (!(event in this.#listeners)) throw invalid(`server.on(event): event must be 'connection', 'message' or 'close', got ${JSON.stringify(event)}.`);
    if (typeof callback !== 'function') throw invalid(`server.on('${event}', callback): callback must be a function.`);
    this.#listeners[event].push(callback);
  }

  /**
   * Sends to every connected client (serialised with `jsonProtocol`). Resolves
   * once every client has received it: `await server.send(msg)` before
   * asserting on what the client did with it.
   */
  send(message: DeserializedMessage): Promise<void> {
    const data = this.#encode(message, 'server.send()');
    const targets = this.#sockets.filter((socket) => socket.connection.isOpen);
    return inAct(async () => {
      await Promise.all(
        targets.map((socket) => {
          const sent = socket.connection.send(data).catch(() => undefined);
          return Promise.all([sent, socket.relay.probe(socket.connection)]);
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
   * Makes every client fail its connection: each sees an `error` event, then a
   * `close` event with code 1006 (a failed connection carries no close frame, so
   * the options' `code` and `reason` cannot reach the client: they are ignored).
   * Then stops listening.
   */
  error(options?: CloseOptions): Promise<void> {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw invalid(`server.error() takes an options object ({ code, reason }), got ${typeof options}.`);
    }
    return inAct(async () => {
      const sockets = this.#sockets.filter((socket) => socket.connection.isOpen);
      await Promise.all(
        sockets.map(async (socket) => {
          await socket.relay.fail(socket.connection);
          await socket.connection.close({ code: 1002, reason: '' }).catch(() => undefined);
        }),
      );
      await this.#shutdown({ code: 1000, reason: '' });
    });
  }

  #shutdown(close: { code: number; reason: string } = { code: 1000, reason: '' }): Promise<void> {
    if (this.#shutdownDone) return this.#shutdownDone;
    this.#live = false;
    const closing = this.#sockets.map((socket) => socket.connection.close(close).catch(() => undefined));
    // Frees the port now when this was its last WS; settles when everything behind it is closed.
    const released = this.#group.remove(this.#pathname, this.#route);
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
      throw invalid(`${method} got an object, and this WS has no jsonProtocol: pass { jsonProtocol: true } to new WS() to send JSON, or send a string.`);
    }
    return String(message);
  }

  async #handshake(request: HandshakeRequest): Promise<HandshakeVerdict> {
    if (!this.#live) return { accept: false, status: 503, message: 'This WS is closed.' };
    const { verifyClient, selectProtocol } = this.#options;
    if (verifyClient) {
      const info: VerifyClientInfo = {
        origin: request.headers.origin,
        secure: false,
        req: { method: 'GET', url: request.url, headers: request.headers },
      };
      const verdict =
        verifyClient.length >= 2
          ? await new Promise<{ ok: boolean; code?: number; message?: string }>((resolve) =>
              verifyClient(info, (ok, code, message) => resolve({ ok, code, message })),
            )
          : { ok: Boolean(await verifyClient(info)) };
      if (!verdict.ok) return { accept: false, status: verdict.code ?? 401, message: verdict.message ?? 'verifyClient refused this client.' };
    }
    if (selectProtocol) {
      const chosen = selectProtocol(request.protocols);
      if (chosen !== '' && (typeof chosen !== 'string' || !request.protocols.includes(chosen))) {
        return {
          accept: false,
          status: 400,
          message: `selectProtocol chose ${JSON.stringify(chosen)}, which the client did not offer (${request.protocols.join(', ') || 'none'}).`,
        };
      }
      return { accept: true, protocol: chosen };
    }
    return { accept: true, protocol: request.protocols[0] ?? '' };
  }

  #connected(connection: Connection, relay: RelayConnection): void {
    if (!this.#live) {
      void connection.close({ code: 1001, reason: 'WS closed' });
      return;
    }
    const socket = new CompatSocket(connection, relay, this.#encode.bind(this));
    connection.on('message', (message: Message) => {
      const data = message.binary ? (message.data as Buffer) : (message.text ?? '');
      let parsed: DeserializedMessage;
      try {
        parsed = this.deserializer(typeof data === 'string' ? data : data.toString('utf8'));
      } catch {
        parsed = data as string; // not JSON: kept as it came, so an assertion shows it
      }
      this.messages.push(parsed);
      const taker = this.#takers.shift();
      if (taker) taker(parsed);
      else this.#queue.push(parsed);
      socket.emit('message', data);
      this.#emit('message', data, socket);
    });
    connection.on('close', (info) => {
      const event: WSCloseEvent = { type: 'close', code: info.code, reason: info.reason, wasClean: info.code !== 1006, target: socket };
      socket.emit('close', event);
      this.#emit('close', event);
      this.#resolveClosed();
    });
    this.#sockets.push(socket);
    this.#emit('connection', socket);
    // Everything the listeners sent is queued before the probe, so its answer means the client has it all.
    socket.ready = connection.isOpen
      ? relay.probe(connection).then(afterClientTimers)
      : relay.whenClientCloses();
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

class CompatSocket implements WSSocket {
  ready: Promise<void> = Promise.resolve();
  readonly #listeners: Record<'message' | 'close' | 'error', ((payload: any) => void)[]> = { message: [], close: [], error: [] };
  readonly #encode: (data: unknown, method: string) => string | Buffer;

  constructor(
    readonly connection: Connection,
    readonly relay: RelayConnection,
    encode: (data: unknown, method: string) => string | Buffer,
  ) {
    this.#encode = encode;
  }

  get url(): string {
    return this.relay.url;
  }

  get protocol(): string {
    return this.relay.protocol;
  }

  get readyState(): number {
    return this.connection.readyState;
  }

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    const frame = typeof data === 'string' || isBytes(data) ? (typeof data === 'string' ? data : toBuffer(data)) : this.#encode(data, 'socket.send()');
    this.connection.send(frame).catch(() => undefined);
  }

  close(options?: CloseOptions): void {
    void this.connection.close(validClose(options, 'socket.close()'));
  }

  on(event: 'message' | 'close' | 'error', callback: (payload: any) => void): void {
    if (!(event in this.#listeners)) throw invalid(`socket.on(event): event must be 'message', 'close' or 'error', got ${JSON.stringify(event)}.`);
    this.#listeners[event].push(callback);
  }

  /** @internal */
  emit(event: 'message' | 'close' | 'error', payload: unknown): void {
    for (const listener of this.#listeners[event]) listener(payload);
  }
}
