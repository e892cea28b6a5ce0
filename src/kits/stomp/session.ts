//
// The STOMP state of one connection: where it stands (waiting for CONNECT,
// connected, closed), the version and CONNECT headers, its parser, its live
// subscriptions by id, its open transactions and what they hold until
// COMMIT, the ACK/NACKs it sent, and its heart-beat timers. Owned by the
// mock's state, keyed by the connection; `close()` stops the timers.
//
import { Arrivals, connectionClosed, deliver, type Connection, type ConnectionGroup, type WsMockError } from '../../kit/index.js';
import { realClearInterval, realSetInterval } from '../../util/clock.js';
import { StompParser, type ParsedItem, type StompVersion } from './frame.js';
import type { StompSend } from './StompSend.js';
import { messagePrefix, type MessagePrefix, type MessageTarget } from './wire.js';

/** How a subscription wants its messages acknowledged. */
export type StompAckMode = 'auto' | 'client' | 'client-individual';

/** An ACK or NACK a client sent (once its transaction, if any, is committed). */
export interface StompAck {
  /** `ack` or `nack`. */
  readonly kind: 'ack' | 'nack';
  /** The id it acknowledges: `id` (1.2) or `message-id` (1.0, 1.1). */
  readonly id: string;
  /** The subscription it names (1.1), if any. */
  readonly subscription: string | undefined;
  /** The transaction it was sent in, if any. */
  readonly transaction: string | undefined;
  /** The connection that sent it. */
  readonly connectionId: string;
}

/** A subscription as tests see it (`mock.waitForSubscribe()`). */
export interface StompSubscription {
  /** The `id` header (on 1.0 without one, the destination). */
  readonly id: string;
  /** The `destination` header. */
  readonly destination: string;
  /** The ack mode. */
  readonly ack: StompAckMode;
  /** Every header of the SUBSCRIBE. */
  readonly headers: Readonly<Record<string, string>>;
  /** The connection's id. */
  readonly connectionId: string;
  /** False once unsubscribed, or once the connection closed. */
  readonly active: boolean;
}

/** One live subscription, as the fan-out index holds it. */
export class SubscriptionCore implements MessageTarget {
  readonly session: StompSession;
  readonly id: string;
  readonly destination: string;
  readonly ack: StompAckMode;
  readonly prefix: MessagePrefix;
  readonly acks: boolean;
  readonly view: StompSubscription;
  live = true;

  constructor(session: StompSession, id: string, destination: string, ack: StompAckMode, headers: Readonly<Record<string, string>>) {
    this.session = session;
    this.id = id;
    this.destination = destination;
    this.ack = ack;
    this.prefix = messagePrefix(id, session.version);
    this.acks = ack !== 'auto' && session.version === '1.2';
    const core = this;
    this.view = Object.freeze({
      id,
      destination,
      ack,
      headers: Object.freeze({ ...headers }),
      connectionId: session.connection.id,
      get active() {
        return core.live;
      },
    });
  }

  get connection(): Connection {
    return this.session.connection;
  }

  get version(): StompVersion {
    return this.session.version;
  }

  nextMessageId(): string {
    return this.session.nextMessageId();
  }
}

export class StompSession {
  readonly connection: Connection;
  readonly parser: StompParser;
  phase: 'connecting' | 'connected' | 'closed' = 'connecting';
  version: StompVersion = '1.2';
  /** The CONNECT frame's headers. */
  connectHeaders: Readonly<Record<string, string>> = {};
  /** The live subscriptions, by id. */
  readonly subscriptions = new Map<string, SubscriptionCore>();
  /** Every subscription of the connection, in order; `waitForSubscribe` takes from it. */
  readonly subscribes: Arrivals<StompSubscription>;
  /** Every SEND of the connection, in order. */
  readonly sends: Arrivals<StompSend>;
  /** Open transactions: what each holds until COMMIT. */
  readonly transactions = new Map<string, (() => void)[]>();
  /** The ACK/NACKs (the latest `journal.limit`). */
  readonly acks: StompAck[] = [];
  /** Parsed frames held while an async CONNECT hook decides. */
  held: ParsedItem[] | undefined;
  readonly #limit: number;
  #messageSeq = 0;
  #beat: NodeJS.Timeout | undefined;
  #watch: NodeJS.Timeout | undefined;
  #lastRead = Date.now();

  constructor(connection: Connection, group: ConnectionGroup, maxFrameSize: number) {
    this.connection = connection;
    this.parser = new StompParser(maxFrameSize);
    this.#limit = group.journalLimit;
    const describeSub = (s: StompSubscription) => `${s.destination} (id ${s.id}) on ${s.connectionId}`;
    this.subscribes = new Arrivals(group, describeSub, { limit: group.journalLimit });
    this.sends = new Arrivals(group, (s: StompSend) => `a SEND to ${s.destination} on ${connection.id}`, { limit: group.journalLimit });
  }

  nextMessageId(): string {
    return `${this.connection.id}-${++this.#messageSeq}`;
  }

  /** Something arrived from the client: it is alive. */
  touched(): void {
    this.#lastRead = Date.now();
  }

  recordAck(ack: StompAck): void {
    this.acks.push(ack);
    if (this.acks.length > this.#limit) this.acks.shift();
  }

  /**
   * Starts the negotiated heart-beats: an EOL to the client every `send` ms,
   * and the close (1001) when the client is silent for twice `receive` ms.
   */
  startHeartBeats(send: number, receive: number): void {
    if (send > 0) {
      this.#beat = realSetInterval(() => {
        if (this.connection.isOpen) deliver(this.connection, { payload: '\n', binary: false });
      }, send);
    }
    if (receive > 0) {
      this.#lastRead = Date.now();
      this.#watch = realSetInterval(() => {
        if (this.connection.isOpen && Date.now() - this.#lastRead > receive * 2) {
          this.connection.close({ code: 1001, reason: 'STOMP heart-beat missed' }).catch(() => {});
        }
      }, receive);
    }
  }

  /** The `WSMOCK_ERR_CONNECTION_CLOSED` error for `action` once the connection is closed, else undefined. */
  closedError(action: string): WsMockError | undefined {
    if (this.connection.isOpen) return undefined;
    return connectionClosed(action, `connection ${this.connection.id}`, 'is closed', { close: this.connection.closeInfo });
  }

  stopHeartBeats(): void {
    if (this.#beat) realClearInterval(this.#beat);
    if (this.#watch) realClearInterval(this.#watch);
    this.#beat = this.#watch = undefined;
  }

  /** The connection closed: timers stopped, subscriptions ended, waits woken so they fail. */
  close(): void {
    this.phase = 'closed';
    this.stopHeartBeats();
    this.transactions.clear();
    this.held = undefined;
    for (const core of this.subscriptions.values()) core.live = false;
    this.subscribes.notify();
    this.sends.notify();
  }
}
