//
// The Phoenix state of one connection: its serializer, its channels by topic
// (the one joining or joined now), the joins it made (journal and race-free
// arrivals), and the frames it writes. Owned by the mock's state, keyed by
// the connection.
//
import { Arrivals, connectionClosed, deliver, type Connection, type ConnectionGroup, type WsMockError } from '../../kit/index.js';
import { describeChannel, type ChannelSession, type PhoenixChannel } from './PhoenixChannel.js';
import { encode, REPLY, type EncodedFrame, type PhoenixMessage, type PhoenixVsn } from './serializer.js';

/** What carries a Phoenix socket. */
export type PhoenixTransportName = 'websocket' | 'longpoll';

/** The Phoenix side of one connection: its serializer, channels and joins. */
export class PhoenixSession implements ChannelSession {
  readonly connection: Connection;
  readonly vsn: PhoenixVsn;
  readonly transport: PhoenixTransportName;
  /** The channel of each topic now (joining or joined). */
  readonly channels = new Map<string, PhoenixChannel>();
  readonly #group: ConnectionGroup;
  /** Every join of this socket (refused ones included), in arrival order; the latest `journal.limit`. */
  readonly #joinList: PhoenixChannel[] = [];
  /** The waits on them, made by the first wait (a socket nobody waits on costs no Arrivals). */
  #joins: Arrivals<PhoenixChannel> | undefined;
  /** `{{sequence}}` in templated replies: 1 for the first on this connection. */
  sequence = 0;

  constructor(connection: Connection, group: ConnectionGroup, vsn: PhoenixVsn) {
    this.connection = connection;
    this.vsn = vsn;
    // A long-poll session is made from a plain GET: no Upgrade header.
    this.transport = connection.headers.upgrade?.toLowerCase() === 'websocket' ? 'websocket' : 'longpoll';
    this.#group = group;
  }

  /** Every join of this socket, refused ones included, in arrival order. */
  get joinList(): readonly PhoenixChannel[] {
    return this.#joinList;
  }

  /** The race-free waits on this socket's joins. */
  get joins(): Arrivals<PhoenixChannel> {
    return (this.#joins ??= new Arrivals<PhoenixChannel>(this.#group, describeChannel, { source: () => this.#joinList }));
  }

  /** A join arrived: journal it (the latest `journal.limit`) and wake the waits. */
  addJoin(channel: PhoenixChannel): void {
    this.#joinList.push(channel);
    if (this.#joinList.length > this.#group.journalLimit) this.#joinList.shift();
    this.#joins?.notify();
  }

  /** Wakes the waits on joins, so they see the socket closed. */
  wake(): void {
    this.#joins?.notify();
  }

  /** The connect params: the query without what the transport adds (`vsn`, the long-poll `token`). */
  get params(): Record<string, string> {
    const { vsn: _vsn, ...params } = { ...this.connection.query };
    if (this.transport === 'longpoll') delete params.token;
    return params;
  }

  /** Writes one message; resolves once written, rejects once the connection is closed. */
  send(message: PhoenixMessage): Promise<void> {
    return this.write(encode(message, this.vsn));
  }

  /** Writes a frame encoded already (a broadcast encodes once for every recipient of a vsn). */
  write(frame: EncodedFrame): Promise<void> {
    const closed = this.closedError('send');
    if (closed) return Promise.reject(closed);
    return new Promise((resolve, reject) => {
      deliver(this.connection, frame, (err) => {
        if (!err) resolve();
        else reject(this.closedError('send', err) ?? err);
      });
    });
  }

  /** Writes a frame without waiting: a failure is the connection closing, which its close reports. */
  post(frame: EncodedFrame): void {
    if (this.connection.isOpen) deliver(this.connection, frame);
  }

  /** A `phx_reply` to the client's `ref`. */
  reply(topic: string, joinRef: string | null, ref: string | null, status: string, response: unknown): Promise<void> {
    return this.send({ joinRef, ref, topic, event: REPLY, payload: { status, response } });
  }

  /** The `WSMOCK_ERR_CONNECTION_CLOSED` error for `action` once the connection is closing, else undefined. */
  closedError(action: string, cause?: unknown): WsMockError | undefined {
    if (this.connection.isOpen) return undefined;
    return connectionClosed(action, `connection ${this.connection.id}`, 'is closed', { close: this.connection.closeInfo, cause });
  }
}
