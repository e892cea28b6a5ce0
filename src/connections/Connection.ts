import type { IncomingHttpHeaders } from 'node:http';
import { EventEmitter } from 'eventemitter3';
import { compileMatch } from '../behaviour/match.js';
import type { MatchSpec } from '../behaviour/types.js';
import { WsMockError, connectionClosed, failUnsupported, invalidArgument, invalidCloseCode, invalidCloseReason } from '../errors.js';
import type { ConnectionType, Transport, TransportSink } from '../transport/types.js';
import { brand, hasBrand } from '../util/brand.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { kNote } from '../util/notes.js';
import { CloseCode, isValidCloseCode, isValidCloseReason } from '../util/closeCodes.js';
import { quietWait } from '../util/promise.js';
import type { SeededRandom } from '../util/random.js';
import { encodeSendData } from './encode.js';
import { Journal } from './Journal.js';
import { Liveness } from './Liveness.js';
import { MAX_PING_PAYLOAD, Pings } from './Pings.js';
import { describeMatcher, summarize } from './describe.js';
import { FrameMessage, type Message } from './Message.js';
import type { ChaosFault, CloseInfo, CloseOptions, ConnectionEvents, ConnectionInfo, ScenarioInfo, SendData, SendOptions, WaitOptions } from './types.js';
import { WaitRegistry, Waiters, waitFor } from './waitFor.js';
import type { ReadDirection } from './Journal.js';
import type { Upstream } from '../proxy/Upstream.js';

/** An in-process predicate that decides whether a message matches. */
export type MatchPredicate = (message: Message, connection: Connection) => boolean;

/** A frame on its way to the client. */
export interface OutboundFrame {
  /** What goes on the wire: text or bytes. */
  readonly payload: string | Buffer;
  readonly binary: boolean;
  /** The value a JSON frame was serialised from, so the journal need not parse it back. */
  readonly json?: unknown;
  /** What the journal records when it differs from the payload (an echoed text frame is journaled as its text). */
  readonly journal?: string | Buffer;
  /** On a proxy mock, the upstream's frame this is (journaled as `upstream-in`), for the outbound stages that intercept it. */
  readonly upstream?: Message;
}

/** What a pipeline stage can add to a connection's snapshot. */
export interface ConnectionDetails {
  scenario?: ScenarioInfo;
}

