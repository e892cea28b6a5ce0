//
// The postgres_changes subscriptions of one join, as Realtime makes them:
// each entry of `config.postgres_changes` gets an id (a hash of the entry,
// which the join reply echoes and every change names in `ids`), and is read
// into (event, schema, table, filter, select). An entry Realtime cannot read
// makes the whole channel's subscription fail with a `system` message, and
// the channel still joins.
//
import { canonicalJson } from '../../../util/canonicalJson.js';
import { likePattern, parseFilter, recordMatches, type FilterCondition } from './filter.js';

/** The change kinds, as `eventType` names them. */
export const CHANGE_EVENTS: readonly PostgresChangeEvent[] = ['INSERT', 'UPDATE', 'DELETE'];

/** A change's kind, as `eventType` names it. */
export type PostgresChangeEvent = 'INSERT' | 'UPDATE' | 'DELETE';

/** One subscription, read. */
export interface Subscription {
  /** The id the join reply gave it. */
  readonly id: number;
  /** `*` or one change kind. */
  readonly action: '*' | PostgresChangeEvent;
  /** `*` or a LIKE pattern of schema names. */
  readonly schema: string;
  /** `*` or a LIKE pattern of table names. */
  readonly table: string;
  readonly conditions: readonly FilterCondition[];
  /** The columns a change carries (`select`), or all. */
  readonly select: readonly string[] | undefined;
}

/** The subscriptions of a join: the reply's entries, and what they match (or why none does). */
export interface JoinSubscriptions {
  /** `config.postgres_changes` as the join reply gives it back: each entry with its `id`. */
  readonly reply: readonly Record<string, unknown>[];
  /** The subscriptions, when every entry could be read. */
  readonly subscriptions: readonly Subscription[];
  /** Realtime's message for the first entry it could not read; then no change reaches the channel. */
  readonly error: string | undefined;
}

/**
 * A 27-bit hash of a JSON value, the same for equal values whatever their
 * keys' order: the kind of id Realtime (`:erlang.phash2`) gives a
 * subscription, so two equal entries share it as they do there.
 */
export function subscriptionId(value: unknown): number {
  const text = canonicalJson(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & 0x7ffffff;
}

/** Elixir's `inspect` of a map, roughly: Realtime quotes the params it could not read this way. */
function inspectParams(params: unknown): string {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return JSON.stringify(params) ?? 'nil';
  const entries = Object.entries(params).map(([key, value]) => `${JSON.stringify(key)} => ${value === null ? 'nil' : JSON.stringify(value)}`);
  return `%{${entries.join(', ')}}`;
}

function actionOf(event: unknown): '*' | PostgresChangeEvent {
  if (typeof event !== 'string') return '*';
  const upper = event.toUpperCase();
  return (CHANGE_EVENTS as readonly string[]).includes(upper) ? (upper as PostgresChangeEvent) : '*';
}

const NO_PARAMS = 'No subscription params provided. Please provide at least a `schema` or `table` to subscribe to: ';

/** One entry read as `parse_subscription_params` reads it. */
export function readSubscription(params: unknown, id: number): Subscription | { error: string } {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { error: NO_PARAMS + inspectParams(params) };
  const entry = params as Record<string, unknown>;
  let select: string[] | undefined;
  if (typeof entry.select === 'string') return { error: 'Error parsing `select` params: expected a list of column name strings, e.g. select: ["col1", "col2"]' };
  if (Array.isArray(entry.select)) {
    const columns = entry.select.filter((column): column is string => typeof column === 'string');
    select = columns.length > 0 ? columns : undefined;
  }
  const has = (key: string) => Object.hasOwn(entry, key);
  const { schema, table, filter } = entry;
  let target: { schema: string; table: string; conditions: readonly FilterCondition[] };
  if (typeof schema === 'string' && typeof table === 'string' && typeof filter === 'string') {
    const parsed = parseFilter(filter);
    if ('error' in parsed) return parsed;
    target = { schema, table, conditions: parsed.conditions };
  } else if (typeof schema === 'string' && typeof table === 'string' && !has('filter')) target = { schema, table, conditions: [] };
  else if (typeof schema === 'string' && !has('table') && !has('filter')) target = { schema, table: '*', conditions: [] };
  else if (typeof table === 'string' && !has('schema') && !has('filter')) target = { schema: 'public', table, conditions: [] };
  else if (has('user_token') || has('auth_token')) return { error: `${NO_PARAMS}<redacted>` };
  else return { error: NO_PARAMS + inspectParams(params) };
  if (select && (target.schema === '*' || target.table === '*')) {
    return { error: 'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.' };
  }
  return { id, action: actionOf(entry.event), ...target, select };
}

/** Reads `config.postgres_changes` of a join (null entries dropped, as Realtime drops them). */
export function joinSubscriptions(entries: unknown): JoinSubscriptions {
  const list = Array.isArray(entries) ? entries.filter((entry) => entry !== null && entry !== undefined) : [];
  const reply: Record<string, unknown>[] = [];
  const subscriptions: Subscription[] = [];
  let error: string | undefined;
  for (const entry of list) {
    const id = subscriptionId(entry);
    reply.push(typeof entry === 'object' && !Array.isArray(entry) ? { ...(entry as object), id } : { id });
    const read = readSubscription(entry, id);
    if ('error' in read) error ??= read.error;
    else subscriptions.push(read);
  }
  return { reply, subscriptions: error === undefined ? subscriptions : [], error };
}

/** A change as the mock emits it (validated). */
export interface Change {
  readonly schema: string;
  readonly table: string;
  readonly eventType: PostgresChangeEvent;
  readonly new: Readonly<Record<string, unknown>>;
  readonly old: Readonly<Record<string, unknown>>;
}

function nameMatches(pattern: string, name: string): boolean {
  return pattern === '*' || (pattern.includes('%') || pattern.includes('_') ? likePattern(pattern).test(name) : pattern === name);
}

/**
 * Whether a change reaches a subscription: its event, schema and table, then
 * its filter against the new row (the old one too for a DELETE).
 */
export function changeMatches(subscription: Subscription, change: Change): boolean {
  if (subscription.action !== '*' && subscription.action !== change.eventType) return false;
  if (!nameMatches(subscription.schema, change.schema) || !nameMatches(subscription.table, change.table)) return false;
  if (subscription.conditions.length === 0) return true;
  if (change.eventType === 'DELETE') return recordMatches(subscription.conditions, change.old);
  return recordMatches(subscription.conditions, change.new);
}
