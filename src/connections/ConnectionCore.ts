//
// The core of one connection: its state, journal, waits and frame I/O. The
// manager makes it (and, through it, the public handle users get); the
// transport reports to it; the pipeline, its stages, the proxy and the kits
// hold it as `connection[kCore]` and call its methods. Nobody else writes its
// state: it has one owner, itself.
//
// Frames take one path each way, with nothing made per frame beyond the
// journal's entry: in through `onFrame` (journal, count, emit, pipeline), out
// through `deliver` (the pipeline's outbound phase), then `write` (socket,
// journal, count, emit).
//
import { compileMatch } from '../behaviour/match.js';
import type { MatchSpec } from '../behaviour/types.js';
import { type WsMockError, connectionClosed, failUnsupported, invalidArgument, invalidCloseCode, invalidCloseReason } from '../errors.js';
import type { ClosedBy, Transport, TransportSink } from '../transport/types.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { CloseCode, isValidCloseCode, isValidCloseReason } from '../util/closeCodes.js';
import type { SeededRandom } from '../util/random.js';
import { Connection, type ConnectionControl, type ConnectionFactory, type HandleInit, type MatchPredicate } from './Connection.js';
import type { ConnectionHost, ConnectionInit, ConnectionMock, FrameCounts } from './contracts.js';
import { describeMatcher, summarize } from './describe.js';
import { encodeSendData, type OutboundFrame } from './encode.js';
import { Journal, type ReadDirection } from './Journal.js';
import { Liveness } from './Liveness.js';
import { FrameMessage, type Message } from './Message.js';
import { MAX_PING_PAYLOAD, Pings } from './Pings.js';
import { ReceivedFrame } from './ReceivedFrame.js';
import { Rooms } from './Rooms.js';
import type { CloseInfo, CloseOptions, ConnectionInfo, SendData, SendOptions, WaitOptions } from './types.js';
import { WaitRegistry, Waiters, waitFor } from './waitFor.js';

