//
// What an ActionCable mock keeps across its versions: per connection, its
// session and its public handle; the mock-wide view of their subscriptions
// (for `mock.waitForSubscription()`); and the stream index broadcasts go
// through. The subscriptions belong to the sessions: a connection the server
// releases (`journal.releaseClosed`) takes them with it.
//
import { Arrivals, deliver, sharedTextFrame, type Connection, type ConnectionGroup, type OutboundFrame } from '../../kit/index.js';
import { ActionCableConnection } from './ActionCableConnection.js';
import { ActionCableSubscription } from './ActionCableSubscription.js';
import type { ActionCableParams } from './protocol.js';
import { CableSession, type ActionCableIgnored } from './session.js';
import { SubscriptionCore, type SubscriptionHub } from './subscription.js';

/** How waits and messages name a subscription. */
export function describeSubscription(subscription: ActionCableSubscription): string {
  return `${subscription.channel} ${JSON.stringify(subscription.params)} on ${subscription.connection.id} (${subscription.status})`;
}

export class ActionCableState {
  readonly group: ConnectionGroup;
  /** Every subscription on the mock, all connections, in arrival order. */
  readonly subscriptions: Arrivals<ActionCableSubscription>;
  readonly #sessions = new WeakMap<Connection, CableSession>();
  readonly #handles = new WeakMap<Connection, ActionCableConnection>();
  /** The live subscriptions streaming from each stream. */
  readonly #streams = new Map<string, Set<SubscriptionCore>>();
  readonly #order = new WeakMap<ActionCableSubscription, number>();
  readonly #handlesOf = new WeakMap<SubscriptionCore, ActionCableSubscription>();
  #seq = 0;
  readonly #hub: SubscriptionHub;

  constructor(group: ConnectionGroup) {
    this.group = group;
    this.subscriptions = new Arrivals(group, describeSubscription, { source: () => this.#all() });
    this.#hub = {
      stream: (core, stream) => {
        let set = this.#streams.get(stream);
        if (!set) this.#streams.set(stream, (set = new Set()));
        set.add(core);
      },
      unstream: (core, stream) => {
        const set = this.#streams.get(stream);
        if (set?.delete(core) && set.size === 0) this.#streams.delete(stream);
      },
      ended: (core) => {
        const session = this.#sessions.get(core.connection);
        if (session?.table.get(core.identifier) === core) session.table.delete(core.identifier);
      },
    };
  }

  /** The connection's session, made on first use. */
  session(connection: Connection): CableSession {
    let session = this.#sessions.get(connection);
    if (!session) {
      session = new CableSession(connection, this.group, describeSubscription);
      this.#sessions.set(connection, session);
    }
    return session;
  }

  /** The connection's public handle, the same object every time. */
  handle(connection: Connection): ActionCableConnection {
    let handle = this.#handles.get(connection);
    if (!handle) {
      handle = new ActionCableConnection(this.session(connection));
      this.#handles.set(connection, handle);
    }
    return handle;
  }

  /** A subscribe was accepted: the subscription joins its connection's table and the waits of both. */
  subscribe(session: CableSession, init: { identifier: string; channel: string; params: ActionCableParams }): SubscriptionCore {
    const core = new SubscriptionCore({ ...init, connection: session.connection, group: this.group, hub: this.#hub });
    const subscription = new ActionCableSubscription(core);
    this.#handlesOf.set(core, subscription);
    session.table.set(core.identifier, core);
    this.#order.set(subscription, ++this.#seq);
    session.subscriptions.push(subscription);
    this.subscriptions.push(subscription);
    return core;
  }

  /** The test's handle of a subscription (what in-process actions get). */
  subscriptionOf(core: SubscriptionCore): ActionCableSubscription {
    return this.#handlesOf.get(core)!;
  }

  /**
   * Sends `message` to every live subscription streaming from `stream`
   * (`{ identifier, message }`); returns how many. The message is serialised
   * once, the frame once per identifier.
   */
  broadcast(stream: string, message: unknown): number {
    const set = this.#streams.get(stream);
    if (!set) return 0;
    const body = JSON.stringify(message);
    let identifier: string | undefined;
    let frame: OutboundFrame | undefined;
    let recipients = 0;
    for (const core of set) {
      if (!core.connection.isOpen) continue;
      if (core.identifier !== identifier || !frame) {
        identifier = core.identifier;
        frame = sharedTextFrame(`{"identifier":${JSON.stringify(identifier)},"message":${body}}`);
      }
      deliver(core.connection, frame);
      recipients++;
    }
    return recipients;
  }

  /** The commands ignored on the mock's open and journaled connections, in order. */
  ignored(): ActionCableIgnored[] {
    const all: ActionCableIgnored[] = [];
    for (const connection of this.group.connections()) {
      const session = this.#sessions.get(connection);
      if (session) all.push(...session.ignored);
    }
    return all.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  #all(): ActionCableSubscription[] {
    const all: ActionCableSubscription[] = [];
    for (const connection of this.group.connections()) {
      const session = this.#sessions.get(connection);
      if (session) all.push(...session.subscriptions.all);
    }
    return all.sort((a, b) => this.#order.get(a)! - this.#order.get(b)!);
  }
}
