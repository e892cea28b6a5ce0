//
// One Socket.IO socket: a client connected to one namespace over one
// Engine.IO session (its `connection`). The stage owns the server's side
// (ServerSocket: the events that came, acks pending, rooms, whether it is
// still connected) and writes it directly; the test's handle
// (SocketIoSocket) reads it and acts through it.
//
import { Arrivals, Waiters, connectionClosed, invalidArgument, type Connection, type ConnectionGroup, type WsMockError } from '../../kit/index.js';
import { brand } from '../../util/brand.js';
import { encodeIoPacket, IoType } from './ioParser.js';
import { assertEventName, sendPacket, writePacket, writePacketAndWait } from './send.js';
import { SocketIoBroadcast, type SocketDirectory } from './SocketIoBroadcast.js';

/** An event a client emitted, as the test and handlers see it. */
export interface SocketIoEvent {
  /** The event name. */
  readonly event: string;
  /** Its arguments, Buffers in place of binary attachments. */
  readonly args: unknown[];
  /** Whether the client asked for an ack (passed a callback, or used `emitWithAck`). */
  readonly ackRequested: boolean;
  /**
   * Answers the client's ack callback with `args` (Buffers allowed). Only the
   * first answer is sent. Throws `WSMOCK_ERR_INVALID_ARGUMENT` when the client
   * asked for no ack, and the encoder's error when `args` cannot be sent (a
   * BigInt, a value nested too deep for JSON); the ack is then still unanswered.
   */
  ack(...args: unknown[]): void;
}

/** Options of {@link SocketIoSocket.waitForEvent}. */
export interface WaitForEventOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
  /** Only events for which this returns true; the others stay for later waits. */
  filter?: (event: SocketIoEvent) => boolean;
}

/** What emits with an ack: `socket.timeout(ms)`. */
export interface SocketIoAckEmitter {
  /** Emits `event` and resolves with the arguments of the client's ack. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]>;
}

/** What the kit's stage tells a socket; not part of the handle. */
export interface SocketLink {
  /** The stage forgets the socket (it disconnected). */
  detach(socket: SocketIoSocket): void;
}

/** What a socket is made from, when a client joins a namespace. */
export interface SocketInit {
  id: string;
  namespace: string;
  auth: Record<string, unknown>;
  connection: Connection;
  group: ConnectionGroup;
  directory: SocketDirectory;
  link: SocketLink;
  /** With connection state recovery: the pid, and what a recovered socket gets back. */
  pid?: string | undefined;
  recovered?: { rooms: readonly string[]; data: Record<string, unknown> } | undefined;
}

/**
 * An event as it is kept for the test's waits: one object per event and no
 * closure, since a socket keeps every event it got (its journal's limit).
 * `ack` is made when it is read, so it still works taken off the event.
 */
class ReceivedEvent implements SocketIoEvent {
  readonly event: string;
  readonly args: unknown[];
  readonly #id: number | undefined;
  readonly #socket: SocketIoSocket;
  #answered = false;

  constructor(event: string, args: unknown[], id: number | undefined, socket: SocketIoSocket) {
    this.event = event;
    this.args = args;
    this.#id = id;
    this.#socket = socket;
  }

  get ackRequested(): boolean {
    return this.#id !== undefined;
  }

  get ack(): (...args: unknown[]) => void {
    return (...args) => this.#answer(args);
  }

  #answer(args: unknown[]): void {
    const id = this.#id;
    const socket = this.#socket;
    if (id === undefined) throw invalidArgument(`the client asked for no ack of "${this.event}" (it passed no callback)`);
    if (this.#answered || !socket.connected) return;
    // Encoded before it counts as answered: arguments that cannot be sent leave the ack open for an error.
    const encoded = encodeIoPacket({ type: IoType.ACK, nsp: socket.namespace, id, data: args });
    this.#answered = true;
    writePacket(socket.connection, encoded);
  }
}

/**
 * The server's side of one socket, made and held by the Socket.IO stage:
 * what the client emitted, the acks it owes, the rooms, and why it
 * disconnected. The handle reads it.
 */
export class ServerSocket {
  /** The test's handle. */
  readonly handle: SocketIoSocket;
  /** The private session id of connection state recovery (the CONNECT's `pid`), kept off the handle. */
  readonly pid: string | undefined;
  readonly events: Arrivals<SocketIoEvent>;
  readonly rooms: Set<string>;
  nextAckId = 0;
  readonly acks = new Map<number, { args?: unknown[] }>();
  readonly ackWaiters = new Waiters();
  #disconnectReason: string | undefined;

  constructor(init: SocketInit) {
    this.pid = init.pid;
    this.rooms = new Set([init.id, ...(init.recovered?.rooms ?? [])]);
    // Bounded as the journal of its connection is: a socket lives as long as its session.
    this.events = new Arrivals(init.group, (e) => `"${e.event}"`, { limit: init.group.journalLimit });
    this.handle = new SocketIoSocket(init, this);
  }

  /** Why it disconnected, once it has. */
  get disconnectReason(): string | undefined {
    return this.#disconnectReason;
  }

