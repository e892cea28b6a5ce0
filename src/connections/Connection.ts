import type { IncomingMessage } from 'node:http';
import { EventEmitter } from 'eventemitter3';
import WebSocket from 'ws';
import { WsMockError, WsMockErrorCode, invalidArgument } from '../errors.js';
import type { MatchPredicate, MatchSpec } from '../mocks/types.js';
import { compileMatch } from '../behaviour/match.js';
import { realClearInterval, realClearTimeout, realNextTick, realSetInterval, realSetTimeout } from '../util/clock.js';
import { brand, hasBrand } from '../util/brand.js';
import { CloseCode, isValidCloseCode } from '../util/closeCodes.js';
import { kInternals, type ConnectionHost, type ConnectionInternals, type MockRuntime } from '../internal.js';
import { encodeSendData } from './encode.js';
import { describeMessage, FrameMessage, type Message } from './Message.js';
import type { CloseInfo, CloseOptions, ConnectionEvents, ConnectionInfo, SendData, SendOptions, WaitOptions } from './types.js';
import { WaitRegistry, Waiters, waitFor } from './waitFor.js';

const kConnection = Symbol('wsmock.connection');
type SocketWithConnection = WebSocket & { [kConnection]: Connection };
const ignore = (): void => {};

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function summarize(messages: readonly Message[]): string {
  if (messages.length === 0) return 'No message arrived.';
  const last = messages.slice(-5).map((m) => `  - ${describeMessage(m)}`);
  const more = messages.length > 5 ? ` (last 5 of ${messages.length})` : '';
  return `Received meanwhile${more}:\n${last.join('\n')}`;
}

/**
 * A live WebSocket connection to a mock: push messages, wait for what the
 * client sends, inspect the journal, close it.
 *
 * @example
 * ```ts
 * const conn = await chat.waitForConnection();
 * await conn.send({ type: 'welcome' });
 * const hello = await conn.waitForMessage({ type: 'json', path: '$.type', value: 'hello' });
 * await conn.close({ code: 4000, reason: 'bye' });
 * ```
 */
export class Connection extends EventEmitter<ConnectionEvents> {
  /** Unique per server, e.g. `conn-3`. */
  readonly id: string;
  /** The id of the mock that accepted it. */
  readonly mockId: string;
  /** The mock's path template. */
  readonly path: string;
  /** The requested path with its query string. */
  readonly url: string;
  /** Values of the path's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string, parsed (last value wins for repeated keys). */
  readonly query: Readonly<Record<string, string>>;
  /** The headers of the upgrade request. */
  readonly headers: Readonly<IncomingMessage['headers']>;
  /** The negotiated subprotocol, or `null`. */
  readonly subprotocol: string | null;
  /** Journal of every frame, both directions, in order. */
  readonly messages: Message[] = [];
  /** Inbound frames only, in order. */
  readonly received: Message[] = [];

  #ws: WebSocket;
  #socket: IncomingMessage['socket'];
  #corked = false;
  #host: ConnectionHost;
  #mock: MockRuntime;
  #clientIp: string;
  #userAgent: string;
  #connectedAt = Date.now();
  #lastMessageAt: number | null = null;
  #messagesSent = 0;
  #messagesRecv = 0;
  #bytesSent = 0;
  #bytesRecv = 0;
  #status: 'connected' | 'closing' | 'closed' = 'connected';
  #closeInfo: CloseInfo | undefined;
  #cursor = 0;
  // Allocated on first use: most connections are never waited on, and each
  // of these costs a hash table per connection (see bench/README.md).
  #waiters: Waiters | undefined;
  #waits: WaitRegistry | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #pongTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  #closed: Promise<CloseInfo> | undefined;
  #resolveClosed: ((info: CloseInfo) => void) | undefined;
  #internals: ConnectionInternals | undefined;

