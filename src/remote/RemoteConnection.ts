//
// A connection of a server in another process, driven over the admin API.
// The handle keeps a mirror of the connection's journal, filled by reading
// the frames after the newest it has (a cursor the server never holds), and
// `waitForMessage` reads that mirror through a cursor of its own, as the
// in-process wait reads the journal: race-free (a frame that arrived before
// the call counts), matchers evaluated here (a predicate works as well as a
// match spec), a request the network drops asked again from the same place.
//
import type { MatchSpec } from '../behaviour/types.js';
import { compileMatch } from '../behaviour/match.js';
import { describeMatcher, summarize } from '../connections/describe.js';
import { FrameMessage, type Message } from '../connections/Message.js';
import { transcriptOf, type TranscriptOptions } from '../connections/transcript.js';
import type { CloseInfo, CloseOptions, ConnectionInfo, ConnectionType, ScenarioInfo, WaitOptions } from '../connections/types.js';
import { connectionClosed, invalidArgument, waitTimedOut, WsMockErrorCode } from '../errors.js';
import { brand, kMatcherView, kScenarioOutcome } from '../util/brand.js';
import { quietWait } from '../util/promise.js';
import type { WireFrame } from '../admin/remoteRoutes.js';
import type { ContractViolation } from '../asyncapi/types.js';
import { LONG_POLL_LIMIT } from '../util/version.js';
import type { RemoteHttp } from './RemoteHttp.js';
import { objectArgument, payloadOf, type RemoteSendData } from './wire.js';

/** A wait's timeout when none is given, ms (the in-process default). */
export const DEFAULT_REMOTE_TIMEOUT = 5000;

/** A predicate over a frame, evaluated in this process on frames read from the server. */
export type RemotePredicate = (message: Message, connection: RemoteConnection) => boolean;

/** What the server said about a connection when it was handed out. */
export interface RemoteConnectionInit extends ConnectionInfo {
  /** The handshake's query parameters. */
  query: Record<string, string>;
  /** The handshake's headers. */
  headers: Record<string, string | string[] | undefined>;
  /** The values of the path's `:name` segments. */
  params: Record<string, string>;
}


/** Duration check shared by the waits. */
export function timeoutOption(options: WaitOptions | undefined, what: string): number {
  const timeout = options?.timeout ?? DEFAULT_REMOTE_TIMEOUT;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) throw invalidArgument(`${what}: timeout must be a number of milliseconds >= 0, got ${JSON.stringify(timeout)}`);
  return timeout;
}

/**
 * A connection of a server driven from another process
 * (`connectMockServer()`): send to the client, wait for what it sends, close
 * it. `messages`, `received` and `closeInfo` show what the handle has read so
 * far; `await conn.refresh()` reads the rest.
 *
 * @example
 * ```ts
 * const conn = await feed.waitForConnection({ query: { worker: '2' } });
 * await conn.send({ type: 'welcome' });
 * const hello = await conn.waitForMessage({ type: 'json', path: '$.type', value: 'hello' });
 * await conn.close({ code: 4000, reason: 'bye' });
 * ```
 */
export class RemoteConnection {
  /** The connection id on its server, e.g. `conn-3`. */
  readonly id: string;
  /** The id of the mock that accepted it. */
  readonly mockId: string;
  /** The mock's path template. */
  readonly path: string;
  /** The requested path with its query string. */
  readonly url: string;
  /** The query string, parsed. */
  readonly query: Readonly<Record<string, string>>;
  /** The headers of the upgrade request. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Values of the path's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** The negotiated subprotocol, or `null`. */
  readonly subprotocol: string | null;
  /** What carries it: `websocket` or a kit's carrier (`sse`). */
  readonly type: ConnectionType;
  /** The snapshot the server gave when the handle was made. */
  readonly info: ConnectionInfo;
  readonly #http: RemoteHttp;
  readonly #frames: FrameMessage[] = [];
  /** The newest seq read from the server: the next read asks after it. */
  #after = -1;
  /** The seq of the last inbound frame a wait consumed. */
  #consumed = -1;
  #closeInfo: CloseInfo | undefined;
  #violations: ContractViolation[] = [];

  /** @internal Made by a remote mock or server from what the admin API answered. */
  constructor(http: RemoteHttp, init: RemoteConnectionInit) {
    this.#http = http;
    this.id = init.id;
    this.mockId = init.mockId;
    this.path = init.path;
    this.url = init.url;
    this.query = init.query ?? {};
    this.headers = init.headers ?? {};
    this.params = init.params ?? {};
    this.subprotocol = init.subprotocol;
    this.type = init.type;
    const { query: _q, headers: _h, params: _p, ...info } = init;
    this.info = info;
    brand(this, 'remote-connection');
  }

