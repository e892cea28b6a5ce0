//
// Supabase Realtime as a flavour of the Phoenix kit: how RealtimeChannel
// answers joins (`realtime:` topics, the postgres_changes ids), what it does
// with the client's pushes (broadcast, presence, access_token; anything else
// is ignored, as Realtime logs and drops it), the system message after a
// join, and presence tracked per channel and dropped when the channel ends.
//
import { randomOf } from '../../../kit/index.js';
import type { PhoenixFlavour } from '../flavour.js';
import type { PhoenixChannel, PhoenixChannelInit } from '../PhoenixChannel.js';
import type { PhoenixPush } from '../PhoenixPush.js';
import type { PhoenixState } from '../state.js';
import { broadcastSize, decodeUserBroadcastPush, fanOut } from './broadcast.js';
import { changeData, type CheckedChange } from './changes.js';
import { joinAccessToken, readJoinConfig } from './joinConfig.js';
import type { SupabaseJoinRule } from './types.js';
import { RealtimeState, SupabaseChannel } from './SupabaseChannel.js';
import { changeMatches } from './subscriptions.js';

/** Realtime's default `max_payload_size_in_kb`. */
export const DEFAULT_MAX_PAYLOAD_KB = 3000;

/** What a Supabase mock keeps across its versions: its joined channels. */
export class SupabaseState {
  /** The channels joined now, with Realtime's side of each. */
  readonly joined = new Map<SupabaseChannel, RealtimeState>();
  /** Realtime's side of every channel made (joined or not yet). */
  readonly realtime = new WeakMap<PhoenixChannel, RealtimeState>();
  /** The clock of `commit_timestamp` (the server's). */
  now: () => Date = () => new Date();
}

const states = new WeakMap<PhoenixState, SupabaseState>();

/** The Supabase state of a mock, kept beside its Phoenix state. */
export function supabaseStateOf(phoenix: PhoenixState): SupabaseState {
  let state = states.get(phoenix);
  if (!state) {
    state = new SupabaseState();
    states.set(phoenix, state);
  }
  return state;
}

/** A channel name pattern: `*` matches any text. */
function namePattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** Realtime's answer to a join it accepts. */
function joinReply(realtime: RealtimeState | undefined): { postgres_changes: readonly unknown[] } {
  return { postgres_changes: realtime?.config.postgres_changes ?? [] };
}

const TOPIC_REQUIRED = { reason: 'TopicNameRequired: You must provide a topic name' };
const UNMATCHED = { reason: 'unmatched topic' };
const PRESENCE_NOT_A_MAP = { reason: 'Presence track payload must be a map' };

/**
 * What a failed write of the flavour comes to: the connection is closing,
 * which its close reports (`server.on('error')` would only repeat it).
 */
function closing(_err: unknown): void {}

/** Realtime's `system` message on a channel. */
function system(channel: PhoenixChannel, extension: string, status: 'ok' | 'error', message: string): void {
  const name = channel.topic.replace(/^realtime:/i, '');
  channel.push('system', { extension, status, message, channel: name }).catch(closing);
}

/** Closes a channel as Realtime's `shutdown_response` does: a system error, then phx_close. */
function shutdown(channel: PhoenixChannel, message: string): void {
  system(channel, 'system', 'error', message);
  channel.close().catch(closing);
}

