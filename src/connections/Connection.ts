//
// The public handle of a connection: what users get (`waitForConnection()`,
// `onConnection`, `respond`, `server.connections.get()`). It holds the
// connection's identity and documents its API; every state change and every
// frame goes through its core (connections/ConnectionCore.ts), which the
// manager makes and which the modules that drive a connection (the pipeline,
// its stages, the proxy, the kits) reach as `connection[kCore]`.
//
// State that other modules own is shown here through slots (slots.ts): the
// faults chaos/ applied, the upstream link proxy/ made, the contract violations
// asyncapi/ found. This file imports none of them (types aside).
//
import type { IncomingHttpHeaders } from 'node:http';
import { EventEmitter } from 'eventemitter3';
import type { MatchSpec } from '../behaviour/types.js';
import type { ConnectionType } from '../transport/types.js';
import { brand, hasBrand } from '../util/brand.js';
import { NO_VALUES } from '../util/pathSegments.js';
import { kNote } from '../util/notes.js';
import { quietWait } from '../util/promise.js';
import type { SeededRandom } from '../util/random.js';
import type { OutboundFrame } from './encode.js';
import type { ReadDirection } from './Journal.js';
import type { FrameMessage, Message } from './Message.js';
import { assertRoom } from './Rooms.js';
import { Slot } from './slots.js';
import { transcriptOf, type TranscriptOptions } from './transcript.js';
import type { ChaosFault, CloseInfo, CloseOptions, ConnectionEvents, ConnectionInfo, SendData, SendOptions, WaitOptions } from './types.js';
// A public type for the `upstream` getter's signature only: nothing of proxy/ runs here.
import type { Upstream } from '../proxy/Upstream.js';
import type { ContractViolation } from '../asyncapi/types.js';

/** An in-process predicate that decides whether a message matches. */
export type MatchPredicate = (message: Message, connection: Connection) => boolean;

/**
 * The key of a handle's core. A symbol of this copy of the package
 * (not `Symbol.for`): a connection made by another copy is driven by that
 * copy's modules, never this one's. Only public members cross copies.
 */
export const kCore = Symbol('wsmock.connection.core');

/** What the upgrade knew about the client. */
export interface ConnectionRequest {
  /** The requested path with its query string. */
  readonly url: string;
  /** The request's headers. */
  readonly headers: IncomingHttpHeaders;
}

/**
 * What the handle asks of its core, and what the modules of this
 * copy that drive a connection call on it (`connection[kCore]`). Implemented
 * by `ConnectionCore`.
 */
export interface ConnectionControl {
  /** The WebSocket ready state of the transport. */
  readonly readyState: number;
  /** Not closing, not closed. */
  readonly isOpen: boolean;
  /** How it closed, once it has. */
  readonly closeInfo: CloseInfo | undefined;
  /** The most frames the journal keeps (the server's `journal.limit`). */
  readonly journalLimit: number;
  /** The journal, both directions (a copy). */
  messages(): Message[];
  /** The inbound frames of the journal (a copy). */
  received(): Message[];
  /** The snapshot `conn.info` returns. */
  info(): ConnectionInfo;
  /** Its rooms, in joining order (a copy). */
  rooms(): string[];
  /** Joins a room (checked by the handle); throws once the connection is closing. */
  join(room: string): void;
  /** Leaves a room. */
  leave(room: string): void;
  /** Whether it is in `room`, without copying its rooms. */
  inRoom(room: string): boolean;
  /** `conn.send()`: encodes, then delivers; rejects once the connection is closing. */
  send(data: SendData, options: SendOptions): Promise<void>;
  /** Sends a frame through the outbound phase: what stages, broadcasts and `send()` call. */
  deliver(frame: OutboundFrame, callback?: (err?: Error) => void): void;
  /** Writes a frame that has passed the outbound phase (the pipeline's last step). */
  write(frame: OutboundFrame, callback?: (err?: Error) => void): void;
  /** Journals and counts a frame of another leg (a proxy's upstream); an `upstream-in` frame wakes its waits. */
  journal(message: FrameMessage): void;
  /** Counts a frame the upstream sent after the client left (dropped). */
  late(size: number): void;
  /** `conn.close()`, `conn.terminate()`, `conn.fail()`, `conn.ping()`: see the handle. */
  close(options: CloseOptions): Promise<CloseInfo>;
  /** Drops the socket without a close frame. */
  terminate(): Promise<CloseInfo>;
  /** Fails the connection (a frame the client must reject). */
  fail(): Promise<CloseInfo>;
  /** Pings; resolves with the round trip in ms. */
  ping(data: string | Buffer | undefined): Promise<number>;
  /** The next unread frame of `direction` matching `matcher`. */
  wait(direction: ReadDirection, matcher: MatchSpec | MatchPredicate | undefined, options: WaitOptions): Promise<Message>;
  /** Resolves with the close once it has happened. */
  waitForClose(options: WaitOptions): Promise<CloseInfo>;
  /** The connection's own stream of the server's seeded random, made on first use. */
  random(): SeededRandom;
  /** What failure messages about it end with (its server's chaos seed while chaos is on). */
  note(): string | undefined;
}