  /** Records an event the client emitted (`args` is the caller's to give: it is kept as it is). */
  receiveEvent(event: string, args: unknown[], id: number | undefined): SocketIoEvent {
    const arrival = new ReceivedEvent(event, args, id, this.handle);
    this.events.push(arrival);
    return arrival;
  }

  /** Settles an `emitWithAck` with the client's ack. */
  receiveAck(id: number, args: unknown[]): void {
    const pending = this.acks.get(id);
    if (!pending || pending.args) return;
    pending.args = args;
    this.ackWaiters.notify();
  }

  /** Marks the socket disconnected: waits fail, rooms are left. */
  close(reason: string): void {
    if (this.#disconnectReason !== undefined) return;
    this.#disconnectReason = reason;
    this.rooms.clear();
    this.events.notify();
    this.ackWaiters.notify();
  }
}

/**
 * A client's socket on one namespace of a Socket.IO mock: emit to it, wait for
 * its events, put it in rooms, disconnect it.
 *
 * @example
 * ```ts
 * const socket = await io.waitForConnection();
 * await socket.emit('welcome', { name: 'Ada' });
 * const { args, ack } = await socket.waitForEvent('join');
 * ack({ ok: true });
 * const [answer] = await socket.timeout(1000).emitWithAck('ready?');
 * ```
 */
export class SocketIoSocket {
  /** The socket's id (the `sid` of its namespace CONNECT), as the client's `socket.id`. */
  readonly id: string;
  /** The namespace, e.g. `/` or `/admin`. */
  readonly namespace: string;
  /** The `auth` payload the client sent with its CONNECT (`{}` when none). */
  readonly auth: Readonly<Record<string, unknown>>;
  /** State of this socket the test and handlers read and write (a recovered socket gets it back). */
  readonly data: Record<string, unknown> = {};
  /** The wsmock connection under it: the Engine.IO session, its journal holds the Socket.IO packets. */
  readonly connection: Connection;
  /**
   * Whether this socket was recovered (`connectionStateRecovery`): the client
   * came back within the window and got its id, rooms, `data` and the events
   * it missed, as the client's own `socket.recovered`.
   */
  readonly recovered: boolean;
  readonly #server: ServerSocket;
  readonly #group: ConnectionGroup;
  readonly #directory: SocketDirectory;
  readonly #link: SocketLink;

  /** @internal Made with its server side (ServerSocket) when a client connects to a namespace. */
  constructor(init: SocketInit, server: ServerSocket) {
    this.id = init.id;
    this.namespace = init.namespace;
    this.auth = init.auth;
    this.connection = init.connection;
    this.recovered = init.recovered !== undefined;
    if (init.recovered) this.data = init.recovered.data;
    this.#server = server;
    this.#group = init.group;
    this.#directory = init.directory;
    this.#link = init.link;
    brand(this, 'socketio-socket');
  }

  /** Whether the socket is still connected to its namespace. */
  get connected(): boolean {
    return this.#server.disconnectReason === undefined;
  }

  /** Why it disconnected (`client namespace disconnect`, `server namespace disconnect`, `transport close`…), once it has. */
  get disconnectReason(): string | undefined {
    return this.#server.disconnectReason;
  }

  /**
   * Every event the client emitted on this socket, in order (also those
   * already returned by waits); with the server's `journal.limit`, the latest
   * that many.
   */
  get events(): readonly SocketIoEvent[] {
    return this.#server.events.all;
  }

  /** The rooms the socket is in, its own id first (as the real server has it). */
  get rooms(): string[] {
    return [...this.#server.rooms];
  }

  /** Whether the socket is in `room`. */
  inRoom(room: string): boolean {
    return this.#server.rooms.has(room);
  }

  /** Puts the socket in a room (or several): `mock.to(room).emit(…)` reaches it. */
  join(rooms: string | string[]): void {
    for (const room of typeof rooms === 'string' ? [rooms] : rooms) {
      if (typeof room !== 'string' || room === '') throw invalidArgument('socket.join(room): room must be a non-empty string');
      this.#assertConnected('join a room');
      this.#server.rooms.add(room);
    }
  }

  /** Takes the socket out of a room; nothing happens if it was not in it. */
  leave(room: string): void {
    this.#server.rooms.delete(room);
  }

  /**
   * Emits an event to this client. Buffers inside `args` travel as binary
   * attachments. Like `conn.send()`, it resolves once the packet is written
   * and never throws: it rejects `WSMOCK_ERR_CONNECTION_CLOSED` once the
   * socket has disconnected, `WSMOCK_ERR_INVALID_ARGUMENT` for a reserved or
   * empty event name, and the encoder's error for arguments that cannot be
   * sent. With `connectionStateRecovery`, the event carries its offset as
   * its last argument (as the real server's) and is kept for a client that misses it.
   *
   * @example
   * ```ts
   * await socket.emit('price', 42);
   * ```
   */
  emit(event: string, ...args: unknown[]): Promise<void> {
    let written: Promise<void>;
    try {
      assertEventName(event);
      this.#assertConnected(`emit "${event}"`);
      const data: unknown[] = [event, ...args];
      const recovery = this.#directory.recovery;
      const offset = recovery?.nextOffset();
      if (offset !== undefined) data.push(offset);
      const encoded = encodeIoPacket({ type: IoType.EVENT, nsp: this.namespace, data });
      if (offset !== undefined) recovery!.keep(offset, this.namespace, data, [this.id], []);
      written = writePacketAndWait(this.connection, encoded);
    } catch (err) {
      return Promise.reject(err);
    }
    return written.catch((err: unknown) => {
      throw this.#closedError(`emit "${event}"`) ?? connectionClosed(`emit "${event}"`, `the session of socket ${this.id} (${this.namespace})`, 'closed before it was written', { cause: err });
    });
  }

  /**
   * Emits an event with an ack callback and resolves with the arguments the
   * client's callback was called with. Waits up to the server's `timeout`;
   * `socket.timeout(ms).emitWithAck(…)` sets another limit.
   *
   * @example
   * ```ts
   * const [answer] = await socket.emitWithAck('question', 42);
   * ```
   */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return this.#emitWithAck(undefined, event, args);
  }