  /** Every frame read so far, both directions, in order. */
  get messages(): Message[] {
    return [...this.#frames];
  }

  /** The inbound frames read so far, in order. */
  get received(): Message[] {
    return this.#frames.filter((m) => m.direction === 'in');
  }

  /** How it closed, once the handle has read that it has. */
  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  /** Its mock's AsyncAPI contract violations (see the in-process `conn.violations`), as of the last `refresh()`. */
  get violations(): ContractViolation[] {
    return [...this.#violations];
  }

  /** Whether it was open when the handle last read it. */
  get isOpen(): boolean {
    return this.#closeInfo === undefined;
  }

  /** Reads the frames (and the close) that arrived since the last read; resolves with this handle. */
  async refresh(): Promise<this> {
    await this.#read(0, undefined, true);
    return this;
  }

  /** Reads the frames after the newest read, holding the request up to `wait` ms until one arrives or the connection closes. */
  async #read(wait: number, until?: number, violations = false): Promise<void> {
    const { body } = await this.#http.call('GET', `/websocket/connections/${encodeURIComponent(this.id)}/frames?after=${this.#after}&wait=${Math.round(wait)}${violations ? '&violations=1' : ''}`, {
      what: `read the frames of ${this.id}`,
      retry: true,
      hold: wait,
      ...(until === undefined ? {} : { until }),
      notFound: WsMockErrorCode.CONNECTION_NOT_FOUND,
    });
    // Two reads may overlap (a wait and a refresh): a frame is added once, in seq order.
    for (const frame of body.frames as WireFrame[]) {
      if (frame.seq <= this.#after) continue;
      const data = frame.binary ? Buffer.from(frame.data, 'base64') : frame.data;
      this.#frames.push(new FrameMessage(frame.direction, this.id, frame.binary, data, frame.size, undefined, Date.parse(frame.at), frame.seq));
      this.#after = frame.seq;
    }
    if (body.closed) this.#closeInfo = body.closed as CloseInfo;
    if (Array.isArray(body.violations)) this.#violations = body.violations as ContractViolation[];
  }

