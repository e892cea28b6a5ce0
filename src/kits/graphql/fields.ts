//
// The declarative fields of a GraphQL mock, as config files and the admin API
// write them (JSON values only): the envelope's `graphql`.
//
import type { KitEnvelopeOf } from '../../kit/index.js';
import type { Duration } from '../../util/duration.js';
import type { GraphQLFormattedError } from './protocol.js';

/** The declarative `connectionInit`: which payloads are accepted, and what the ack carries. */
export interface ConnectionInitSpec {
  /** Payload fields that must be present (not null); a payload without one is refused. */
  require?: string[];
  /** Payload fields that must have exactly these values. */
  values?: Record<string, unknown>;
  /** The `connection_ack` payload. */
  ackPayload?: Record<string, unknown>;
}

/**
 * The declarative result of an operation. `data`/`errors` send one result;
 * `next` sends one result per item (an item is the result's `data`, unless it
 * is itself `{ data?, errors?, extensions? }`), `interval` apart; then the
 * operation completes unless `complete: false`. `error` fails the operation
 * with an `error` frame instead. Strings may hold templates: `{{variables.x}}`
 * (the whole string keeps the variable's type), `{{operationName}}`, `{{id}}`,
 * `{{sequence}}`, and every response template variable.
 */
export interface OperationSpec {
  /** One result's `data`. */
  data?: unknown;
  /** One result's `errors` (with or without `data`). */
  errors?: GraphQLFormattedError[];
  /** Several results, in order. */
  next?: unknown[];
  /** Time between two `next` results (default 0). */
  interval?: Duration;
  /** Complete after the last result (default true). */
  complete?: boolean;
  /** Fail the operation with these errors (an `error` frame, no result). */
  error?: GraphQLFormattedError[];
}

/** The fields of a GraphQL mock as config files and the admin API write them. */
export interface GraphQLMockFields {
  /** Required, starts with `/` (default `/graphql` with `server.graphql()`). */
  path: string;
  /** Which `connection_init` payloads are accepted (default: every one). `false` refuses all. */
  connectionInit?: boolean | ConnectionInitSpec;
  /** Results by operation name. */
  operations?: Record<string, OperationSpec>;
  /** Server keep-alive: a `ping` (graphql-transport-ws) or `ka` (legacy) this often after the ack. Default: none. */
  keepAlive?: Duration;
  /** How long a graphql-transport-ws client has to send `connection_init` before 4408 (default 3s, 0 for ever). */
  connectionInitWaitTimeout?: Duration;
  /** Maximum simultaneous connections; more are refused with 503. */
  maxConnections?: number;
  /** The largest frame, bytes (default 1 MiB); larger ones close with 1009. */
  maxMessageSize?: number;
}


/** A GraphQL over WebSocket mock as config files and the admin API write it. */
export type GraphQLEnvelope = KitEnvelopeOf<'graphql', GraphQLMockFields>;