/** The behaviour a connection runs: one mock version's pipeline (pipeline/pipeline.ts). */
export interface ConnectionPipeline {
  connect(connection: Connection): void;
  /** An inbound frame, after it is journaled. */
  inbound(connection: Connection, message: Message, raw: Buffer): void;
  /** Runs the outbound phase, then writes with {@link writeFrame} (or not, when a stage drops the frame). */
  outbound(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void;
  disconnect(connection: Connection): void;
  inspect(connection: Connection): ConnectionDetails;
}

/** The mock version a connection was accepted by. */
export interface ConnectionMock {
  readonly id: string;
  readonly path: string;
  readonly idleTimeout: number | undefined;
  readonly heartbeat: { interval: number; timeout: number } | undefined;
  readonly pipeline: ConnectionPipeline;
}

/** What a connection reports to, and asks of, the connection manager that owns it. */
export interface ConnectionHost {
  /** Pending waits of the whole server, aborted when it closes. */
  readonly waits: WaitRegistry;
  readonly closeTimeout: number;
  /** The most frames a journal keeps. */
  readonly journalLimit: number;
  timeoutFor(timeout: number | undefined): number;
  /** Stream `seq` of the server's seeded random (one per connection: what a connection draws does not depend on others). */
  random(seq: number): SeededRandom;
  received(connection: Connection, message: Message): void;
  sent(connection: Connection, message: Message): void;
  /** A frame to or from a proxy mock's upstream, journaled. */
  upstream(connection: Connection, message: Message): void;
  /** The upstream sent a frame after the client left: dropped, counted. */
  upstreamLate(connection: Connection, size: number): void;
  closed(connection: Connection, info: CloseInfo): void;
}

/** What the upgrade knew about the client. */
export interface ConnectionRequest {
  /** The requested path with its query string. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** What the connection manager gives a new connection (a kit's subclass takes the same). */
export interface ConnectionInit {
  id: string;
  seq: number;
  transport: Transport;
  request: ConnectionRequest;
  mock: ConnectionMock;
  params: Record<string, string>;
  host: ConnectionHost;
  /** It may be a client that the last `reset()` closed, coming back (see `ConnectionInfo.afterReset`). */
  afterReset?: boolean;
}

/** Makes the handle of an accepted transport: a kit whose connections have a handle of their own (SSE) passes one. */
export type ConnectionFactory = (init: ConnectionInit) => Connection;

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

let writeFrameImpl: (connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void) => void;
let deliverImpl: (connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void) => void;
let randomImpl: (connection: Connection) => SeededRandom;
let inRoomImpl: (connection: Connection, room: string) => boolean;
let recordFaultImpl: (connection: Connection, fault: ChaosFault) => void;
let attachUpstreamImpl: (connection: Connection, upstream: Upstream) => void;
let journalUpstreamImpl: (connection: Connection, message: FrameMessage) => void;
let lateUpstreamImpl: (connection: Connection, size: number) => void;
let waitForUpstreamImpl: (connection: Connection, matcher: MatchSpec | MatchPredicate | undefined, options: WaitOptions) => Promise<Message>;
/** What every connection's transport reports to, with the connection as the first argument. */
let sink: TransportSink<Connection>;

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
  readonly headers: Readonly<IncomingHttpHeaders>;
  /** The negotiated subprotocol, or `null`. */
  readonly subprotocol: string | null;
  /** What carries it: `websocket` (Socket.IO included) or `sse` (a Server-Sent Events stream). */
  readonly type: ConnectionType;
  readonly #transport: Transport;
  readonly #host: ConnectionHost;
  readonly #mock: ConnectionMock;
  // Made on first use, like the rest below: an idle connection that nobody
  // writes state to or sends on costs less (see the idle-memory benchmark).
  #data: Record<string, unknown> | undefined;
  #journal: Journal | undefined;
  #rooms: Set<string> | undefined;
  #faults: ChaosFault[] | undefined;
  readonly #seq: number;
  #random: SeededRandom | undefined;
  #clientIp: string;
  #userAgent: string;
  #connectedAt = Date.now();
  readonly #afterReset: boolean;
  #lastMessageAt: number | null = null;
  #messagesSent = 0;
  #messagesRecv = 0;
  #bytesSent = 0;
  #bytesRecv = 0;
  #status: 'connected' | 'closing' | 'closed' = 'connected';
  #closeInfo: CloseInfo | undefined;
  // Allocated on first use: most connections are never waited on, and each
  // of these costs a hash table per connection (see bench/README.md).
  #waiters: Waiters | undefined;
  #waits: WaitRegistry | undefined;
  /** Idle timeout and heartbeat, when the mock has either. */
  #liveness: Liveness | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  /** Pings in flight from {@link Connection.ping}, made on the first one. */
  #pings: Pings | undefined;
  #closed: Promise<CloseInfo> | undefined;
  #resolveClosed: ((info: CloseInfo) => void) | undefined;
  /** A proxy mock's upstream side. */
  #upstream: Upstream | undefined;

  /** @internal Created by the server for each accepted upgrade (or event stream). */
  constructor(init: ConnectionInit) {
    super();
    const { transport, request, mock } = init;
    const url = new URL(request.url, 'http://localhost');
    this.id = init.id;
    this.mockId = mock.id;
    this.path = mock.path;
    this.url = `${url.pathname}${url.search}`;
    this.params = init.params;
    this.query = Object.fromEntries(url.searchParams);
    this.headers = request.headers;
    this.subprotocol = transport.protocol === '' ? null : transport.protocol;
    this.type = transport.type ?? 'websocket';
    this.#transport = transport;
    this.#host = init.host;
    this.#mock = mock;
    this.#seq = init.seq;
    this.#clientIp = transport.remoteAddress;
    this.#userAgent = header(request.headers, 'user-agent');
    this.#afterReset = init.afterReset === true;
    transport.bind(this, sink);
    if (mock.idleTimeout !== undefined || mock.heartbeat !== undefined) this.#liveness = new Liveness(this, transport, mock);
    brand(this, 'connection');
  }