  /**
   * Sets the ack timeout of the next `emitWithAck` (milliseconds), like the
   * real library's `socket.timeout(ms)`.
   *
   * @example
   * ```ts
   * await expect(socket.timeout(50).emitWithAck('never-acked')).rejects.toThrow(/ack/);
   * ```
   */
  timeout(ms: number): SocketIoAckEmitter {
    if (!Number.isFinite(ms) || ms < 0) throw invalidArgument(`socket.timeout(ms): ms must be a number of milliseconds >= 0, got ${String(ms)}`);
    return { emitWithAck: (event, ...args) => this.#emitWithAck(ms, event, args) };
  }

  /**
   * Resolves with the next event of this socket not yet returned by an earlier
   * wait (named `event` when given), including events that came before the call.
   */
  waitForEvent(event?: string, options: WaitForEventOptions = {}): Promise<SocketIoEvent> {
    return this.#server.events.next({
      what: `${event === undefined ? 'an event' : `an event "${event}"`} on socket ${this.id} (${this.namespace})`,
      filter: (e: SocketIoEvent) => (event === undefined || e.event === event) && (options.filter === undefined || options.filter(e)),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => this.#closedError(`wait for ${event === undefined ? 'an event' : `"${event}"`}`),
    });
  }

  /** Broadcasts to the sockets of this namespace in `room`, this one left out (the real `socket.to(room)`). */
  to(room: string | string[]): SocketIoBroadcast {
    return new SocketIoBroadcast(this.#directory, this.namespace, { except: this }).to(room);
  }

  /** Broadcasts to every other socket of this namespace (the real `socket.broadcast`). */
  get broadcast(): SocketIoBroadcast {
    return new SocketIoBroadcast(this.#directory, this.namespace, { except: this });
  }

  /**
   * Disconnects the socket from its namespace (the client's `disconnect` event
   * with "io server disconnect"); `close: true` also closes the whole session.
   * The socket counts as disconnected at once; the promise resolves once the
   * DISCONNECT is written (with `close: true`, once the session has closed)
   * and never rejects: a client already gone is disconnected too.
   */
  disconnect(close = false): Promise<void> {
    if (!this.connected) return Promise.resolve();
    const written = writePacketAndWait(this.connection, encodeIoPacket({ type: IoType.DISCONNECT, nsp: this.namespace })).catch(() => {});
    this.#server.close('server namespace disconnect');
    this.#link.detach(this);
    if (!close) return written;
    const closed = this.connection.close();
    return written.then(() => closed).then(() => {});
  }

  #emitWithAck(timeout: number | undefined, event: string, args: unknown[]): Promise<unknown[]> {
    const server = this.#server;
    const id = server.nextAckId;
    try {
      assertEventName(event);
      this.#assertConnected(`emit "${event}"`);
      sendPacket(this.connection, { type: IoType.EVENT, nsp: this.namespace, id, data: [event, ...args] });
    } catch (err) {
      return Promise.reject(err);
    }
    server.nextAckId++;
    const pending: { args?: unknown[] } = {};
    server.acks.set(id, pending);
    const done = () => server.acks.delete(id);
    return this.#group
      .wait({
        find: () => pending.args,
        waiters: server.ackWaiters,
        what: `the ack of "${event}" (id ${id}) from socket ${this.id} (${this.namespace})`,
        seen: () => 'No ack with that id came back.',
        ...(timeout !== undefined ? { timeout } : {}),
        failure: () => this.#closedError(`wait for the ack of "${event}"`),
      })
      .finally(done);
  }

  #assertConnected(action: string): void {
    const error = this.#closedError(action);
    if (error) throw error;
  }

  #closedError(action: string): WsMockError | undefined {
    const reason = this.#server.disconnectReason;
    if (reason === undefined) return undefined;
    return connectionClosed(action, `socket ${this.id} (${this.namespace})`, `has disconnected (${reason})`);
  }
}