/** What a handle is made of: its core and what the upgrade knew. A kit's subclass takes the same. */
export interface HandleInit {
  /** The connection's core, which the handle passes every call to. */
  readonly core: ConnectionControl;
  /** The connection id (`conn-3`). */
  readonly id: string;
  /** The id of the mock that accepted it. */
  readonly mockId: string;
  /** The mock's path template. */
  readonly path: string;
  /** What the upgrade (or the HTTP request) knew: URL and headers. */
  readonly request: ConnectionRequest;
  /** The values of the path's `:name` segments. */
  readonly params: Record<string, string>;
  /** The negotiated subprotocol, `''` for none. */
  readonly protocol: string;
  /** What carries it: `websocket` or a kit's carrier. */
  readonly type: ConnectionType;
}

/** Makes the handle of an accepted transport: a kit whose connections have a handle of their own (SSE) passes one. */
export type ConnectionFactory = (init: HandleInit) => Connection;

/** `conn.faults`: written by chaos/ (chaos/faults.ts), bounded like the journal. */
export const faultsSlot = new Slot<ChaosFault[]>('faults');
/** `conn.upstream`: the connection's upstream link, written by proxy/ (proxy/UpstreamLink.ts) before a proxy connection's pipeline starts. */
export const upstreamSlot = new Slot<{ readonly handle: Upstream }>('upstream');
/** `conn.violations`: written by the contract layer (asyncapi/violations.ts), bounded like the journal. */
export const violationsSlot = new Slot<ContractViolation[]>('violations');

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
  /** Values of the path's `:name` segments; read-only (a path without any shares one empty object). */
  readonly params: Readonly<Record<string, string>>;
  /** The query string, parsed (last value wins for repeated keys); read-only, like `params`. */
  readonly query: Readonly<Record<string, string>>;
  /** The headers of the upgrade request. */
  readonly headers: Readonly<IncomingHttpHeaders>;
  /** The negotiated subprotocol, or `null`. */
  readonly subprotocol: string | null;
  /** What carries it: `websocket` (Socket.IO included) or `sse` (a Server-Sent Events stream). */
  readonly type: ConnectionType;
  /** @internal The core: state, journal, frame I/O. Non-enumerable, so printing or comparing a handle never walks it. */
  declare readonly [kCore]: ConnectionControl;
  // Made on first use: an idle connection that nobody writes state to costs less.
  #data: Record<string, unknown> | undefined;

  /** @internal Made by the connection's core, for each accepted upgrade (or event stream). */
  constructor(init: HandleInit) {
    super();
    const url = new URL(init.request.url, 'http://localhost');
    this.id = init.id;
    this.mockId = init.mockId;
    this.path = init.path;
    this.url = `${url.pathname}${url.search}`;
    this.params = init.params;
    this.query = url.search === '' ? NO_VALUES : Object.fromEntries(url.searchParams);
    this.headers = init.request.headers;
    this.subprotocol = init.protocol === '' ? null : init.protocol;
    this.type = init.type;
    Object.defineProperty(this, kCore, { value: init.core });
    brand(this, 'connection');
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
    return this[kCore].note();
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
    return this[kCore].readyState;
  }

  /** Whether the connection is still open (not closing, not closed). */
  get isOpen(): boolean {
    return this[kCore].isOpen;
  }

  /** Journal of every frame, both directions, in order (the newest `journal.limit` when the server has one). */
  get messages(): Message[] {
    return this[kCore].messages();
  }

  /** Inbound frames only, in order. */
  get received(): Message[] {
    return this[kCore].received();
  }

  /**
   * On a proxy mock, the upstream side of this connection: send to the
   * upstream, wait for what it sends, close it. `null` on connections of
   * other mocks.
   */
  get upstream(): Upstream | null {
    return upstreamSlot.read(this)?.handle ?? null;
  }

  /** A JSON-ready snapshot of the connection. */
  get info(): ConnectionInfo {
    return this[kCore].info();
  }

  /** The rooms this connection is in, in the order it joined them. A closed connection is in none. */
  get rooms(): string[] {
    return this[kCore].rooms();
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
    this[kCore].join(room);
  }

  /** Takes the connection out of a room; nothing happens if it was not in it. */
  leave(room: string): void {
    assertRoom(room);
    this[kCore].leave(room);
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
    const faults = faultsSlot.read(this);
    return faults ? [...faults] : [];
  }

  /**
   * The frames (and the handshake) of this connection that broke its mock's
   * AsyncAPI contract, in order, each with the JSON paths of what is wrong;
   * empty on a mock without a `contract`. The newest `journal.limit` are kept.
   *
   * @example
   * ```ts
   * conn.violations; // [{ direction: 'in', frame: '{"event":"ping","reqid":"x"}', message: 'ping', errors: [{ path: '$.reqid', message: 'must be integer', keyword: 'type' }], … }]
   * ```
   */
  get violations(): ContractViolation[] {
    const log = violationsSlot.read(this);
    return log ? [...log] : [];
  }

  /** How it closed, once it has. */
  get closeInfo(): CloseInfo | undefined {
    return this[kCore].closeInfo;
  }

  /**
   * Sends a frame: an object as JSON text, a string as text, bytes as binary.
   * Resolves once the frame is written; rejects `WSMOCK_ERR_CONNECTION_CLOSED`
   * when the connection is closing or closed. Never throws synchronously.
   * Like every push to one connection, it returns a promise (fan-out, such as `broadcast()`, is synchronous and returns the recipient count).
   */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    return this[kCore].send(data, options);
  }

  /**
   * Starts the close handshake and resolves when it completes (or the socket is
   * gone). Default code 1000. Resolves at once if the connection is already closed.
   * Like every push to one connection, it returns a promise.
   */
  close(options: CloseOptions = {}): Promise<CloseInfo> {
    return this[kCore].close(options);
  }

  /**
   * Drops the TCP socket without a close frame (fault injection). Recorded as
   * 1006, closed by the server. Like `close()`, resolves with the close once
   * the connection is gone (at once if it already is); the socket is dropped
   * by the time the call returns, so not awaiting it is fine.
   */
  terminate(): Promise<CloseInfo> {
    return this[kCore].terminate();
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
    return this[kCore].fail();
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
    return this[kCore].ping(data);
  }

  /**
   * Resolves with the next unconsumed inbound message that satisfies `matcher`
   * (a {@link MatchSpec} or a predicate), including messages that arrived before
   * the call. Messages skipped on the way are consumed too.
   */
  waitForMessage(matcher?: MatchSpec | MatchPredicate, options: WaitOptions = {}): Promise<Message> {
    return quietWait(() => this[kCore].wait('in', matcher, options));
  }

  /** Resolves with the close code, reason and who closed, once the connection has closed. */
  waitForClose(options: WaitOptions = {}): Promise<CloseInfo> {
    return quietWait(() => this[kCore].waitForClose(options));
  }

  /**
   * The conversation so far as stable text, for `toMatchSnapshot()` and
   * `toMatchInlineSnapshot()`: one line per frame of the journal, `→` for
   * what the client sent and `←` for what the server sent. JSON is written
   * with its keys sorted, other text as `text "…"` (a JSON string), binary as
   * `binary N bytes HEX` (past 1 KiB, `binary N bytes sha256 DIGEST`); once closed, the last line is
   * `× close CODE "REASON" by WHO`. UUIDs become `<uuid-1>`, `<uuid-2>`… (the
   * same UUID the same number) and ISO times `<time>` unless
   * `placeholders: false`; `redact` writes the values of JSONPaths as
   * `<PATH>`; `direction` keeps one side. Throws `WSMOCK_ERR_INVALID_ARGUMENT`
   * naming a bad option.
   *
   * @example
   * ```ts
   * expect(conn.transcript({ redact: ['$.ts'] })).toMatchInlineSnapshot(`
   *   "→ {"type":"hello"}
   *   ← {"id":"<uuid-1>","ts":"<$.ts>","type":"welcome"}
   *   × close 1000 "" by client"
   * `);
   * ```
   */
  transcript(options?: TranscriptOptions): string {
    return transcriptOf(this, options);
  }
}
