//
// The ActionCable state of one connection: its live subscriptions by
// identifier (the table Rails keeps per connection), every subscription it
// made (for waits), the commands the server ignored, and its ping timer.
// Owned by the mock's state, keyed by the connection; released when the
// connection closes.
//
import { Arrivals, connectionClosed, deliver, type Connection, type ConnectionGroup, type WsMockError } from '../../kit/index.js';
import { realClearInterval, realSetInterval } from '../../util/clock.js';
import type { ActionCableSubscription } from './ActionCableSubscription.js';
import { ping } from './protocol.js';
import type { SubscriptionCore } from './subscription.js';

/** A command the server did nothing with, and why (what Rails writes to its log). */
export interface ActionCableIgnored {
  /** The connection that sent it. */
  readonly connectionId: string;
  /** Why it was ignored: `unknown command "foo"`, `no channel matches "NopeChannel"`… */
  readonly reason: string;
  /** When it arrived. */
  readonly at: Date;
}

export class CableSession {
  readonly connection: Connection;
  /** The live subscriptions (pending or confirmed), by identifier. */
  readonly table = new Map<string, SubscriptionCore>();
  /** Every subscription of the connection, in order; `waitForSubscription` takes from it. */
  readonly subscriptions: Arrivals<ActionCableSubscription>;
  /** The commands ignored on this connection (the latest `journal.limit`). */
  readonly ignored: ActionCableIgnored[] = [];
  readonly #limit: number;
  #pinger: NodeJS.Timeout | undefined;
  /** `{{sequence}}` in templates: 1 for the first frame a template renders on this connection. */
  sequence = 0;

  constructor(connection: Connection, group: ConnectionGroup, describe: (subscription: ActionCableSubscription) => string) {
    this.connection = connection;
    this.#limit = group.journalLimit;
    this.subscriptions = new Arrivals(group, describe, { limit: group.journalLimit });
  }

  /** Pings the client every `ms` (the connection owns the timer; `close()` stops it). */
  startPinging(ms: number): void {
    if (ms <= 0 || this.#pinger) return;
    this.#pinger = realSetInterval(() => {
      if (!this.connection.isOpen) return;
      const value = ping(Math.floor(Date.now() / 1000));
      deliver(this.connection, { payload: JSON.stringify(value), binary: false, json: value });
    }, ms);
  }

  ignore(reason: string): void {
    this.ignored.push({ connectionId: this.connection.id, reason, at: new Date() });
    if (this.ignored.length > this.#limit) this.ignored.shift();
  }

  /** The `WSMOCK_ERR_CONNECTION_CLOSED` error for `action` once the connection is closed, else undefined. */
  closedError(action: string): WsMockError | undefined {
    if (this.connection.isOpen) return undefined;
    return connectionClosed(action, `connection ${this.connection.id}`, 'is closed', { close: this.connection.closeInfo });
  }

  /** The connection closed: stop the pings, end the live subscriptions, wake the waits so they fail. */
  close(): void {
    if (this.#pinger) realClearInterval(this.#pinger);
    this.#pinger = undefined;
    for (const core of [...this.table.values()]) core.end('closed');
    this.subscriptions.notify();
  }
}
