//
// The `filter` of a postgres_changes subscription, read and applied as
// Supabase Realtime does: `column=op.value` conditions joined by commas (all
// must hold), `not.` negating one, `in.(a,b)` lists, PostgREST-style quoting
// of values holding `,()"\`. The server compares in SQL with the column's
// type; without a database the mock types a value by what it is in the
// record (a number compares as a number, a boolean as a boolean, text as
// text), and NULL matches nothing but `is` and `isdistinct`, as in SQL.
//
import { canonicalJson } from '../../../util/canonicalJson.js';

/** The operators Realtime accepts in a filter. */
export const FILTER_OPERATORS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct'] as const;

/** One operator of {@link FILTER_OPERATORS}. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One `column=op.value` condition. */
export interface FilterCondition {
  readonly column: string;
  readonly op: FilterOperator;
  /** The value, unquoted; for `in`, its items. */
  readonly value: string | readonly string[];
  /** `not.` before the operator. */
  readonly negate: boolean;
}

/** A parsed filter, or Realtime's message for one it cannot read. */
export type ParsedFilter = { readonly conditions: readonly FilterCondition[] } | { readonly error: string };

/** Elixir's `inspect` of a list of strings, which Realtime puts in its parse errors. */
function inspectList(parts: readonly string[]): string {
  return `[${parts.map((part) => JSON.stringify(part)).join(', ')}]`;
}

/**
 * Splits on the commas outside parentheses and quotes, as Realtime does: a
 * quote opens only after `.`, `(` or `,`, and `\` escapes inside quotes.
 */
function splitTopLevel(filter: string): string[] {
  const segments: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  let previous = '';
  for (let i = 0; i < filter.length; i++) {
    const char = filter[i]!;
    if (quoted) {
      if (char === '\\' && i + 1 < filter.length) {
        current += char + filter[++i];
        previous = filter[i]!;
        continue;
      }
      if (char === '"') quoted = false;
      current += char;
      previous = char;
      continue;
    }
    if (char === '"' && (previous === '.' || previous === '(' || previous === ',')) quoted = true;
    else if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      segments.push(current);
      current = '';
      previous = '';
      continue;
    }
    current += char;
    previous = char;
  }
  segments.push(current);
  return segments;
}

/** A value wrapped in double quotes, unescaped; anything else as it is. */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && i + 1 < value.length) out += value[++i];
    else if (char === '"') return i === value.length - 1 ? out : value;
    else out += char;
  }
  return value;
}

/** The items of `(a,"b,c")`: split on commas outside quotes, each unquoted. */
function listItems(inner: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i]!;
    if (quoted && char === '\\' && i + 1 < inner.length) {
      current += char + inner[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      items.push(unquote(current.trim()));
      current = '';
      continue;
    }
    current += char;
  }
  items.push(unquote(current.trim()));
  return items;
}

function parseSegment(segment: string): FilterCondition | { error: string } {
  const trimmed = segment.trim();
  if (trimmed === '') return { error: 'filter must not contain empty segments (check for extra commas)' };
  const eq = trimmed.indexOf('=');
  if (eq === -1) return { error: inspectList([trimmed]) };
  const column = trimmed.slice(0, eq);
  let rest = trimmed.slice(eq + 1);
  const negate = rest.startsWith('not.');
  if (negate) rest = rest.slice(4);
  const dot = rest.indexOf('.');
  if (dot === -1) return { error: inspectList([rest]) };
  const op = rest.slice(0, dot);
  const value = rest.slice(dot + 1);
  if (!(FILTER_OPERATORS as readonly string[]).includes(op)) return { error: inspectList([op, value]) };
  if (op === 'in') {
    if (value.length < 2 || !value.startsWith('(') || !value.endsWith(')')) return { error: '`in` filter value must be wrapped by parentheses' };
    return { column, op, value: listItems(value.slice(1, -1)), negate };
  }
  return { column, op: op as FilterOperator, value: unquote(value), negate };
}

/**
 * Reads a filter as Realtime does; an empty or blank filter is no condition.
 * A filter it cannot read gives Realtime's message (`Error parsing \`filter\`
 * params: ["foo", "hey"]`).
 */
