//
// A Realtime channel: a Phoenix channel whose join carried Realtime's
// `config`, with what Realtime made of it (the subscriptions' ids, the
// presence key) and what the client said since (its access token). The kit
// writes a RealtimeState; the handle reads it.
//
import { handleBrand } from '../../../kit/index.js';
import { PhoenixChannel, type PhoenixChannelInit } from '../PhoenixChannel.js';
import type { SupabaseJoinConfig } from './joinConfig.js';
import type { JoinSubscriptions } from './subscriptions.js';

/** The brand of a Realtime channel, shared by every copy of wsmock. */
const brand = handleBrand('supabase-channel');

/** Realtime's side of one channel, written by the kit (the handle reads it). */
export class RealtimeState {
  readonly config: SupabaseJoinConfig;
  readonly subscriptions: JoinSubscriptions;
  /** A join without `config` (Realtime's first API): changes come as events named INSERT, UPDATE or DELETE. */
  readonly legacy: boolean;
  /** The key this channel's presence is tracked under. */
  readonly presenceKey: string;
  /** The token of the join, then of each `access_token` push. */
  accessToken: string | undefined;
  /** The `phx_ref` of the presence this channel tracks, if it tracks one. */
  presenceRef: string | undefined;
  /** What it tracked last (a track of the same payload changes nothing, as on Realtime). */
  tracked: string | undefined;

  constructor(init: { config: SupabaseJoinConfig; subscriptions: JoinSubscriptions; legacy: boolean; presenceKey: string; accessToken: string | undefined }) {
    this.config = init.config;
    this.subscriptions = init.subscriptions;
    this.legacy = init.legacy;
    this.presenceKey = init.presenceKey;
    this.accessToken = init.accessToken;
  }
}

/**
 * A channel a Realtime client joined (`supabase.channel(name).subscribe()`),
 * as `realtime.waitForJoin()` returns it: a {@link PhoenixChannel} (`topic`
 * is `realtime:` and the name; `push`, `waitForPush`, `close`, `crash`) with
 * the join's `config` as Realtime read it, the presence key and the client's
 * current access token.
 *
 * @example
 * ```ts
 * const channel = await realtime.waitForJoin('room1');
 * expect(channel.config.broadcast).toEqual({ self: false, ack: false });
 * const push = await channel.waitForPush('broadcast');
 * ```
 */
export class SupabaseChannel extends PhoenixChannel {
  readonly #realtime: RealtimeState;

  /** @internal Made by the kit, one per join. */
  constructor(init: PhoenixChannelInit, realtime: RealtimeState) {
    super(init);
    this.#realtime = realtime;
    brand.mark(this);
  }

  /** True for a Realtime channel from this copy of wsmock or another (every one is a {@link PhoenixChannel} too). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brand.test(value);
  }

  /**
   * Accepts a held join (`joins: { name: 'manual' }`): the client gets what
   * Realtime answers, `{ postgres_changes }` with their ids, unless you pass
   * another response.
   */
  override ok(response: unknown = { postgres_changes: this.#realtime.config.postgres_changes }): Promise<void> {
    return super.ok(response);
  }

  /** The channel's name, as the client gave it to `supabase.channel(name)`: the topic without `realtime:`. */
  get name(): string {
    return this.topic.replace(/^realtime:/i, '');
  }

  /** The join's `config` as Realtime read it, its postgres_changes with the ids the reply gave them. */
  get config(): SupabaseJoinConfig {
    return this.#realtime.config;
  }

  /** The key this channel's presence is tracked under: `config.presence.key`, or a UUID Realtime made up. */
  get presenceKey(): string {
    return this.#realtime.presenceKey;
  }

  /** The client's access token now: the join's `access_token` (else its API key), then each `access_token` push's. */
  get accessToken(): string | undefined {
    return this.#realtime.accessToken;
  }
}
