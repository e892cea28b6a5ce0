//
// Real Supabase clients for tests: supabase-js made with createClient(url,
// key) as an app makes it (only its Realtime part reaches the mock), and
// realtime-js's RealtimeClient on its own (to pick the serializer). Both get
// `ws` as their WebSocket (Node 20 has no global one) and reconnect fast.
// What a channel receives is kept in an Inbox and read through a cursor, so
// a read after the event landed still gets it; waits are event-driven, with
// timeouts on the real clock as a safety net.
//
import { RealtimeClient, type RealtimeChannel, type RealtimeClientOptions } from '@supabase/realtime-js';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { realClearTimeout, realSetTimeout } from '../../src/util/clock.js';

const live: Array<{ realtime: RealtimeClient }> = [];

const FAST: RealtimeClientOptions = {
  transport: WebSocket as unknown as RealtimeClientOptions['transport'],
  reconnectAfterMs: () => 20,
  timeout: 5000,
};

/** A supabase-js client of the mock server (`createClient(server.httpUrl, key)`). */
export function supabaseClient(url: string, key = 'anon-key', realtime: RealtimeClientOptions = {}): SupabaseClient {
  const client = createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { ...FAST, ...realtime },
  });
  live.push(client);
  return client;
}

/** A realtime-js client on its own, at the mock's URL (`ws://…/realtime/v1`). */
export function realtimeClient(url: string, options: RealtimeClientOptions = {}): RealtimeClient {
  const client = new RealtimeClient(url, { ...FAST, params: { apikey: 'anon-key' }, ...options });
  live.push({ realtime: client });
  return client;
}

/** Disconnects every client made here (call in afterEach). */
export async function closeSupabaseClients(): Promise<void> {
  await Promise.all(
    live.splice(0).map(async ({ realtime }) => {
      for (const channel of realtime.getChannels()) channel.teardown();
      await realtime.disconnect();
    }),
  );
}

/** Values in arrival order, read through a cursor. */
export class Inbox<T = any> {
  readonly items: T[] = [];
  #cursor = 0;
  #wakers: Array<() => void> = [];

  /** Adds a value (a listener's callback). */
  readonly push = (item: T): void => {
    this.items.push(item);
    for (const wake of this.#wakers.splice(0)) wake();
  };

  /** The next value not yet read. */
  async next(what = 'a value', timeout = 5000): Promise<T> {
    while (this.#cursor >= this.items.length) await this.#wait(what, timeout);
    return this.items[this.#cursor++]!;
  }

  /** Waits until `ready()` holds (checked on each arrival). */
  async until(ready: (items: T[]) => boolean, what: string, timeout = 5000): Promise<T[]> {
    while (!ready(this.items)) await this.#wait(what, timeout);
    return this.items;
  }

  #wait(what: string, timeout: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        realClearTimeout(timer);
        resolve();
      };
      const timer = realSetTimeout(() => {
        this.#wakers.splice(this.#wakers.indexOf(wake), 1);
        reject(new Error(`Timed out after ${timeout} ms waiting for ${what} (${this.items.length} received: ${JSON.stringify(this.items).slice(0, 400)})`));
      }, timeout);
      this.#wakers.push(wake);
    });
  }
}

/** Subscribes `channel`, keeping every status it reports; resolves once SUBSCRIBED (rejects on another status first). */
export function subscribe(channel: RealtimeChannel): { statuses: Inbox<{ status: string; err?: Error }>; subscribed: Promise<void> } {
  const statuses = new Inbox<{ status: string; err?: Error }>();
  channel.subscribe((status, err) => statuses.push({ status, err }));
  const subscribed = statuses.next(`${channel.topic} to subscribe`).then(({ status, err }) => {
    if (status !== 'SUBSCRIBED') throw new Error(`${channel.topic}: ${status}${err ? ` (${err.message})` : ''}`);
  });
  subscribed.catch(() => {});
  return { statuses, subscribed };
}