  /**
   * Sends a frame: an object as JSON text, a string as text, bytes as
   * binary. Resolves once the server has written it; rejects
   * `WSMOCK_ERR_CONNECTION_NOT_FOUND` once the connection has closed, and
   * `WSMOCK_ERR_INVALID_ARGUMENT` for what JSON cannot carry (undefined, a
   * function, a symbol, a BigInt, a cycle) before sending anything.
   */
  async send(data: RemoteSendData): Promise<void> {
    await this.#http.call('POST', `/websocket/connections/${encodeURIComponent(this.id)}/send`, {
      body: payloadOf(data),
      what: `send on ${this.id}`,
      notFound: WsMockErrorCode.CONNECTION_NOT_FOUND,
    });
  }

  /** Puts the connection in a room (`broadcast(data, { room })` then reaches it); resolves with its rooms. */
  async join(room: string): Promise<string[]> {
    const { body } = await this.#http.call('POST', `/websocket/connections/${encodeURIComponent(this.id)}/rooms`, {
      body: { room },
      what: `join ${this.id} to room "${room}"`,
      notFound: WsMockErrorCode.CONNECTION_NOT_FOUND,
    });
    return body.rooms as string[];
  }

  /** Takes the connection out of a room; resolves with its rooms. */
  async leave(room: string): Promise<string[]> {
    const { body } = await this.#http.call('DELETE', `/websocket/connections/${encodeURIComponent(this.id)}/rooms/${encodeURIComponent(room)}`, {
      what: `take ${this.id} out of room "${room}"`,
      notFound: WsMockErrorCode.CONNECTION_NOT_FOUND,
    });
    return body.rooms as string[];
  }

  /**
   * Resolves with the next inbound message not consumed by an earlier wait
   * that satisfies `matcher` (a match spec, or a predicate evaluated in this
   * process), including messages that arrived before the call; messages
   * skipped on the way are consumed too. Rejects `WSMOCK_ERR_TIMEOUT` after
   * `timeout` (5 s unless told), `WSMOCK_ERR_CONNECTION_CLOSED` when the
   * connection closes first.
   */
  waitForMessage(matcher?: MatchSpec | RemotePredicate, options: WaitOptions = {}): Promise<Message> {
    return quietWait(async () => {
      const timeout = timeoutOption(options, 'waitForMessage');
      const test = compileMatch<RemoteConnection>(matcher as MatchSpec | RemotePredicate | undefined);
      const deadline = Date.now() + timeout;
      let read = false;
      for (;;) {
        for (const message of this.#frames) {
          if (message.seq <= this.#consumed || message.direction !== 'in') continue;
          if (test(message, this)) {
            this.#consumed = message.seq;
            return message;
          }
        }
        if (this.#closeInfo) throw connectionClosed('waitForMessage', `connection ${this.id}`, 'is closed', { close: this.#closeInfo });
        const left = deadline - Date.now();
        // The server is read at least once: a frame already there counts, even with a timeout of 0.
        if (left <= 0 && read) {
          const unread = this.#frames.filter((m) => m.direction === 'in' && m.seq > this.#consumed);
          throw waitTimedOut(timeout, `a message${matcher === undefined ? '' : ` matching ${describeMatcher(matcher)}`} on ${this.id} (${this.#http.url})`, summarize(unread));
        }
        await this.#read(Math.max(0, Math.min(left, LONG_POLL_LIMIT)), deadline);
        read = true;
      }
    });
  }

  /** Resolves with the close code, reason and who closed, once the connection has closed. */
  waitForClose(options: WaitOptions = {}): Promise<CloseInfo> {
    return quietWait(async () => {
      const timeout = timeoutOption(options, 'waitForClose');
      const deadline = Date.now() + timeout;
      let read = false;
      for (;;) {
        if (this.#closeInfo) return this.#closeInfo;
        const left = deadline - Date.now();
        if (left <= 0 && read) throw waitTimedOut(timeout, `${this.id} to close (${this.#http.url})`, 'It is still open.');
        await this.#read(Math.max(0, Math.min(left, LONG_POLL_LIMIT)), deadline);
        read = true;
      }
    });
  }

  /** Starts the close handshake (default code 1000) and resolves with how it closed. */
  async close(options: CloseOptions = {}): Promise<CloseInfo> {
    objectArgument(options, 'close(options): options');
    if (this.#closeInfo) return this.#closeInfo;
    const query = new URLSearchParams();
    if (options.code !== undefined) query.set('code', String(options.code));
    if (options.reason !== undefined) query.set('reason', options.reason);
    const search = query.size > 0 ? `?${query}` : '';
    try {
      await this.#http.call('DELETE', `/websocket/connections/${encodeURIComponent(this.id)}${search}`, { what: `close ${this.id}`, notFound: WsMockErrorCode.CONNECTION_NOT_FOUND });
    } catch (err) {
      // Closed meanwhile (by the client, another test): how it closed is what the caller gets.
      if (!(err instanceof Error && (err as { code?: string }).code === WsMockErrorCode.CONNECTION_NOT_FOUND)) throw err;
    }
    return this.waitForClose();
  }

  /** The conversation read so far as stable text (see the in-process `conn.transcript()`); `await conn.refresh()` first for the latest. */
  transcript(options?: TranscriptOptions): string {
    return transcriptOf(this, options);
  }

  /** @internal `toHaveReplayed`'s wait: the scenario's end, the close, or `timeout`; the frames read up to then. */
  async [kScenarioOutcome](timeout: number): Promise<{ scenario: ScenarioInfo | null; closed: CloseInfo | null }> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const wait = Math.round(Math.min(Math.max(0, deadline - Date.now()), LONG_POLL_LIMIT));
      const { body } = await this.#http.call('GET', `/websocket/connections/${encodeURIComponent(this.id)}/scenario?wait=${wait}`, {
        what: `wait for the replay of ${this.id}`,
        retry: true,
        hold: wait,
        until: deadline,
        notFound: WsMockErrorCode.CONNECTION_NOT_FOUND,
      });
      const scenario = body.scenario as ScenarioInfo | null;
      const closed = body.closed as CloseInfo | null;
      const ended = scenario === null || scenario.status === 'completed' || scenario.status === 'failed';
      if (ended || closed !== null || Date.now() >= deadline) {
        await this.refresh();
        return { scenario, closed };
      }
    }
  }

  /** @internal What the runner matchers work on: this handle, its journal read up to now. */
  async [kMatcherView](): Promise<unknown> {
    await this.refresh();
    return this;
  }
}
