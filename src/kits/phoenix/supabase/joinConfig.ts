//
// The `config` of a Realtime join (`supabase.channel(name, { config })`),
// read as Realtime reads it: booleans that may come as "true"/"false" text,
// a presence key (Realtime makes one up when the client names none), and
// the postgres_changes entries with the ids the join reply gives them.
//
import { joinSubscriptions, type JoinSubscriptions } from './subscriptions.js';

/** One postgres_changes entry of a join, as the client sent it, with the id Realtime gave it. */
export type PostgresChangesEntry = Record<string, unknown> & {
  /** The subscription's id: every change for it names it in `ids`. */
  id: number;
};

/** A join's `config.broadcast`, read as Realtime reads it. */
export interface SupabaseBroadcastConfig {
  /** The sender gets its own broadcasts. */
  readonly self: boolean;
  /** The server acknowledges each broadcast with an `ok` reply. */
  readonly ack: boolean;
}

/** A join's `config.presence`, read as Realtime reads it. */
export interface SupabasePresenceConfig {
  /** What this client's presence is tracked under, as sent (`''` for none; the channel's `presenceKey` is the one in use). */
  readonly key: string;
  /** The client receives presence (`presence_state` after the join). */
  readonly enabled: boolean;
}

/** A join's `config`, read as Realtime reads it. */
export interface SupabaseJoinConfig {
  /** Whether the sender gets its own broadcasts, and whether each is acknowledged. */
  readonly broadcast: SupabaseBroadcastConfig;
  /** The presence key, and whether the client receives presence. */
  readonly presence: SupabasePresenceConfig;
  /** The postgres_changes subscriptions, with their ids (what the join reply carries). */
  readonly postgres_changes: readonly PostgresChangesEntry[];
  /** A private channel (RLS-authorised on a real project; the mock authorises everyone). */
  readonly private: boolean;
}

/** FlexibleBoolean: true, false, or their text in any case; anything else is false. */
function flag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * A join without `config` is Realtime's first API: the topic names what it
 * listens to (`realtime:schema`, `realtime:schema:table`,
 * `realtime:schema:table:filter`).
 */
function topicSubscription(topic: string): Record<string, string> {
  const [schema = '', table, filter] = splitTopic(topic.replace(/^realtime:/i, ''));
  return { schema, ...(table !== undefined ? { table } : {}), ...(filter !== undefined ? { filter } : {}) };
}

/** `String.split(":", parts: 3)`. */
function splitTopic(subtopic: string): string[] {
  const first = subtopic.indexOf(':');
  if (first === -1) return [subtopic];
  const second = subtopic.indexOf(':', first + 1);
  if (second === -1) return [subtopic.slice(0, first), subtopic.slice(first + 1)];
  return [subtopic.slice(0, first), subtopic.slice(first + 1, second), subtopic.slice(second + 1)];
}

/**
 * The config of a join payload, and its subscriptions read; `legacy` for a
 * join without `config`, whose subscription is its topic's and whose
 * changes come as events named for their type.
 */
export function readJoinConfig(payload: unknown, topic: string): { config: SupabaseJoinConfig; subscriptions: JoinSubscriptions; legacy: boolean } {
  const legacy = field(payload, 'config') === undefined;
  const config = field(payload, 'config');
  const broadcast = field(config, 'broadcast');
  const presence = field(config, 'presence');
  const key = field(presence, 'key');
  const subscriptions = joinSubscriptions(legacy ? [topicSubscription(topic)] : field(config, 'postgres_changes'));
  return {
    legacy,
    config: {
      broadcast: { self: flag(field(broadcast, 'self')), ack: flag(field(broadcast, 'ack')) },
      presence: { key: typeof key === 'string' ? key : '', enabled: flag(field(presence, 'enabled')) },
      postgres_changes: subscriptions.reply as PostgresChangesEntry[],
      private: flag(field(config, 'private')),
    },
    subscriptions,
  };
}

/** The access token of a join: its `access_token` (or `user_token`), else the socket's API key. */
export function joinAccessToken(payload: unknown, apikey: string | undefined): string | undefined {
  const token = field(payload, 'access_token') ?? field(payload, 'user_token');
  if (typeof token === 'string' && !token.startsWith('sb_')) return token;
  return apikey;
}
