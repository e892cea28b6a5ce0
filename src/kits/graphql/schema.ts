//
// The zod schemas the GraphQL kit is defined with: the declarative fields
// (config files, admin API) and the in-process forms of the fields that take
// functions, checked at compile time against the documented interfaces in
// types.ts. `path`, `maxConnections` and `maxMessageSize` are the seam's
// (the kit takes those endpoint fields).
//
import { checkJsonTemplates, duration, orFunction, z, type MockConfigBase } from '../../kit/index.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import type { GraphQLMockFields } from './fields.js';
import type { ConnectionInitHandler, GraphQLMockConfig, OperationHandler } from './types.js';

const graphQLError = z.looseObject({ message: z.string({ error: 'must be a string (every GraphQL error has a "message")' }) });
const errors = z.array(graphQLError).min(1, 'must list at least one error');

const operation = z
  .strictObject({
    data: z.unknown().optional(),
    errors: errors.optional(),
    next: z.array(z.unknown()).min(1, 'must list at least one result').optional(),
    interval: duration.optional(),
    complete: z.boolean().optional(),
    error: errors.optional(),
  })
  .check((ctx) => {
    const o = ctx.value;
    const problem = (path: string, message: string) => ctx.issues.push({ code: 'custom', path: path ? [path] : [], message, input: o });
    const single = o.data !== undefined || o.errors !== undefined;
    if (o.error !== undefined && (single || o.next !== undefined)) problem('error', 'cannot be combined with "data", "errors" or "next"');
    else if (single && o.next !== undefined) problem('next', 'cannot be combined with "data"/"errors" (one result): list every result in "next"');
    else if (!single && o.next === undefined && o.error === undefined && o.complete === undefined) {
      problem('', 'needs "data", "errors", "next", "error" or "complete"');
    }
    if (o.interval !== undefined && o.next === undefined) problem('interval', 'is only used with "next"');
    for (const bad of checkJsonTemplates(o)) {
      ctx.issues.push({ code: 'custom', path: bad.path, message: `is not a valid template: ${bad.message}`, input: o });
    }
  });

const connectionInit = z.union(
  [
    z.boolean(),
    z.strictObject({
      require: z.array(z.string()).optional(),
      values: z.record(z.string(), z.unknown()).optional(),
      ackPayload: z.record(z.string(), z.unknown()).optional(),
    }),
  ],
  { error: 'must be true, false or { require?, values?, ackPayload? }' },
);

/** The declarative fields of a GraphQL mock (JSON values only), besides the seam's. */
export const graphqlSchema = z.object({
  connectionInit: connectionInit.optional(),
  operations: z.record(z.string().min(1, 'operation names must not be empty'), operation).optional(),
  keepAlive: duration.optional(),
  connectionInitWaitTimeout: duration.optional(),
});

/** The fields whose in-process form differs: functions deciding per payload, per operation. */
export const graphqlInProcess = {
  connectionInit: orFunction<typeof connectionInit, ConnectionInitHandler>(connectionInit).optional(),
  operations: z.record(z.string().min(1, 'operation names must not be empty'), orFunction<typeof operation, OperationHandler>(operation)).optional(),
};

/** The WebSocket endpoint fields the kit takes, with their WebSocket meaning. */
export const GRAPHQL_ENDPOINT_FIELDS = ['maxConnections', 'maxMessageSize'] as const;

// Compile-time proof that the schemas and the documented interfaces agree.
type SeamFields = 'path' | (typeof GRAPHQL_ENDPOINT_FIELDS)[number];
export type _GraphQLFieldsAgree = Assert<Same<keyof z.input<typeof graphqlSchema> | SeamFields, keyof GraphQLMockFields>>;
export type _GraphQLConfigAgrees = Assert<Same<keyof z.input<typeof graphqlSchema> | SeamFields | keyof MockConfigBase, keyof GraphQLMockConfig>>;
