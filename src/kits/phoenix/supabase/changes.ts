//
// A database change as the test emits it (`mock.postgresChange()`), checked
// where it enters, and the `data` Realtime sends for it: the row as
// `record` / `old_record`, the `columns` with their Postgres types (which
// realtime-js uses to convert values), `commit_timestamp`, `errors`.
//
import { invalidArgument } from '../../../kit/index.js';
import { CHANGE_EVENTS, type Change, type PostgresChangeEvent } from './subscriptions.js';

/** A column of a change, as Realtime describes it. */
export interface PostgresColumn {
  /** The column's name. */
  name: string;
  /** Its Postgres type (`int8`, `text`, `bool`, `jsonb`, `timestamptz`, …). */
  type: string;
}

/**
 * A database change for `mock.postgresChange()`: what a row insert, update
 * or delete in `schema.table` would make Realtime send.
 *
 * @example
 * ```ts
 * realtime.postgresChange({ table: 'messages', eventType: 'INSERT', new: { id: 1, body: 'hi' } });
 * ```
 */
export interface PostgresChangeInit {
  /** Default `public`. */
  schema?: string;
  /** The table. */
  table: string;
  /** `INSERT`, `UPDATE` or `DELETE`. */
  eventType: PostgresChangeEvent;
  /** The row after the change (INSERT and UPDATE; required for them). */
  new?: Record<string, unknown>;
  /** The row before it (UPDATE and DELETE; with the default replica identity Realtime sends the primary key only). */
  old?: Record<string, unknown>;
  /** The columns and their Postgres types; default, from the values (number `int8` or `float8`, boolean `bool`, object `jsonb`, else `text`). */
  columns?: PostgresColumn[];
  /** Default: now, ISO 8601. */
  commit_timestamp?: string;
  /** Realtime's `errors` (e.g. `['Error 413: Payload Too Large']`); default none (`null`). */
  errors?: string[] | null;
}

/** A change checked, with what its `data` needs. */
export interface CheckedChange extends Change {
  readonly columns: readonly PostgresColumn[] | undefined;
  readonly commitTimestamp: string | undefined;
  readonly errors: readonly string[] | null;
}

const WHERE = 'postgresChange()';

function isRow(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the test's change where it enters; each problem names its field and rule. */
export function checkChange(init: PostgresChangeInit): CheckedChange {
  if (!isRow(init)) throw invalidArgument(`${WHERE}: the change must be an object { schema?, table, eventType, new?, old? }`);
  const { schema = 'public', table, eventType } = init;
  if (typeof schema !== 'string' || schema === '') throw invalidArgument(`${WHERE}: schema must be a non-empty string (default "public")`);
  if (typeof table !== 'string' || table === '') throw invalidArgument(`${WHERE}: table must be a non-empty string`);
  if (!(CHANGE_EVENTS as readonly unknown[]).includes(eventType)) throw invalidArgument(`${WHERE}: eventType must be "INSERT", "UPDATE" or "DELETE", got ${JSON.stringify(eventType)}`);
  if (eventType !== 'DELETE' && !isRow(init.new)) throw invalidArgument(`${WHERE}: new must be an object (the row) for an ${eventType}`);
  if (init.new !== undefined && !isRow(init.new)) throw invalidArgument(`${WHERE}: new must be an object (the row)`);
  if (eventType === 'DELETE' && !isRow(init.old)) throw invalidArgument(`${WHERE}: old must be an object (the row, or its primary key) for a DELETE`);
  if (init.old !== undefined && !isRow(init.old)) throw invalidArgument(`${WHERE}: old must be an object (the row, or its primary key)`);
  if (init.columns !== undefined && (!Array.isArray(init.columns) || init.columns.some((c) => !isRow(c) || typeof c.name !== 'string' || typeof c.type !== 'string'))) {
    throw invalidArgument(`${WHERE}: columns must be an array of { name, type } with string values`);
  }
  if (init.commit_timestamp !== undefined && typeof init.commit_timestamp !== 'string') throw invalidArgument(`${WHERE}: commit_timestamp must be a string`);
  if (init.errors !== undefined && init.errors !== null && (!Array.isArray(init.errors) || init.errors.some((e) => typeof e !== 'string'))) {
    throw invalidArgument(`${WHERE}: errors must be an array of strings, or null`);
  }
  return {
    schema,
    table,
    eventType,
    new: eventType === 'DELETE' ? {} : init.new!,
    old: eventType === 'INSERT' ? {} : (init.old ?? {}),
    columns: init.columns?.map(({ name, type }) => ({ name, type })),
    commitTimestamp: init.commit_timestamp,
    errors: init.errors ?? null,
  };
}

/** The Postgres type a value suggests. */
function typeOf(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int8' : 'float8';
  if (typeof value === 'bigint') return 'int8';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object' && value !== null) return 'jsonb';
  return 'text';
}

/** The columns of a change: its own, else one per field of its rows, typed by value. */
function columnsOf(change: CheckedChange): PostgresColumn[] {
  if (change.columns) return [...change.columns];
  const types = new Map<string, string>();
  for (const row of [change.new, change.old]) {
    for (const [name, value] of Object.entries(row)) {
      if (!types.has(name) || (types.get(name) === 'text' && value !== null)) types.set(name, typeOf(value));
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

function pick(row: Readonly<Record<string, unknown>>, select: readonly string[] | undefined): Record<string, unknown> {
  if (!select) return { ...row };
  return Object.fromEntries(Object.entries(row).filter(([key]) => select.includes(key)));
}

/**
 * The `data` of a postgres_changes message (keys in Realtime's order), with
 * the row cut to `select`'s columns when the subscription names some.
 */
export function changeData(change: CheckedChange, select: readonly string[] | undefined, now: () => Date): Record<string, unknown> {
  const columns = columnsOf(change).filter((column) => !select || select.includes(column.name));
  const data: Record<string, unknown> = {
    columns,
    commit_timestamp: change.commitTimestamp ?? now().toISOString(),
    errors: change.errors,
  };
  if (change.eventType !== 'INSERT') data.old_record = pick(change.old, select);
  if (change.eventType !== 'DELETE') data.record = pick(change.new, select);
  data.schema = change.schema;
  data.table = change.table;
  data.type = change.eventType;
  return data;
}