/** The flavour of one version of a Supabase mock. */
export function supabaseFlavour(options: { maxPayloadKb?: number | undefined; joins?: Record<string, SupabaseJoinRule> | undefined }, phoenix: PhoenixState): PhoenixFlavour {
  const supabase = supabaseStateOf(phoenix);
  const rules = Object.entries(options.joins ?? {}).map(([pattern, rule]) => ({ regex: namePattern(pattern), rule }));
  const maxPayload = (options.maxPayloadKb ?? DEFAULT_MAX_PAYLOAD_KB) * 1000 + 500;

  const untrack = (channel: PhoenixChannel, realtime: RealtimeState): void => {
    if (realtime.presenceRef === undefined) return;
    phoenix.presence(channel.topic).untrack(realtime.presenceKey, realtime.presenceRef);
    realtime.presenceRef = undefined;
    realtime.tracked = undefined;
  };

  const presence = (push: PhoenixPush, channel: PhoenixChannel, realtime: RealtimeState): void => {
    const payload = push.payload as Record<string, unknown> | null;
    const event = typeof payload?.event === 'string' ? payload.event.toLowerCase() : undefined;
    if (event === undefined) {
      push.reply('ok').catch(closing);
      return;
    }
    if (event === 'untrack') {
      untrack(channel, realtime);
      push.reply('ok').catch(closing);
      return;
    }
    if (event !== 'track') {
      push.reply('error').catch(closing);
      return;
    }
    const meta = payload?.payload ?? {};
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      push.reply('error', PRESENCE_NOT_A_MAP).catch(closing);
      return;
    }
    const text = JSON.stringify(meta);
    if (Buffer.byteLength(text) > maxPayload) {
      shutdown(channel, 'Track message size exceeded');
      return;
    }
    if (text !== realtime.tracked) {
      untrack(channel, realtime);
      const topic = phoenix.presence(channel.topic);
      topic.track(realtime.presenceKey, meta as Record<string, unknown>);
      realtime.presenceRef = topic.list()[realtime.presenceKey]?.metas.at(-1)?.phx_ref;
      realtime.tracked = text;
    }
    push.reply('ok').catch(closing);
  };

  const broadcast = (push: PhoenixPush, channel: PhoenixChannel, realtime: RealtimeState): void => {
    const { ack, self } = realtime.config.broadcast;
    if (typeof push.payload !== 'object' || push.payload === null || Array.isArray(push.payload)) {
      // Realtime's dispatcher raises on a payload that is not a map: the sender's channel crashes.
      channel.crash().catch(closing);
      return;
    }
    if (broadcastSize(push.payload) > maxPayload) {
      if (ack) push.reply('error', 'payload_size_exceeded').catch(closing);
      return;
    }
    fanOut(phoenix, channel.topic, push.payload, { from: channel, self });
    if (ack) push.reply('ok').catch(closing);
  };

  return {
    channel(init: PhoenixChannelInit): PhoenixChannel {
      const { config, subscriptions, legacy } = readJoinConfig(init.payload, init.topic);
      const connection = init.connection;
      const realtime = new RealtimeState({
        config,
        subscriptions,
        legacy,
        presenceKey: config.presence.key !== '' ? config.presence.key : randomOf(connection).uuid(),
        accessToken: joinAccessToken(init.payload, connection.query.apikey ?? headerKey(connection.headers['x-api-key'])),
      });
      // Realtime sends a presence-enabled join the topic's presence_state, empty or not.
      if (config.presence.enabled && init.topic.startsWith('realtime:') && init.topic !== 'realtime:') phoenix.presence(init.topic);
      const channel = new SupabaseChannel(init, realtime);
      supabase.realtime.set(channel, realtime);
      return channel;
    },
    join(channel) {
      if (channel.topic === 'realtime:') return { status: 'error', response: TOPIC_REQUIRED };
      if (!channel.topic.startsWith('realtime:')) return { status: 'error', response: UNMATCHED };
      const name = channel.topic.slice('realtime:'.length);
      const rule = rules.find(({ regex }) => regex.test(name))?.rule;
      if (rule === 'manual') return 'manual';
      if (rule === 'unauthorized') return { status: 'error', response: { reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${name}` } };
      if (rule !== undefined) return { status: 'error', response: { reason: rule.reason } };
      return { status: 'ok', response: joinReply(supabase.realtime.get(channel)) };
    },
    joined(channel) {
      const realtime = supabase.realtime.get(channel);
      if (!realtime || !(channel instanceof SupabaseChannel)) return;
      supabase.joined.set(channel, realtime);
      if (realtime.subscriptions.reply.length === 0) return;
      if (realtime.subscriptions.error !== undefined) system(channel, 'postgres_changes', 'error', realtime.subscriptions.error);
      else system(channel, 'postgres_changes', 'ok', 'Subscribed to PostgreSQL');
    },
    ended(channel) {
      const realtime = supabase.realtime.get(channel);
      if (!realtime) return;
      supabase.joined.delete(channel as SupabaseChannel);
      untrack(channel, realtime);
    },
    push(push, channel) {
      const realtime = supabase.realtime.get(channel);
      if (!realtime) return false;
      if (push.event === 'broadcast') broadcast(push, channel, realtime);
      else if (push.event === 'presence') presence(push, channel, realtime);
      else if (push.event === 'access_token') {
        const token = (push.payload as Record<string, unknown> | null)?.access_token;
        if (typeof token === 'string' && !token.startsWith('sb_')) realtime.accessToken = token;
      }
      // Any other event Realtime logs and ignores: no reply.
      return true;
    },
    decodeBinary: decodeUserBroadcastPush,
  };
}

function headerKey(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sends a database change to every joined channel with a subscription it
 * matches: one `postgres_changes` message per channel (per `select` of its
 * subscriptions), naming the ids it matched; to a join without `config`, an
 * event named for the change's type with its data. Returns the channels reached.
 */
export function deliverChange(phoenix: PhoenixState, change: CheckedChange): number {
  const supabase = supabaseStateOf(phoenix);
  let reached = 0;
  for (const [channel, realtime] of supabase.joined) {
    const groups = new Map<string, { select: readonly string[] | undefined; ids: number[] }>();
    for (const subscription of realtime.subscriptions.subscriptions) {
      if (!changeMatches(subscription, change)) continue;
      const key = subscription.select?.join(',') ?? '';
      const group = groups.get(key) ?? { select: subscription.select, ids: [] };
      if (!group.ids.includes(subscription.id)) group.ids.push(subscription.id);
      groups.set(key, group);
    }
    if (groups.size === 0) continue;
    const session = phoenix.session(channel.connection);
    for (const { select, ids } of groups.values()) {
      const data = changeData(change, select, supabase.now);
      const message = realtime.legacy ? { event: change.eventType, payload: data } : { event: 'postgres_changes', payload: { ids, data } };
      session.send({ joinRef: null, ref: null, topic: channel.topic, ...message }).catch(closing);
    }
    reached++;
  }
  return reached;
}