  static {
    sink = {
      frame: (connection, data, binary) => connection.#onFrame(data, binary),
      closed: (connection, code, reason, by) => connection.#onClose({ code, reason, by }),
      pong: (connection, data) => {
        connection.#liveness?.pong();
        connection.#pings?.pong(data);
      },
    };
    writeFrameImpl = (connection, frame, callback) => connection.#write(frame, callback);
    deliverImpl = (connection, frame, callback) => connection.#mock.pipeline.outbound(connection, frame, callback);
    randomImpl = (connection) => (connection.#random ??= connection.#host.random(connection.#seq));
    inRoomImpl = (connection, room) => connection.#rooms?.has(room) === true;
    recordFaultImpl = (connection, fault) => {
      const faults = (connection.#faults ??= []);
      faults.push(fault);
      // Bounded like the journal: a `wsmock serve` with chaos on for days keeps a flat heap.
      if (faults.length > connection.#host.journalLimit) faults.shift();
    };
    attachUpstreamImpl = (connection, upstream) => {
      connection.#upstream = upstream;
    };
    journalUpstreamImpl = (connection, message) => {
      // Not a touch: idleness is about the client, whose frames touch on their own.
      connection.#log().push(message);
      connection.#host.upstream(connection, message);
      if (message.direction === 'upstream-in' && connection.#waiters !== undefined && connection.#waiters.size > 0) connection.#waiters.notify();
    };
    lateUpstreamImpl = (connection, size) => connection.#host.upstreamLate(connection, size);
    waitForUpstreamImpl = (connection, matcher, options) => connection.#wait('upstream-in', matcher, options);
  }

  /** True for any wsmock connection, from this copy of the package or another (ESM and CommonJS builds). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'connection');
  }

  /**
   * @internal What failure messages about it end with (its server's chaos seed
   * while chaos is on). A method under a `Symbol.for` key, so the matchers of
   * another copy of wsmock can ask (util/notes.ts).
   */
  [kNote](): string | undefined {
    return this.#host.waits.note?.();
  }

  /**
   * State of this connection that the test, `onConnection`, `respond`
   * functions and protocol kits read and write; templates read it as
   * `{{connection.data.name}}`.
   *
   * @example
   * ```ts
   * server.websocket('/chat', {
   *   onConnection: (conn) => { conn.data.user = conn.query.user; },
   *   matchers: [{ response: { type: 'text', value: 'hello {{connection.data.user}}' } }],
   * });
   * ```
   */
  get data(): Record<string, unknown> {
    return (this.#data ??= {});
  }

  /** The WebSocket ready state: 0 connecting, 1 open, 2 closing, 3 closed. */
  get readyState(): number {
    return this.#transport.readyState;
  }

  /** Whether the connection is still open (not closing, not closed). */
  get isOpen(): boolean {
    return this.#status === 'connected';
  }

  /** Journal of every frame, both directions, in order (the newest `journal.limit` when the server has one). */
  get messages(): Message[] {
    return this.#journal?.all() ?? [];
  }

  /** Inbound frames only, in order. */
  get received(): Message[] {
    return this.#journal?.inbound() ?? [];
  }

  /**
   * On a proxy mock, the upstream side of this connection: send to the
   * upstream, wait for what it sends, close it. `null` on connections of
   * other mocks.
   */
  get upstream(): Upstream | null {
    return this.#upstream ?? null;
  }

  /** A JSON-ready snapshot of the connection. */
  get info(): ConnectionInfo {
    return {
      id: this.id,
      type: this.type,
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
      scenario: this.#mock.pipeline.inspect(this).scenario ?? null,
      rooms: this.rooms,
      afterReset: this.#afterReset,
    };
  }

  /** The rooms this connection is in, in the order it joined them. A closed connection is in none. */
  get rooms(): string[] {
    return this.#rooms ? [...this.#rooms] : [];
  }

  /**
   * Puts the connection in a room: broadcasts can then address the room
   * (`mock.broadcast(data, { room })`, `server.connections.broadcast(data, { room })`)
   * and `connections.list({ room })` finds it. Joining twice is one membership.
   * Throws `WSMOCK_ERR_INVALID_ARGUMENT` for a room that is not a non-empty
   * string, `WSMOCK_ERR_CONNECTION_CLOSED` once the connection is closing.
   *
   * @example
   * ```ts
   * server.websocket('/chat', { matchers: [{
   *   match: { type: 'json', path: '$.type', value: 'join' },
   *   respond: (message, conn) => { conn.join((message.json as { room: string }).room); },
   * }] });
   * chat.broadcast({ type: 'news' }, { room: 'general' });
   * ```
   */
  join(room: string): void {
    assertRoom(room);
    if (this.#status !== 'connected') throw this.#closedError('join a room');
    (this.#rooms ??= new Set()).add(room);
  }

  /** Takes the connection out of a room; nothing happens if it was not in it. */
  leave(room: string): void {
    assertRoom(room);
    this.#rooms?.delete(room);
  }

  /**
   * The faults seeded chaos applied to this connection, in order: dropped,
   * duplicated, delayed, reordered, corrupted or truncated frames and the
   * disconnect; the newest `journal.limit` when the server has one. Two runs
   * with the same seed and the same traffic have the same journal (`at` aside).
   *
   * @example
   * ```ts
   * const server = await createMockServer({ seed: 7, chaos: { drop: 0.2 } });
   * // … traffic …
   * conn.faults; // [{ at, kind: 'drop', direction: 'out', frameIndex: 3, detail: {} }, …]
   * ```
   */
  get faults(): ChaosFault[] {
    return this.#faults ? [...this.#faults] : [];
  }

  /** How it closed, once it has. */
  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  /**
   * Sends a frame: an object as JSON text, a string as text, bytes as binary.
   * Resolves once the frame is written; rejects `WSMOCK_ERR_CONNECTION_CLOSED`
   * when the connection is closing or closed. Never throws synchronously.
   * Like every push to one connection, it returns a promise (fan-out, such as `broadcast()`, is synchronous and returns the recipient count).
   */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    if (this.#status !== 'connected') return Promise.reject(this.#closedError('send'));
    let frame: OutboundFrame;
    try {
      frame = encodeSendData(data, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      deliverImpl(this, frame, (err) => (err ? reject(this.#closedError('send', err)) : resolve()));
    });
  }

  /**
   * Starts the close handshake and resolves when it completes (or the socket is
   * gone). Default code 1000. Resolves at once if the connection is already closed.
   * Like every push to one connection, it returns a promise.
   */
  close(options: CloseOptions = {}): Promise<CloseInfo> {
    const code = options.code ?? CloseCode.NORMAL;
    const reason = options.reason ?? '';
    if (!isValidCloseCode(code)) {
      return Promise.reject(invalidCloseCode(code));
    }
    if (!isValidCloseReason(reason)) return Promise.reject(invalidCloseReason());
    if (this.#status === 'connected') {
      this.#status = 'closing';
      this.#transport.close(code, reason);
      // A client that never answers the close frame is dropped on the real
      // clock (ws would wait 30 s, on timers a test may have faked).
      this.#closeTimer = realSetTimeout(() => this.#transport.terminate(), this.#host.closeTimeout);
    }
    return this.#whenClosed();
  }

  #whenClosed(): Promise<CloseInfo> {
    if (this.#closeInfo) return Promise.resolve(this.#closeInfo);
    this.#closed ??= new Promise((resolve) => (this.#resolveClosed = resolve));
    return this.#closed;
  }

  /**
   * Drops the TCP socket without a close frame (fault injection). Recorded as
   * 1006, closed by the server. Like `close()`, resolves with the close once
   * the connection is gone (at once if it already is); the socket is dropped
   * by the time the call returns, so not awaiting it is fine.
   */
  terminate(): Promise<CloseInfo> {
    this.#transport.terminate();
    return this.#whenClosed();
  }

  /**
   * Makes the client fail the connection, as a broken server would: sends, after
   * every frame sent before it, a frame the client must reject (RFC 6455 §7.1.7:
   * a reserved opcode), then shuts the socket. Clients fire `error`, then `close`
   * with `wasClean: false` (code 1006 in browsers, undici's, jsdom's and `ws`'s
   * clients). For testing an app's error handling; {@link terminate} only drops
   * the socket, which some clients report as a clean close and without `error`.
   *
   * Recorded as `{ code: 1002, reason: '', by: 'server' }` (protocol error) in
   * `closeInfo`, `waitForClose()`, the `close` events and the disconnections by
   * code of `/metrics`. Resolves with that once the socket is gone: when the
   * client closes, or after the server's `closeTimeout` (2 s by default), when
   * the socket is dropped. Rejects `WSMOCK_ERR_CONNECTION_CLOSED` when the
   * connection is already closing or closed, and `WSMOCK_ERR_UNSUPPORTED` when
   * what carries it has no frame to break: a Server-Sent Events stream, a
   * Socket.IO session still on HTTP long-polling (`terminate()` drops those).
   * On a Socket.IO session over a WebSocket, socket.io-client sees a
   * "transport error". Never throws synchronously.
   *
   * @example
   * ```ts
   * const conn = await chat.waitForConnection();
   * await conn.fail();   // the app's socket fires error, then close (wasClean: false)
   * expect(conn.closeInfo).toEqual({ code: 1002, reason: '', by: 'server' });
   * ```
   */
  fail(): Promise<CloseInfo> {
    if (this.#status !== 'connected' || this.#transport.readyState !== 1) return Promise.reject(this.#closedError('fail'));
    if (this.#transport.fail?.() !== true) {
      const carrier = this.type === 'sse' ? 'a Server-Sent Events stream' : 'a session on HTTP long-polling';
      return Promise.reject(failUnsupported(this.id, carrier));
    }
    this.#status = 'closing';
    // A client that neither closes nor answers is dropped on the real clock, as in close().
    this.#closeTimer = realSetTimeout(() => this.#transport.terminate(), this.#host.closeTimeout);
    return this.#whenClosed();
  }

  /**
   * Sends a ping and resolves with the round trip in milliseconds once the
   * client's pong arrives. The client answers after every frame sent before
   * the ping, so `await conn.ping()` proves it has received them. `data` (at
   * most 125 bytes) is the ping's payload; without it a unique one is used.
   * Rejects `WSMOCK_ERR_CONNECTION_CLOSED` if the connection closes first and
   * `WSMOCK_ERR_TIMEOUT` after the server's `timeout` with no pong.
   *
   * @example
   * ```ts
   * await conn.send({ type: 'price', value: 1 });
   * await conn.ping();   // the client has the price now
   * ```
   */
  ping(data?: string | Buffer): Promise<number> {
    if (data !== undefined && typeof data !== 'string' && !Buffer.isBuffer(data)) {
      return Promise.reject(invalidArgument(`conn.ping(data): data must be a string or a Buffer, got ${typeof data}`));
    }
    const payload = data === undefined ? Pings.payload() : typeof data === 'string' ? Buffer.from(data) : data;
    if (payload.length > MAX_PING_PAYLOAD) {
      return Promise.reject(invalidArgument(`conn.ping(data): data must be at most ${MAX_PING_PAYLOAD} bytes (a control frame's limit), got ${payload.length}`));
    }
    if (this.#status !== 'connected' || this.#transport.readyState !== 1) return Promise.reject(this.#closedError('ping'));
    const pong = (this.#pings ??= new Pings()).track(payload, this.#host.timeoutFor(undefined), () => this.id);
    this.#transport.ping(payload);
    return pong;
  }

  /**
   * Resolves with the next unconsumed inbound message that satisfies `matcher`
   * (a {@link MatchSpec} or a predicate), including messages that arrived before
   * the call. Messages skipped on the way are consumed too.
   */
  waitForMessage(matcher?: MatchSpec | MatchPredicate, options: WaitOptions = {}): Promise<Message> {
    return quietWait(() => this.#wait('in', matcher, options));
  }

  #wait(direction: ReadDirection, matcher: MatchSpec | MatchPredicate | undefined, options: WaitOptions): Promise<Message> {
    const test = compileMatch<Connection>(matcher);
    const timeout = this.#host.timeoutFor(options.timeout);
    const journal = this.#log();
    const from = direction === 'in' ? '' : ' from the upstream';
    return waitFor({
      find: () => journal.take((message) => test(message, this), direction),
      waiters: (this.#waiters ??= new Waiters()),
      owners: [(this.#waits ??= new WaitRegistry()), this.#host.waits],
      timeout,
      what: `a message${from}${matcher === undefined ? '' : ` matching ${describeMatcher(matcher)}`} on ${this.id}`,
      seen: () => {
        const lost = journal.lost(direction);
        const what = direction === 'in' ? 'inbound' : 'upstream';
        const dropped = lost > 0 ? `\n${lost} ${what} frame(s) that no wait had read were dropped by journal.limit (${journal.limit}); the one awaited may have been among them.` : '';
        return `${summarize(journal.unread(direction))}${dropped}`;
      },
      failure: () => (this.#status === 'closed' ? this.#closedError('waitForMessage') : undefined),
    });
  }

  /** Resolves with the close code, reason and who closed, once the connection has closed. */
  waitForClose(options: WaitOptions = {}): Promise<CloseInfo> {
    return quietWait(() => waitFor({
      find: () => this.#closeInfo,
      waiters: (this.#waiters ??= new Waiters()),
      owners: [this.#host.waits],
      timeout: this.#host.timeoutFor(options.timeout),
      what: `${this.id} to close`,
      seen: () => `It is still ${this.#status}.`,
    }));
  }

  /** The one place frames leave, after the outbound phase: writes, journals, counts and emits. */
  #write(frame: OutboundFrame, callback?: (err?: Error) => void): void {
    if (this.#transport.readyState !== 1) {
      callback?.(this.#closedError('send'));
      return;
    }
    const { payload, binary } = frame;
    // Text goes to the socket as bytes: handing ws a string makes its writev
    // convert it on every frame, which costs more than encoding it here.
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    this.#transport.write(bytes, binary, callback);
    const now = Date.now();
    const message = new FrameMessage('out', this.id, binary, frame.journal ?? payload, bytes.length, frame.json, now);
    this.#log().push(message);
    this.#messagesSent++;
    this.#bytesSent += bytes.length;
    this.#touch(now);
    this.#host.sent(this, message);
    this.emit('sent', message);
  }

  #onFrame(data: Buffer, binary: boolean): void {
    const now = Date.now();
    const message = new FrameMessage('in', this.id, binary, binary ? data : data.toString('utf8'), data.length, undefined, now);
    this.#log().push(message);
    this.#messagesRecv++;
    this.#bytesRecv += data.length;
    this.#touch(now);
    this.#host.received(this, message);
    this.emit('message', message);
    if (this.#waiters !== undefined && this.#waiters.size > 0) this.#waiters.notify();
    if (this.#status === 'connected') this.#mock.pipeline.inbound(this, message, data);
  }

  #onClose(info: CloseInfo): void {
    this.#status = 'closed';
    this.#rooms = undefined;
    this.#closeInfo = info;
    this.#liveness?.stop();
    this.#pings?.fail(() => this.#closedError('ping'));
    if (this.#closeTimer) realClearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    this.#mock.pipeline.disconnect(this);
    this.#host.closed(this, info);
    this.emit('close', info);
    this.#waiters?.notify();
    this.#resolveClosed?.(info);
  }

  #log(): Journal {
    return (this.#journal ??= new Journal(this.#host.journalLimit));
  }

  #touch(now: number): void {
    this.#lastMessageAt = now;
    this.#liveness?.touch();
  }

  #closedError(action: string, cause?: Error): WsMockError {
    return connectionClosed(action, `connection ${this.id}`, `is ${this.#status}`, { close: this.#closeInfo, cause });
  }
}

/** Writes a frame that has passed the outbound phase (the pipeline's last step). */
export function writeFrame(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void {
  writeFrameImpl(connection, frame, callback);
}

/** Sends a frame through the connection's outbound phase: what stages, broadcasts and `send()` call. */
export function deliver(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void {
  deliverImpl(connection, frame, callback);
}

/** Whether the connection is in `room` (without copying its rooms). */
export function inRoom(connection: Connection, room: string): boolean {
  return inRoomImpl(connection, room);
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `room` is a non-empty string. */
export function assertRoom(room: unknown): asserts room is string {
  if (typeof room !== 'string' || room === '') throw invalidArgument(`room must be a non-empty string, got ${JSON.stringify(room) ?? String(room)}`);
}

/** Journals a fault that chaos applied to the connection (`conn.faults`). */
export function recordFault(connection: Connection, fault: ChaosFault): void {
  recordFaultImpl(connection, fault);
}

/** Gives a proxy mock's connection its `upstream` handle (before its pipeline starts). */
export function attachUpstream(connection: Connection, upstream: Upstream): void {
  attachUpstreamImpl(connection, upstream);
}

/** Journals and counts a frame to or from the connection's upstream; an `upstream-in` frame wakes `conn.upstream.waitForMessage`. */
export function journalUpstream(connection: Connection, message: FrameMessage): void {
  journalUpstreamImpl(connection, message);
}

/** Counts a frame the upstream sent after the client left (dropped). */
export function lateUpstreamFrame(connection: Connection, size: number): void {
  lateUpstreamImpl(connection, size);
}

/** `conn.upstream.waitForMessage()`: the next unread `upstream-in` frame matching `matcher`. */
export function waitForUpstreamMessage(connection: Connection, matcher: MatchSpec | MatchPredicate | undefined, options: WaitOptions): Promise<Message> {
  return waitForUpstreamImpl(connection, matcher, options);
}

/** The connection's own stream of the server's seeded random, made on first use. */
export function randomOf(connection: Connection): SeededRandom {
  return randomImpl(connection);
}
