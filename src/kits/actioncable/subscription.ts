//
// One subscription of a connection, as the kit keeps it: where it stands,
// the streams it streams from, the actions the client performed on it, and
// the frames it sends. The stage and the handle's methods change it; the
// state (its hub) keeps the stream index and the connection's table in step.
//
import { Arrivals, connectionClosed, deliver, invalidArgument, type Connection, type ConnectionGroup, type WsMockError } from '../../kit/index.js';
import { subscriptionAnswer, type ActionCableParams } from './protocol.js';

/**
 * Where a subscription stands: `pending` (held for the test's `confirm()` or
 * `reject()`), `confirmed`, `rejected`, `unsubscribed` (by the client), or
 * `closed` (its connection closed while it was live).
 */
export type ActionCableSubscriptionStatus = 'pending' | 'confirmed' | 'rejected' | 'unsubscribed' | 'closed';

/** An action a client performed on a subscription (`subscription.perform(action, data)`). */
export interface ActionCableAction {
  /** The action's name; `receive` for a message without one (`subscription.send(data)`), as Rails routes it. */
  readonly action: string;
  /** What the client sent, its `action` key included. */
  readonly data: Record<string, unknown>;
}

/** What a subscription asks of the mock's state. */
export interface SubscriptionHub {
  /** `core` streams from `stream` from now on. */
  stream(core: SubscriptionCore, stream: string): void;
  /** `core` stops streaming from `stream`. */
  unstream(core: SubscriptionCore, stream: string): void;
  /** `core` ended: forget it in its connection's table. */
  ended(core: SubscriptionCore): void;
}

/** The kit's record of one subscription: what its handle reads and its methods change. */
export class SubscriptionCore {
  readonly identifier: string;
  readonly channel: string;
  readonly params: ActionCableParams;
  readonly connection: Connection;
  /** The actions performed on it, in order (bounded as the journal is). */
  readonly actions: Arrivals<ActionCableAction>;
  readonly streams = new Set<string>();
  status: ActionCableSubscriptionStatus = 'pending';
  /** The streams the channel's config starts once the subscription is confirmed. */
  #declared: readonly string[] = [];
  readonly #hub: SubscriptionHub;

  constructor(init: { identifier: string; channel: string; params: ActionCableParams; connection: Connection; group: ConnectionGroup; hub: SubscriptionHub }) {
    this.identifier = init.identifier;
    this.channel = init.channel;
    this.params = init.params;
    this.connection = init.connection;
    this.#hub = init.hub;
    this.actions = new Arrivals(init.group, (a) => `"${a.action}" ${JSON.stringify(a.data)}`, { limit: init.group.journalLimit });
  }

  get live(): boolean {
    return this.status === 'pending' || this.status === 'confirmed';
  }

  /** `ChatChannel {"room":1}` for messages. */
  describe(): string {
    return `${this.channel} ${JSON.stringify(this.params)} on ${this.connection.id}`;
  }

  /** The streams the channel's config names, started on confirmation. */
  declare(streams: readonly string[]): void {
    this.#declared = streams;
  }

  /** Why `action` cannot be done now, or undefined. */
  problem(action: string, allowed: readonly ActionCableSubscriptionStatus[]): WsMockError | undefined {
    if (!this.connection.isOpen) return connectionClosed(action, `the connection ${this.connection.id} of subscription ${this.describe()}`, 'is closed', { close: this.connection.closeInfo });
    if (allowed.includes(this.status)) return undefined;
    const why: Record<ActionCableSubscriptionStatus, string> = {
      pending: 'it is still pending (confirm() or reject() it first)',
      confirmed: "it is confirmed already (only a subscription held with subscribe: 'manual' waits for confirm() or reject())",
      rejected: 'it was rejected',
      unsubscribed: 'the client unsubscribed',
      closed: 'its connection closed',
    };
    return invalidArgument(`Cannot ${action} subscription ${this.describe()}: ${why[this.status]}.`);
  }

  confirm(): Promise<void> {
    this.status = 'confirmed';
    for (const stream of this.#declared) this.streamFrom(stream);
    return this.write(subscriptionAnswer(this.identifier, true));
  }

  reject(): Promise<void> {
    this.end('rejected');
    return this.write(subscriptionAnswer(this.identifier, false));
  }

  transmit(message: unknown): Promise<void> {
    return this.write({ identifier: this.identifier, message });
  }

  streamFrom(stream: string): void {
    if (this.streams.has(stream)) return;
    this.streams.add(stream);
    this.#hub.stream(this, stream);
  }

  stopStreamFrom(stream: string): void {
    if (this.streams.delete(stream)) this.#hub.unstream(this, stream);
  }

  /** The client performed an action. */
  performed(action: ActionCableAction): void {
    this.actions.push(action);
  }

  /** It ended (rejected, unsubscribed, its connection closed): its streams stop, its waits fail. */
  end(status: ActionCableSubscriptionStatus): void {
    if (!this.live) return;
    this.status = status;
    for (const stream of this.streams) this.#hub.unstream(this, stream);
    this.streams.clear();
    this.#hub.ended(this);
    this.actions.notify();
  }

  /** Writes `value` as one JSON text frame; resolves once written. */
  write(value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    return new Promise((resolve, reject) => deliver(this.connection, { payload: text, binary: false, json: value }, (err) => (err ? reject(err) : resolve())));
  }
}
