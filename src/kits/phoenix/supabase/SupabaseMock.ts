//
// The Supabase Realtime mock's handle (`server.supabase()`): the Phoenix
// mock's, with topics named as the client names its channels, Realtime's
// broadcast, and database changes.
//
import { invalidArgument } from '../../../kit/index.js';
import { isMockOfType } from '../../../util/brand.js';
import type { PhoenixPresence } from '../PhoenixPresence.js';
import { PhoenixMock } from '../PhoenixMock.js';
import type { PhoenixJoinFilter, WaitForJoinOptions } from '../PhoenixSocket.js';
import { fanOut } from './broadcast.js';
import { checkChange, type PostgresChangeInit } from './changes.js';
import { deliverChange } from './realtime.js';
import type { SupabaseChannel } from './SupabaseChannel.js';
import type { SupabaseEnvelope, SupabaseMockConfig } from './types.js';

/** `room1` is the channel `realtime:room1`; a topic that starts with `realtime:` is taken as it is. */
export function realtimeTopic(name: string): string {
  return /^realtime:/i.test(name) ? name : `realtime:${name}`;
}

function checkName(where: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') throw invalidArgument(`${where}: the channel name must be a non-empty string (as given to supabase.channel(name)), got ${JSON.stringify(name)}`);
  return realtimeTopic(name);
}

/**
 * A Supabase Realtime endpoint, defined with `server.supabase()`: a Phoenix
 * mock at `/realtime/v1` answering as the Realtime server does. A
 * supabase-js client made with `createClient(server.httpUrl, anyKey)`
 * reaches it (only Realtime is mocked: `from()`, `auth` and `storage` are
 * not), and so does realtime-js at `realtime.url`. Channels are named as the
 * client names them (`room1` for `supabase.channel('room1')`).
 *
 * @example
 * ```ts
 * const realtime = server.supabase();
 * const supabase = createClient(server.httpUrl, 'anon-key', { realtime: { transport: WebSocket } });
 * supabase.channel('room1').on('broadcast', { event: 'cursor' }, show).subscribe();
 * const channel = await realtime.waitForJoin('room1');
 * realtime.broadcast('room1', 'cursor', { x: 1 });
 * realtime.postgresChange({ table: 'messages', eventType: 'INSERT', new: { id: 1, body: 'hi' } });
 * ```
 */
export class SupabaseMock extends PhoenixMock<SupabaseMockConfig, SupabaseEnvelope> {
  /** True for a Supabase mock, from this copy of wsmock or another. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'supabase');
  }

  /** Every join on this mock, all sockets, refused ones included, in arrival order. */
  override get joins(): SupabaseChannel[] {
    return super.joins as SupabaseChannel[];
  }

  /**
   * Resolves with the next join not yet returned by an earlier call (joins
   * before the call count), of the channel `name` when given (`room1`, or
   * `realtime:room1`), or one a predicate accepts. Rejects `WSMOCK_ERR_TIMEOUT`
   * saying which joins came.
   */
  override waitForJoin(name?: string | ((channel: SupabaseChannel) => boolean), options: WaitForJoinOptions = {}): Promise<SupabaseChannel> {
    let filter: PhoenixJoinFilter | undefined;
    try {
      filter = typeof name === 'string' ? checkName('waitForJoin(name)', name) : (name as PhoenixJoinFilter | undefined);
    } catch (err) {
      return Promise.reject(err);
    }
    return super.waitForJoin(filter, options) as Promise<SupabaseChannel>;
  }

  /**
   * Broadcasts `event` with `payload` to every client subscribed to the
   * channel `name`, as Realtime's broadcast API does: they get
   * `{ type: 'broadcast', event, payload }`. Synchronous: returns the number of
   * recipients.
   */
  override broadcast(name: string, event?: string, payload: unknown = {}): number {
    const topic = checkName('broadcast(name, event, payload)', name);
    if (typeof event !== 'string' || event === '') throw invalidArgument(`broadcast(name, event, payload): event must be a non-empty string, got ${JSON.stringify(event)}`);
    return fanOut(this.phoenix, topic, { type: 'broadcast', event, payload });
  }

  /** The channels joined on `name` now, all sockets. */
  override channels(name: string): SupabaseChannel[] {
    return super.channels(checkName('channels(name)', name)) as SupabaseChannel[];
  }

  /** The presence of the channel `name`: `track(key, meta)` and `untrack(key)` reach every client subscribed to it; `list()` shows the clients' too. */
  override presence(name: string): PhoenixPresence {
    return super.presence(checkName('presence(name)', name));
  }

  /**
   * Emits a database change, as Realtime would stream it from the write-ahead
   * log: every joined channel with a postgres_changes subscription it matches
   * (event, schema, table and `filter`, as Realtime matches them) gets it.
   * Checked where it enters (`WSMOCK_ERR_INVALID_ARGUMENT` naming the field).
   * Synchronous: returns the number of channels reached.
   *
   * @example
   * ```ts
   * realtime.postgresChange({ table: 'todos', eventType: 'UPDATE', new: { id: 1, done: true }, old: { id: 1 } });
   * ```
   */
  postgresChange(change: PostgresChangeInit): number {
    return deliverChange(this.phoenix, checkChange(change));
  }
}
