//
// The `query`, `headers` and `predicate` filters of `waitForConnection`:
// parallel tests sharing one server each take their own client, told apart by
// a query parameter or a header. The options are checked where the wait is
// made, and the filter names itself in the wait's timeout message.
//
import { invalidArgument } from '../errors.js';
import type { Connection } from './Connection.js';

/** The `query`, `headers` and `predicate` options of `waitForConnection`, as given. */
export interface ArrivalFilterOptions {
  /** Only connections for which this returns true. */
  predicate?: ((connection: Connection) => boolean) | undefined;
  /** Query parameters the handshake must carry, with these values. */
  query?: Readonly<Record<string, string>> | undefined;
  /** Request headers the handshake must carry, with these values; names are case-insensitive. */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** A checked filter: whether a connection passes it, and how the timeout message names it. */
export interface ArrivalFilter {
  /** True when the connection carries every parameter and header asked for. */
  readonly test: (connection: Connection) => boolean;
  /** `with query worker=1 and header x-tenant: a`, for the timeout message. */
  readonly description: string;
}

/**
 * Checks the `query`, `headers` and `predicate` options and compiles them
 * into one filter, or undefined when none is given. Throws
 * `WSMOCK_ERR_INVALID_ARGUMENT` naming the field (for `query.worker`: "must
 * be a string") for anything but an object of strings, or a predicate that
 * is no function.
 */
export function compileArrivalFilter(options: ArrivalFilterOptions): ArrivalFilter | undefined {
  const query = entriesOf('query', options.query);
  // Node gives the request's header names in lower case.
  const headers = entriesOf('headers', options.headers).map(([name, value]) => [name.toLowerCase(), value] as const);
  const { predicate } = options;
  if (predicate !== undefined && typeof predicate !== 'function') throw invalidArgument(`predicate must be a function of the connection, got ${show(predicate)}`);
  if (query.length === 0 && headers.length === 0 && !predicate) return undefined;
  const parts = [
    ...query.map(([name, value]) => `query ${name}=${JSON.stringify(value)}`),
    ...headers.map(([name, value]) => `header ${name}: ${JSON.stringify(value)}`),
  ];
  const described = [parts.length > 0 ? `with ${parts.join(' and ')}` : undefined, predicate ? 'matching the predicate' : undefined];
  return {
    test: (connection) =>
      query.every(([name, value]) => connection.query[name] === value) &&
      headers.every(([name, value]) => headerValue(connection.headers[name]) === value) &&
      (predicate?.(connection) ?? true),
    description: described.filter((part) => part !== undefined).join(' '),
  };
}

/** A header as one string: a repeated header's values joined as HTTP joins them. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function entriesOf(field: 'query' | 'headers', value: unknown): [string, string][] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument(`${field} must be an object of strings (name → value), got ${show(value)}`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [name, item] of entries) {
    if (typeof item !== 'string') throw invalidArgument(`${field}.${name} must be a string, got ${show(item)}`);
  }
  return entries as [string, string][];
}

function show(value: unknown): string {
  return Array.isArray(value) ? 'an array' : (JSON.stringify(value) ?? String(value));
}