function header(headers: ConnectionInit['request']['headers'], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** What every core's transport reports to, with the core as the first argument (one object for all). */
const sink: TransportSink<ConnectionCore> = {
  frame: (core, data, binary) => core.onFrame(data, binary),
  closed: (core, code, reason, by) => core.onClose(code, reason, by),
  pong: (core, data) => core.onPong(data),
};

/** The handle a connection gets unless its kit makes its own. */
const plainHandle: ConnectionFactory = (init) => new Connection(init);

/** One connection's state and frame I/O, behind its public handle. */
export class ConnectionCore implements ConnectionControl {
  /** The public handle: what users, stages and events get. */
  readonly connection: Connection;
  readonly #transport: Transport;
  readonly #host: ConnectionHost;
  readonly #mock: ConnectionMock;
  readonly #seq: number;
  /** The mock's counters, looked up once (not per frame). */
  readonly #counts: FrameCounts;
  // Made on first use, like the rest below: an idle connection that nobody
  // joins to a room, waits on or sends on costs less (see the idle-memory benchmark).
  #journal: Journal | undefined;
  #rooms: Rooms | undefined;
  #random: SeededRandom | undefined;
  readonly #clientIp: string;
  readonly #connectedAt = Date.now();
  readonly #afterReset: boolean;
  #status: 'connected' | 'closing' | 'closed' = 'connected';
  #closeInfo: CloseInfo | undefined;
  // Allocated on first use: most connections are never waited on, and each
  // of these costs a hash table per connection (see bench/README.md).
  #waiters: Waiters | undefined;
  #waits: WaitRegistry | undefined;
  /** Idle timeout and heartbeat, when the mock has either. */
  #liveness: Liveness | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  /** Pings in flight from `ping()`, made on the first one. */
  #pings: Pings | undefined;
  /** What `close()` and `terminate()` return until the close, made on the first call. */
  #closed: { promise: Promise<CloseInfo>; resolve(info: CloseInfo): void } | undefined;

  /** Made by the connection manager for each accepted transport; `create` makes the handle (a kit's own, or a plain `Connection`). */
  constructor(init: ConnectionInit, create: ConnectionFactory = plainHandle) {
    const { transport, request, mock } = init;
    this.#transport = transport;
    this.#host = init.host;
    this.#mock = mock;
    this.#seq = init.seq;
    this.#counts = init.host.counts(mock.id);
    this.#clientIp = transport.remoteAddress;
    this.#afterReset = init.afterReset === true;
    const handle: HandleInit = {
      core: this,
      id: init.id,
      mockId: mock.id,
      path: mock.path,
      request,
      params: init.params,
      protocol: transport.protocol,
      type: transport.type ?? 'websocket',
    };
    this.connection = create(handle);
    transport.bind(this, sink);
    if (mock.idleTimeout !== undefined || mock.heartbeat !== undefined) this.#liveness = new Liveness(this, transport, mock);
  }

  get readyState(): number {
    return this.#transport.readyState;
  }

  get isOpen(): boolean {
    return this.#status === 'connected';
  }

  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  get journalLimit(): number {
    return this.#host.journalLimit;
  }

  messages(): Message[] {
    return this.#journal?.all() ?? [];
  }

  received(): Message[] {
    return this.#journal?.inbound() ?? [];
  }

  info(): ConnectionInfo {
    const connection = this.connection;
    const totals = this.#journal?.totals();
    const lastMessageAt = totals?.lastMessageAt ?? null;
    return {
      id: connection.id,
      type: connection.type,
      mockId: connection.mockId,
      path: connection.path,
      url: connection.url,
      clientIp: this.#clientIp,
      userAgent: header(connection.headers, 'user-agent'),
      subprotocol: connection.subprotocol,
      connectedAt: new Date(this.#connectedAt).toISOString(),
      lastMessageAt: lastMessageAt === null ? null : new Date(lastMessageAt).toISOString(),
      messagesSent: totals?.messagesSent ?? 0,
      messagesRecv: totals?.messagesRecv ?? 0,
      bytesSent: totals?.bytesSent ?? 0,
      bytesRecv: totals?.bytesRecv ?? 0,
      status: this.#status,
      scenario: this.#mock.pipeline.inspect(connection).scenario ?? null,
      rooms: this.rooms(),
      afterReset: this.#afterReset,
    };
  }

  rooms(): string[] {
    return this.#rooms?.list() ?? [];
  }

  /** `room` is checked by the handle. */
  join(room: string): void {
    if (this.#status !== 'connected') throw this.#closedError('join a room');
    (this.#rooms ??= new Rooms()).join(room);
  }

  leave(room: string): void {
    this.#rooms?.leave(room);
  }

  inRoom(room: string): boolean {
    return this.#rooms?.has(room) === true;
  }

  random(): SeededRandom {
    return (this.#random ??= this.#host.random(this.#seq));
  }

  note(): string | undefined {
    return this.#host.waits.note?.();
  }

  send(data: SendData, options: SendOptions): Promise<void> {
    if (this.#status !== 'connected') return Promise.reject(this.#closedError('send'));
    let frame: OutboundFrame;
    try {
      frame = encodeSendData(data, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.deliver(frame, (err) => (err ? reject(this.#closedError('send', err)) : resolve()));
    });
  }

  deliver(frame: OutboundFrame, callback?: (err?: Error) => void): void {
    this.#mock.pipeline.outbound(this.connection, frame, callback);
  }

  /** The one place frames leave, after the outbound phase: writes, journals, counts and emits. */
  write(frame: OutboundFrame, callback?: (err?: Error) => void): void {
    if (this.#transport.readyState !== 1) {
      callback?.(this.#closedError('send'));
      return;
    }
    const { payload, binary } = frame;
    const transport = this.#transport;
    let size: number;
    if (typeof payload !== 'string') {
      size = payload.length;
      transport.write(payload, binary, callback);
    } else if (transport.writeText !== undefined) {
      size = Buffer.byteLength(payload);
      transport.writeText(payload, size, callback);
    } else {
      const bytes = Buffer.from(payload);
      size = bytes.length;
      transport.write(bytes, binary, callback);
    }
    const now = Date.now();
    const connection = this.connection;
    const journal = this.#log();
    journal.record('out', binary, frame.journal ?? payload, size, now, frame.json);
    // Made only for listeners (kept in the journal when one on the connection may hold it).
    const heard = connection.listenerCount('sent') > 0;
    const host = this.#host;
    const serverHears = host.listens('sent');
    const message = heard || serverHears ? journal.newest(heard) : undefined;
    const counts = this.#counts;
    counts.messagesSent++;
    counts.bytesSent += size;
    this.#liveness?.touch();
    if (message !== undefined) {
      if (serverHears) host.sent(connection, message);
      if (heard) connection.emit('sent', message);
    }
  }

  journal(message: FrameMessage): void {
    // Not a touch: idleness is about the client, whose frames touch on their own.
    this.#log().push(message);
    this.#host.upstream(this.connection, message);
    if (message.direction === 'upstream-in' && this.#waiters !== undefined && this.#waiters.size > 0) this.#waiters.notify();
  }

  late(size: number): void {
    this.#host.upstreamLate(this.connection, size);
  }

  close(options: CloseOptions): Promise<CloseInfo> {
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

  terminate(): Promise<CloseInfo> {
    this.#transport.terminate();
    return this.#whenClosed();
  }

  fail(): Promise<CloseInfo> {
    if (this.#status !== 'connected' || this.#transport.readyState !== 1) return Promise.reject(this.#closedError('fail'));
    if (this.#transport.fail?.() !== true) {
      const carrier = this.connection.type === 'sse' ? 'a Server-Sent Events stream' : 'a session on HTTP long-polling';
      return Promise.reject(failUnsupported(this.connection.id, carrier));
    }
    this.#status = 'closing';
    // A client that neither closes nor answers is dropped on the real clock, as in close().
    this.#closeTimer = realSetTimeout(() => this.#transport.terminate(), this.#host.closeTimeout);
    return this.#whenClosed();
  }

  ping(data: string | Buffer | undefined): Promise<number> {
    if (data !== undefined && typeof data !== 'string' && !Buffer.isBuffer(data)) {
      return Promise.reject(invalidArgument(`conn.ping(data): data must be a string or a Buffer, got ${typeof data}`));
    }
    const payload = data === undefined ? Pings.payload() : typeof data === 'string' ? Buffer.from(data) : data;
    if (payload.length > MAX_PING_PAYLOAD) {
      return Promise.reject(invalidArgument(`conn.ping(data): data must be at most ${MAX_PING_PAYLOAD} bytes (a control frame's limit), got ${payload.length}`));
    }
    if (this.#status !== 'connected' || this.#transport.readyState !== 1) return Promise.reject(this.#closedError('ping'));
    const id = this.connection.id;
    const pong = (this.#pings ??= new Pings()).track(payload, this.#host.timeoutFor(undefined), () => id);
    this.#transport.ping(payload);
    return pong;
  }

  wait(direction: ReadDirection, matcher: MatchSpec | MatchPredicate | undefined, options: WaitOptions): Promise<Message> {
    const connection = this.connection;
    const test = compileMatch<Connection>(matcher);
    const timeout = this.#host.timeoutFor(options.timeout);
    const journal = this.#log();
    const from = direction === 'in' ? '' : ' from the upstream';
    return waitFor({
      find: () => journal.take((message) => test(message, connection), direction),
      waiters: (this.#waiters ??= new Waiters()),
      owners: [(this.#waits ??= new WaitRegistry()), this.#host.waits],
      timeout,
      what: `a message${from}${matcher === undefined ? '' : ` matching ${describeMatcher(matcher)}`} on ${connection.id}`,
      seen: () => {
        const lost = journal.lost(direction);
        const what = direction === 'in' ? 'inbound' : 'upstream';
        const dropped = lost > 0 ? `\n${lost} ${what} frame(s) that no wait had read were dropped by journal.limit (${journal.limit}); the one awaited may have been among them.` : '';
        return `${summarize(journal.unread(direction))}${dropped}`;
      },
      failure: () => (this.#status === 'closed' ? this.#closedError('waitForMessage') : undefined),
    });
  }

  waitForClose(options: WaitOptions): Promise<CloseInfo> {
    return waitFor({
      find: () => this.#closeInfo,
      waiters: (this.#waiters ??= new Waiters()),
      owners: [this.#host.waits],
      timeout: this.#host.timeoutFor(options.timeout),
      what: `${this.connection.id} to close`,
      seen: () => `It is still ${this.#status}.`,
    });
  }

  /** A frame from the client (the transport's, through `sink`). */
  onFrame(data: Buffer, binary: boolean): void {
    const now = Date.now();
    const connection = this.connection;
    const journal = this.#log();
    const text = binary ? data : data.toString('utf8');
    const seq = journal.record('in', binary, text, data.length, now);
    // Kept in the journal when a wait or a listener may hold it: they get the object later reads return.
    // Else made only when read: by a server listener here, or by a stage (echo and a proxy's forward never read it).
    const waited = this.#waiters !== undefined && this.#waiters.size > 0;
    const heard = connection.listenerCount('message') > 0;
    const host = this.#host;
    const frame = new ReceivedFrame(connection, data, binary, text, now, seq, waited || heard ? journal.newest(true) : undefined);
    const counts = this.#counts;
    counts.messagesRecv++;
    counts.bytesRecv += data.length;
    this.#liveness?.touch();
    if (host.listens('message')) host.received(connection, frame.message);
    if (heard) connection.emit('message', frame.message);
    if (this.#waiters !== undefined && this.#waiters.size > 0) this.#waiters.notify();
    if (this.#status === 'connected') this.#mock.pipeline.inbound(frame);
  }

  /** The socket closed (the transport's, through `sink`). */
  onClose(code: number, reason: string, by: ClosedBy): void {
    const info: CloseInfo = { code, reason, by };
    const connection = this.connection;
    this.#status = 'closed';
    this.#rooms = undefined;
    this.#closeInfo = info;
    this.#liveness?.stop();
    this.#pings?.fail(() => this.#closedError('ping'));
    if (this.#closeTimer) realClearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    this.#mock.pipeline.disconnect(connection);
    this.#host.closed(connection, info);
    connection.emit('close', info);
    this.#waiters?.notify();
    this.#closed?.resolve(info);
  }

  /** A pong from the client (the transport's, through `sink`). */
  onPong(data: Buffer): void {
    this.#liveness?.pong();
    this.#pings?.pong(data);
  }

  #whenClosed(): Promise<CloseInfo> {
    if (this.#closeInfo) return Promise.resolve(this.#closeInfo);
    if (this.#closed === undefined) {
      let resolve!: (info: CloseInfo) => void;
      const promise = new Promise<CloseInfo>((done) => (resolve = done));
      this.#closed = { promise, resolve };
    }
    return this.#closed.promise;
  }

  #log(): Journal {
    return (this.#journal ??= new Journal(this.#host.journalLimit, this.connection.id));
  }

  #closedError(action: string, cause?: Error): WsMockError {
    return connectionClosed(action, `connection ${this.connection.id}`, `is ${this.#status}`, { close: this.#closeInfo, cause });
  }
}
