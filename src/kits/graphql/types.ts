//
// The documented shape of a GraphQL mock's in-process config (schema.ts
// validates it); the declarative fields are in fields.ts.
//
import type { MockConfigBase } from '../../kit/index.js';
import type { ConnectionInitSpec, GraphQLMockFields, OperationSpec } from './fields.js';
import type { GraphQLOperation } from './GraphQLOperation.js';

/**
 * What a `connection_init` decides, in-process: `true` (or nothing) accepts,
 * `false` refuses (4403 Forbidden; legacy: `connection_error`), an object
 * accepts and is sent as the `connection_ack` payload. May be async.
 */
export type ConnectionInitHandler = (
  payload: Record<string, unknown> | undefined,
) => boolean | Record<string, unknown> | void | Promise<boolean | Record<string, unknown> | void>;

/** What an in-process operation handler returns: a result (or its `data`), a promise of one, or an async iterable of them; nothing leaves the operation to the test. */
export type OperationHandlerResult = unknown | Promise<unknown> | AsyncIterable<unknown>;

/**
 * An in-process operation handler. Each value of an async iterable is a
 * `next`, then the operation completes; iteration stops when the client
 * completes. Returning `undefined` leaves the operation open for the test
 * (`mock.waitForOperation()`).
 */
export type OperationHandler = (operation: GraphQLOperation) => OperationHandlerResult;

/** The in-process config of `server.graphql()`: the declarative fields, identity, and functions. */
export interface GraphQLMockConfig extends MockConfigBase, Omit<GraphQLMockFields, 'path' | 'connectionInit' | 'operations'> {
  /** Which `connection_init` payloads are accepted: declarative, or a function deciding per payload. */
  connectionInit?: boolean | ConnectionInitSpec | ConnectionInitHandler;
  /** Results by operation name: declarative, or a function per operation. */
  operations?: Record<string, OperationSpec | OperationHandler>;
}

