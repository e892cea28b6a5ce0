//
// The real @rails/actioncable client in Node, for the ActionCable kit's
// tests: `ws` as its WebSocket (Node 20 has no global one), a no-op
// `addEventListener` on the global (its ConnectionMonitor listens for the
// page's visibilitychange; Node has no window), and consumers that record
// every callback of their subscriptions, in order, for event-driven waits.
//
import * as ActionCable from '@rails/actioncable';
import type { Consumer, Subscription } from '@rails/actioncable';
import WebSocket from 'ws';
import { realClearTimeout, realSetTimeout } from '../../src/util/clock.js';

ActionCable.adapters.WebSocket = WebSocket;
const globals = globalThis as unknown as Record<string, unknown>;
globals.addEventListener ??= () => {};
globals.removeEventListener ??= () => {};

export { ActionCable };

/** One callback a subscription got. */
export type CableEvent =
  | { type: 'connected'; reconnected: boolean }
  | { type: 'disconnected'; willAttemptReconnect: boolean }
  | { type: 'rejected' }
  | { type: 'received'; data: any };

/** A subscription of the real client, with every callback it got. */
export interface RecordedSubscription {
  readonly subscription: Subscription;
  readonly events: CableEvent[];
  /** Resolves with the `count`-th event of `type` (1 = the first), waiting for it if needed. */
  next<T extends CableEvent['type']>(type: T, count?: number): Promise<Extract<CableEvent, { type: T }>>;
  /** The data of every `received`, in order. */
  readonly received: unknown[];
}

const consumers = new Set<Consumer>();

/** A consumer of `url` (disconnected by {@link disconnectConsumers}). */
export function consumer(url: string): Consumer {
  const made = ActionCable.createConsumer(url);
  consumers.add(made);
  return made;
}

/** Stops every consumer made here: no reconnect, no timer left behind. */
export function disconnectConsumers(): void {
  for (const made of consumers) made.disconnect();
  consumers.clear();
}

/** Subscribes `consumer` to `channel` (a name or `{ channel, ...params }`), recording its callbacks. */
export function subscribe(on: Consumer, channel: string | Record<string, unknown>, timeout = 5000): RecordedSubscription {
  const events: CableEvent[] = [];
  const waiters = new Set<() => void>();
  const push = (event: CableEvent) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  };
  const subscription = on.subscriptions.create(channel, {
    connected: ({ reconnected }) => push({ type: 'connected', reconnected }),
    disconnected: ({ willAttemptReconnect }) => push({ type: 'disconnected', willAttemptReconnect }),
    rejected: () => push({ type: 'rejected' }),
    received: (data) => push({ type: 'received', data }),
  });
  return {
    subscription,
    events,
    get received() {
      return events.filter((e) => e.type === 'received').map((e) => (e as { data: unknown }).data);
    },
    next(type, count = 1) {
      const find = () => events.filter((e) => e.type === type)[count - 1] as never;
      return new Promise((resolve, reject) => {
        const found = find();
        if (found) return resolve(found);
        const wake = () => {
          const hit = find();
          if (!hit) return;
          waiters.delete(wake);
          realClearTimeout(timer);
          resolve(hit);
        };
        const timer = realSetTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no "${type}" #${count} on ${subscription.identifier} within ${timeout} ms; got ${JSON.stringify(events)}`));
        }, timeout);
        waiters.add(wake);
      });
    },
  };
}