export function parseFilter(filter: string): ParsedFilter {
  const trimmed = filter.trim();
  if (trimmed === '') return { conditions: [] };
  const conditions: FilterCondition[] = [];
  for (const segment of splitTopLevel(trimmed)) {
    const parsed = parseSegment(segment);
    if ('error' in parsed) return { error: `Error parsing \`filter\` params: ${parsed.error}` };
    conditions.push(parsed);
  }
  return { conditions };
}

// ---- matching ----

/** True, false, or null: SQL's three values (null also when the literal does not cast to the column's type). */
type Truth = boolean | null;

const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);

/** The literal cast to the type of `sample`, as Postgres casts it to the column's; undefined when it does not cast. */
function castLike(sample: unknown, literal: string): unknown {
  if (typeof sample === 'number' || typeof sample === 'bigint') {
    const number = literal.trim() === '' ? NaN : Number(literal);
    return Number.isNaN(number) ? undefined : number;
  }
  if (typeof sample === 'boolean') {
    const word = literal.trim().toLowerCase();
    return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
  }
  if (typeof sample === 'object') {
    try {
      return JSON.parse(literal) as unknown;
    } catch {
      return undefined;
    }
  }
  return literal;
}

/** -1, 0 or 1; null when the two are not ordered (JSON documents). */
function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'object' || typeof b === 'object') return canonicalJson(a) === canonicalJson(b) ? 0 : null;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const [x, y] = [Number(a), Number(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [x, y] = [a as string | number | boolean, b as string | number | boolean];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A LIKE pattern (`%`, `_`, `\` escaping the next character) as an anchored RegExp. */
export function likePattern(pattern: string, flags = ''): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (char === '%') source += '[\\s\\S]*';
    else if (char === '_') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, flags);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The text of a column value, as `#>> '{}'` gives it. */
function textOf(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function ordered(op: FilterOperator, order: number | null): Truth {
  if (order === null) return op === 'neq' ? true : op === 'eq' ? false : null;
  switch (op) {
    case 'eq':
      return order === 0;
    case 'neq':
      return order !== 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    case 'gt':
      return order > 0;
    default:
      return order >= 0;
  }
}

function regexTruth(pattern: () => RegExp, value: unknown): Truth {
  try {
    return pattern().test(textOf(value));
  } catch {
    return null;
  }
}

/** One condition against one column value (present in the record). */
function holds(condition: FilterCondition, value: unknown): Truth {
  const { op } = condition;
  const literal = condition.value as string;
  if (op === 'is') {
    const truth = literal === 'null' || literal === 'unknown' ? value === null : literal === 'true' ? value === true : literal === 'false' ? value === false : null;
    return truth === null ? null : condition.negate ? !truth : truth;
  }
  if (op === 'isdistinct') {
    const cast = value === null ? undefined : castLike(value, literal);
    if (value !== null && cast === undefined) return null;
    const distinct = value === null || compare(value, cast) !== 0;
    return condition.negate ? !distinct : distinct;
  }
  if (value === null || value === undefined) return null;
  let truth: Truth;
  if (op === 'in') {
    const items = (condition.value as readonly string[]).map((item) => castLike(value, item));
    if (items.some((item) => item === undefined)) return null;
    truth = items.some((item) => compare(value, item) === 0);
  } else if (op === 'like' || op === 'ilike') {
    truth = regexTruth(() => likePattern(literal, op === 'ilike' ? 'i' : ''), value);
  } else if (op === 'match' || op === 'imatch') {
    truth = regexTruth(() => new RegExp(literal, op === 'imatch' ? 'i' : ''), value);
  } else {
    const cast = castLike(value, literal);
    if (cast === undefined) return null;
    truth = ordered(op, compare(value, cast));
  }
  return truth === null ? null : condition.negate ? !truth : truth;
}

/**
 * Whether a record passes every condition, as `is_visible_through_filters`
 * decides: a condition on a column the record does not have fails, and so
 * does one whose answer is NULL.
 */
export function recordMatches(conditions: readonly FilterCondition[], record: Readonly<Record<string, unknown>> | null | undefined): boolean {
  if (conditions.length === 0) return true;
  if (!record) return false;
  return conditions.every((condition) => Object.hasOwn(record, condition.column) && holds(condition, record[condition.column]) === true);
}
