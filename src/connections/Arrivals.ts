//
// A queue of things that arrive and are waited for one at a time, race-free:
// `next()` returns the first arrival not yet returned by an earlier call,
// including those that came before the call. `waitForConnection` works this
// way for connections; protocol kits use it for their sockets, operations and
// calls. The waits belong to a connection group (the mock's), so removing the
// mock or closing the server aborts them.
//
// With a limit (a connection's lists take the server's `journal.limit`) the
// oldest arrivals are dropped first, those no wait has returned included, as
// the journal drops frames; a wait that times out says how many it lost.
//
import type { ConnectionGroup } from './ConnectionGroup.js';
import { Waiters, type WaitRegistry } from './waitFor.js';
import type { WsMockError } from '../errors.js';

/** Options of {@link Arrivals.next}. */
export interface NextOptions<T> {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
  /** Only arrivals for which this returns true; the others stay for later calls. */
  filter?: (item: T) => boolean;
  /** What is awaited, for the timeout message: `an event "join" on socket abc`. */
  what: string;
  /** Fails the wait early (the socket disconnected), with the error to throw. */
  failure?: () => WsMockError | undefined;
  /** More owners whose end aborts the wait (a connection's). */
  owners?: WaitRegistry[];
}

/** How {@link Arrivals} keep their items. */
export interface ArrivalsOptions<T> {
  /**
   * The arrivals are what this lists, in order (`push` only wakes the waits):
   * a queue over items owned elsewhere, such as the calls of a mock's
   * connections, which go when the connections are released.
   */
  source?: () => readonly T[];
  /** The most arrivals kept (Infinity: all); the oldest are dropped first. Not with `source`. */
  limit?: number;
}

/** Things that arrive and are waited for one at a time, race-free: `next()` gives the first not yet returned. */
export class Arrivals<T extends object> {
  #items: T[] = [];
  readonly #limit: number;
  /** Arrivals the limit dropped before any wait returned them. */
  #lostUntaken = 0;
  // Weak, so that items a `source` no longer lists are not kept alive here.
  #taken = new WeakSet<T>();
  /** The waits woken by each arrival. */
  readonly waiters = new Waiters();
  readonly #group: ConnectionGroup;
  readonly #describe: (item: T) => string;
  readonly #source: (() => readonly T[]) | undefined;

  /** `describe` names an arrival in timeout messages. */
  constructor(group: ConnectionGroup, describe: (item: T) => string, options: ArrivalsOptions<T> = {}) {
    this.#group = group;
    this.#describe = describe;
    this.#source = options.source;
    this.#limit = options.limit ?? Number.POSITIVE_INFINITY;
  }

  /** Everything that arrived, in order (taken or not). */
  get all(): readonly T[] {
    return this.#source ? this.#source() : this.#items;
  }

/** Adds an arrival (the oldest dropped past the limit) and wakes the waits. */
  push(item: T): void {
    if (!this.#source) {
      this.#items.push(item);
      if (this.#items.length > this.#limit) {
        const dropped = this.#items.shift()!;
        if (!this.#taken.has(dropped)) this.#lostUntaken++;
      }
    }
    this.waiters.notify();
  }

  /** Wakes waits so they check their `failure` (the owner of the arrivals went away). */
  notify(): void {
    this.waiters.notify();
  }

  /** Takes the first matching arrival not yet taken, if any, without waiting. */
  take(filter?: (item: T) => boolean): T | undefined {
    for (const item of this.all) {
      if (this.#taken.has(item) || (filter && !filter(item))) continue;
      this.#taken.add(item);
      return item;
    }
    return undefined;
  }

  /** Resolves with the first matching arrival not yet taken, waiting for one if needed. */
  next(options: NextOptions<T>): Promise<T> {
    return this.#group.wait({
      find: () => this.take(options.filter),
      waiters: this.waiters,
      what: options.what,
      seen: () => this.#seen(options.filter),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.failure ? { failure: options.failure } : {}),
      ...(options.owners ? { owners: options.owners } : {}),
    });
  }

  /** Forgets every arrival. */
  clear(): void {
    this.#items = [];
    this.#taken = new WeakSet();
    this.#lostUntaken = 0;
  }

  #seen(filter?: (item: T) => boolean): string {
    const lost = this.#lostUntaken > 0 ? ` ${this.#lostUntaken} that no wait had returned were dropped by journal.limit (${this.#limit}); the one awaited may have been among them.` : '';
    return this.#arrived(filter) + lost;
  }

  #arrived(filter?: (item: T) => boolean): string {
    const items = this.all;
    const untaken = items.filter((item) => !this.#taken.has(item));
    if (items.length === 0) return 'Nothing arrived.';
    if (untaken.length === 0) return `All ${items.length} that arrived were already returned by earlier calls.`;
    const shown = untaken.filter((item) => !filter || !filter(item)).slice(0, 5).map(this.#describe);
    return `${untaken.length} arrived but did not match: ${shown.join(', ')}.`;
  }
}
