//
// The SignalR state of one connection: its connection id, where its
// handshake stands and the hub protocol it picked, its groups, the
// invocations in flight both ways (the server's streams to it, its streams
// to the server, the results it owes the server), and its ping timer.
// Released when the connection closes: timers stopped, streams ended,
// pending results rejected.
//
import { connectionClosed, deliver, Waiters, type Connection, type Message, type OutboundFrame, type WsMockError } from '../../kit/index.js';
import { realClearInterval, realSetInterval } from '../../util/clock.js';
import type { HubCodec, HubReader } from './codec.js';
import { jsonValueOf, MessageType, RS, type HubMessage } from './protocol.js';
import { UploadStream } from './UploadStream.js';

/** Where a connection's handshake stands. */
export type HubPhase = 'handshake' | 'loading' | 'open' | 'ended';

/** A result the server asked the client for (`conn.invoke`), not yet given. */
interface PendingResult {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** A hub message as the frame `codec` sends it (JSON keeps its value for the journal). */
export function frameOf(codec: HubCodec, message: HubMessage): OutboundFrame {
  const payload = codec.encode(message);
  return codec.binary ? { payload, binary: true } : { payload, binary: false, json: jsonValueOf(message) };
}

export class HubSession {
  readonly connection: Connection;
  /** SignalR's connection id (what `Context.ConnectionId` is on a real server). */
  readonly connectionId: string;
  phase: HubPhase = 'handshake';
  codec: HubCodec | undefined;
  reader: HubReader | undefined;
  /** The handshake's bytes so far, until its record separator. */
  handshake: Buffer = Buffer.alloc(0);
  /** `{{sequence}}` in templates: 1 for the first answer a template renders on this connection. */
  sequence = 0;
  /** Frames that came while the protocol's codec was loading, in order. */
  readonly held: Message[] = [];
  readonly groups = new Set<string>();
  /** The server's streams to the client, by invocation id: what stops each. */
  readonly outgoing = new Map<string, () => void>();
  /** The client's streams to the server, by stream id. */
  readonly uploads = new Map<string, UploadStream>();
  /** Woken when the handshake ends (done, failed) or the connection does. */
  readonly settled = new Waiters();
  readonly #results = new Map<string, PendingResult>();
  readonly #ready: Promise<void>;
  #settle!: () => void;
  /** Whether the ping timer runs. */
  get pinging(): boolean {
    return this.#pinger !== undefined;
  }

  /** Whether the handshake has ended, one way or another. */
  get handshaken(): boolean {
    return this.phase === 'open' || this.phase === 'ended';
  }

  #nextId = 0;
  #pinger: NodeJS.Timeout | undefined;

  constructor(connection: Connection, connectionId: string) {
    this.connection = connection;
    this.connectionId = connectionId;
    this.#ready = new Promise((resolve) => {
      this.#settle = () => {
        resolve();
        this.settled.notify();
      };
    });
  }

  /** Resolves once the handshake is done, or failed, or the connection ended. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** Whether the handshake is done and the connection open: messages may go. */
  get open(): boolean {
    return this.phase === 'open' && this.connection.isOpen;
  }

  /** The handshake succeeded with `codec`: messages flow, pings start. */
  accept(codec: HubCodec, reader: HubReader, pingMs: number): void {
    this.codec = codec;
    this.reader = reader;
    this.phase = 'open';
    if (pingMs > 0) this.#pinger = realSetInterval(() => this.connection.isOpen && this.send({ type: MessageType.Ping }), pingMs);
    this.#settle();
  }

  /** The handshake failed: the connection is closing. */
  refuse(): void {
    this.phase = 'ended';
    this.#settle();
  }

  /** Sends one message; `done` runs once it is written or failed. */
  send(message: HubMessage, done?: (err?: Error) => void): void {
    if (!this.codec) throw new Error('no hub protocol yet');
    deliver(this.connection, frameOf(this.codec, message), done);
  }

  /** Sends one message, resolving once written; rejects `WSMOCK_ERR_CONNECTION_CLOSED` when it cannot go. */
  async post(message: HubMessage, action: string): Promise<void> {
    await this.#ready;
    const closed = this.closedError(action);
    if (closed) throw closed;
    await new Promise<void>((resolve, reject) => this.send(message, (err) => (err ? reject(err) : resolve())));
  }

  /** Asks the client for a result (a client result): resolves with it, rejects with its error. */
  async invoke(target: string, args: unknown[]): Promise<unknown> {
    await this.#ready;
    const closed = this.closedError('invoke');
    if (closed) throw closed;
    const invocationId = String(this.#nextId++);
    const answer = new Promise<unknown>((resolve, reject) => this.#results.set(invocationId, { resolve, reject }));
    this.send({ type: MessageType.Invocation, invocationId, target, arguments: args }, (err) => {
      if (!err) return;
      this.#results.get(invocationId)?.reject(err);
      this.#results.delete(invocationId);
    });
    return answer;
  }

  /** A Completion from the client: of a client result, or of a stream it sent. Returns false for an id the server knows nothing of. */
  complete(invocationId: string, error: string | undefined, result: unknown): boolean {
    const pending = this.#results.get(invocationId);
    if (pending) {
      this.#results.delete(invocationId);
      if (error !== undefined) pending.reject(new Error(error));
      else pending.resolve(result);
      return true;
    }
    const upload = this.uploads.get(invocationId);
    if (!upload) return false;
    this.uploads.delete(invocationId);
    upload.end(error);
    return true;
  }

  /** Opens the client's streams an invocation names. */
  openUploads(streamIds: readonly string[] | undefined): UploadStream[] {
    return (streamIds ?? []).map((id) => {
      const upload = new UploadStream(id);
      this.uploads.set(id, upload);
      return upload;
    });
  }

  /** The `WSMOCK_ERR_CONNECTION_CLOSED` error for `action` once messages cannot go, else undefined. */
  closedError(action: string): WsMockError | undefined {
    if (this.open) return undefined;
    const state = this.connection.isOpen ? 'has no hub protocol (its handshake failed)' : 'is closed';
    return connectionClosed(action, `connection ${this.connection.id}`, state, { close: this.connection.closeInfo });
  }

  /** The connection ended: stop pinging, stop the server's streams, end the client's, fail what it owed. */
  close(): void {
    this.phase = 'ended';
    this.#settle();
    if (this.#pinger) realClearInterval(this.#pinger);
    this.#pinger = undefined;
    for (const stop of [...this.outgoing.values()]) stop();
    this.outgoing.clear();
    for (const upload of this.uploads.values()) upload.end('The connection closed before the stream completed.');
    this.uploads.clear();
    for (const pending of this.#results.values()) pending.reject(connectionClosed('invoke', `connection ${this.connection.id}`, 'closed before the client answered', { close: this.connection.closeInfo }));
    this.#results.clear();
  }
}

/** The handshake response's frame: `{}` or `{"error":…}` and the separator, binary for a binary protocol. */
export function handshakeFrame(error: string | undefined, binary: boolean): OutboundFrame {
  const value = error === undefined ? {} : { error };
  const text = JSON.stringify(value) + RS;
  return binary ? { payload: Buffer.from(text), binary: true } : { payload: text, binary: false };
}