  /** @internal Created by the server for each accepted upgrade. */
  constructor(init: {
    id: string;
    ws: WebSocket;
    request: IncomingMessage;
    mock: MockRuntime;
    params: Record<string, string>;
    host: ConnectionHost;
  }) {
    super();
    const { ws, request, mock } = init;
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.id = init.id;
    this.mockId = mock.id;
    this.path = mock.path;
    this.url = `${url.pathname}${url.search}`;
    this.params = init.params;
    this.query = Object.fromEntries(url.searchParams);
    this.headers = request.headers;
    this.subprotocol = ws.protocol === '' ? null : ws.protocol;
    this.#ws = ws;
    this.#socket = request.socket;
    this.#host = init.host;
    this.#mock = mock;
    this.#clientIp = request.socket.remoteAddress ?? '';
    this.#userAgent = header(request, 'user-agent');

    // Shared listeners that find the connection through the socket, rather
    // than four closures per connection: idle connections are the bulk of
    // what a big test holds.
    (ws as SocketWithConnection)[kConnection] = this;
    ws.on('message', Connection.#onMessage);
    ws.on('close', Connection.#onSocketClose);
    // Protocol errors from the client (invalid UTF-8, oversize frames) make ws
    // close the socket itself; without a listener they would crash the process.
    ws.on('error', ignore);
    ws.on('pong', Connection.#onPong);
    this.#startTimers();
    brand(this, 'connection');
  }

  /** True for any wsmock connection, from this copy of the package or another (ESM and CommonJS builds). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'connection');
  }

  /** The WebSocket ready state: 0 connecting, 1 open, 2 closing, 3 closed. */
  get readyState(): number {
    return this.#ws.readyState;
  }

  /** Whether the connection is still open (not closing, not closed). */
  get isOpen(): boolean {
    return this.#status === 'connected';
  }

  /** A JSON-ready snapshot of the connection. */
  get info(): ConnectionInfo {
    return {
      id: this.id,
      mockId: this.mockId,
      path: this.path,
      url: this.url,
      clientIp: this.#clientIp,
      userAgent: this.#userAgent,
      subprotocol: this.subprotocol,
      connectedAt: new Date(this.#connectedAt).toISOString(),
      lastMessageAt: this.#lastMessageAt === null ? null : new Date(this.#lastMessageAt).toISOString(),
      messagesSent: this.#messagesSent,
      messagesRecv: this.#messagesRecv,
      bytesSent: this.#bytesSent,
      bytesRecv: this.#bytesRecv,
      status: this.#status,
      scenario: this.#mock.pipeline.scenarioInfo(this),
    };
  }

  /** How it closed, once it has. */
  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  /**
   * Sends a frame: an object as JSON text, a string as text, bytes as binary.
   * Resolves once the frame is written; rejects `WSMOCK_ERR_CONNECTION_CLOSED`
   * when the connection is closing or closed. Never throws synchronously.
   */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    if (this.#status !== 'connected') return Promise.reject(this.#closedError('send'));
    let frame: ReturnType<typeof encodeSendData>;
    try {
      frame = encodeSendData(data, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.#write(frame.payload, frame.binary, frame.json, (err) => (err ? reject(this.#closedError('send', err)) : resolve()));
    });
  }

  /**
   * Starts the close handshake and resolves when it completes (or the socket is
   * gone). Default code 1000. Resolves at once if the connection is already closed.
   */
  close(options: CloseOptions = {}): Promise<CloseInfo> {
    const code = options.code ?? CloseCode.NORMAL;
    const reason = options.reason ?? '';
    if (!isValidCloseCode(code)) {
      return Promise.reject(invalidArgument(`close code ${code} is not allowed: use 1000, 1001-1014 (not 1004-1006) or 3000-4999`));
    }
    if (Buffer.byteLength(reason) > 123) {
      return Promise.reject(invalidArgument('close reason must be at most 123 bytes'));
    }
    if (this.#status === 'connected') {
      this.#status = 'closing';
      this.#ws.close(code, reason);
      // ws waits 30 s for the peer's close frame, on timers a test may have
      // faked. A client that never answers is dropped on the real clock.
      this.#closeTimer = realSetTimeout(() => this.#ws.terminate(), this.#host.closeTimeout);
    }
    return this.#whenClosed();
  }

  #whenClosed(): Promise<CloseInfo> {
    if (this.#closeInfo) return Promise.resolve(this.#closeInfo);
    this.#closed ??= new Promise((resolve) => (this.#resolveClosed = resolve));
    return this.#closed;
  }

  /** Drops the TCP socket without a close frame (fault injection). */
  terminate(): void {
    this.#ws.terminate();
  }

  /**
   * Resolves with the next unconsumed inbound message that satisfies `matcher`
   * (a {@link MatchSpec} or a predicate), including messages that arrived before
   * the call. Messages skipped on the way are consumed too.
   */
  async waitForMessage(matcher?: MatchSpec | MatchPredicate, options: WaitOptions = {}): Promise<Message> {
    const test = compileMatch(matcher);
    const timeout = this.#host.timeoutFor(options.timeout);
    return waitFor({
      find: () => {
        for (let i = this.#cursor; i < this.received.length; i++) {
          const message = this.received[i]!;
          if (test(message, this)) {
            this.#cursor = i + 1;
            return message;
          }
        }
        return undefined;
      },
      waiters: (this.#waiters ??= new Waiters()),
      owners: [(this.#waits ??= new WaitRegistry()), this.#host.waits],
      timeout,
      what: `a message${matcher === undefined ? '' : ` matching ${describeMatcher(matcher)}`} on ${this.id}`,
      seen: () => summarize(this.received.slice(this.#cursor)),
      failure: () => (this.#status === 'closed' ? this.#closedError('waitForMessage') : undefined),
    });
  }

  /** Resolves with the close code and reason once the connection has closed. */
  async waitForClose(options: WaitOptions = {}): Promise<CloseInfo> {
    return waitFor({
      find: () => this.#closeInfo,
      waiters: (this.#waiters ??= new Waiters()),
      owners: [this.#host.waits],
      timeout: this.#host.timeoutFor(options.timeout),
      what: `${this.id} to close`,
      seen: () => `It is still ${this.#status}.`,
    });
  }

  /**
   * The one place frames leave. `journal` is what the journal records when it
   * differs from the wire payload (an echoed text frame goes out as the bytes
   * it came in as, and is journaled as its text).
   */
  #write(payload: string | Buffer, binary: boolean, json?: unknown, callback?: (err?: Error) => void, journal?: string | Buffer): void {
    if (this.#ws.readyState !== WebSocket.OPEN) {
      callback?.(this.#closedError('send'));
      return;
    }
    // Text goes to ws as bytes too: handing it a string makes the socket's
    // writev convert it on every frame, which costs more than encoding it
    // here (measured with the json-matchers benchmark, bench/README.md).
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const size = bytes.length;
    // Frames written in one tick leave in one writev: the replies to the
    // frames of one TCP read cost one system call, not one each.
    // One flush per tick for every corked socket: a broadcast to 10,000
    // connections schedules one callback, not 10,000.
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      if (Connection.#corkedSockets.push(this) === 1) realNextTick(Connection.#uncorkAll);
    }
    this.#ws.send(bytes, { binary }, callback);
    const now = Date.now();
    const message = new FrameMessage('out', this.id, binary, journal ?? payload, size, json, now);
    this.messages.push(message);
    this.#messagesSent++;
    this.#bytesSent += size;
    this.#touch(now);
    this.#host.sent(this, message);
    this.emit('sent', message);
  }

  static #corkedSockets: Connection[] = [];

  static #uncorkAll(): void {
    const corked = Connection.#corkedSockets;
    Connection.#corkedSockets = [];
    for (const connection of corked) {
      connection.#corked = false;
      connection.#socket.uncork();
    }
  }

  static #onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    (this as SocketWithConnection)[kConnection].#onFrame(data, isBinary);
  }

  static #onSocketClose(this: WebSocket, code: number, reason: Buffer): void {
    (this as SocketWithConnection)[kConnection].#onClose(code, reason.toString('utf8'));
  }

  static #onPong(this: WebSocket): void {
    const connection = (this as SocketWithConnection)[kConnection];
    if (connection.#pongTimer) realClearTimeout(connection.#pongTimer);
    connection.#pongTimer = undefined;
  }

  /** @internal The pipeline's view of this connection, made on first use. */
  get [kInternals](): ConnectionInternals {
    if (this.#internals === undefined) {
      let state: Map<unknown, unknown> | undefined;
      this.#internals = {
        write: (payload, binary, json, journal) => this.#write(payload, binary, json, undefined, journal),
        mock: this.#mock,
        get state() {
          return (state ??= new Map());
        },
      };
    }
    return this.#internals;
  }

  #onFrame(data: Buffer, isBinary: boolean): void {
    const now = Date.now();
    const message = new FrameMessage('in', this.id, isBinary, isBinary ? data : data.toString('utf8'), data.length, undefined, now);
    this.messages.push(message);
    this.received.push(message);
    this.#messagesRecv++;
    this.#bytesRecv += data.length;
    this.#touch(now);
    this.#host.received(this, message);
    this.emit('message', message);
    if (this.#waiters !== undefined && this.#waiters.size > 0) this.#waiters.notify();
    if (this.#status === 'connected') this.#mock.pipeline.receive(this, message, data);
  }

  #onClose(code: number, reason: string): void {
    this.#status = 'closed';
    this.#closeInfo = { code, reason };
    this.#stopTimers();
    this.#mock.pipeline.disconnect(this);
    this.#host.closed(this, this.#closeInfo);
    this.emit('close', this.#closeInfo);
    this.#waiters?.notify();
    this.#resolveClosed?.(this.#closeInfo);
  }

  #touch(now: number): void {
    this.#lastMessageAt = now;
    this.#idleTimer?.refresh();
  }

  #startTimers(): void {
    const { idleTimeout, heartbeat } = this.#mock;
    if (idleTimeout !== undefined) {
      this.#idleTimer = realSetTimeout(() => {
        void this.close({ code: CloseCode.GOING_AWAY, reason: 'idle timeout' });
      }, idleTimeout);
    }
    if (heartbeat !== undefined) {
      this.#heartbeatTimer = realSetInterval(() => {
        if (this.#pongTimer || this.#status !== 'connected') return;
        this.#ws.ping();
        this.#pongTimer = realSetTimeout(() => {
          void this.close({ code: CloseCode.GOING_AWAY, reason: 'ping timeout' });
        }, heartbeat.timeout);
      }, heartbeat.interval);
    }
  }

  #stopTimers(): void {
    for (const timer of [this.#idleTimer, this.#pongTimer, this.#closeTimer]) if (timer) realClearTimeout(timer);
    if (this.#heartbeatTimer) realClearInterval(this.#heartbeatTimer);
    this.#idleTimer = this.#pongTimer = this.#closeTimer = this.#heartbeatTimer = undefined;
  }

  #closedError(action: string, cause?: Error): WsMockError {
    const how = this.#closeInfo ? ` (code ${this.#closeInfo.code}${this.#closeInfo.reason ? ` "${this.#closeInfo.reason}"` : ''})` : '';
    return new WsMockError(
      WsMockErrorCode.CONNECTION_CLOSED,
      `Cannot ${action}: connection ${this.id} is ${this.#status}${how}.`,
      cause ? { cause } : {},
    );
  }
}

/** A short description of a matcher for messages. */
export function describeMatcher(matcher: MatchSpec | MatchPredicate): string {
  if (typeof matcher === 'function') return `predicate ${matcher.name || '(anonymous)'}`;
  const parts: string[] = [matcher.type];
  if (matcher.path !== undefined) parts.push(matcher.path);
  if (matcher.value !== undefined) parts.push(JSON.stringify(matcher.value instanceof RegExp ? String(matcher.value) : matcher.value));
  if (matcher.messageType) parts.push(`(${matcher.messageType})`);
  return parts.join(' ');
}
