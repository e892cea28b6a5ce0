//
// The zod schemas of a GraphQL mock: the declarative fields (config files,
// admin API) and the in-process config (functions allowed), checked at compile
// time against the documented interfaces in types.ts.
//
import { z } from 'zod';
import { checkJsonTemplates } from '../../behaviour/jsonTemplates.js';
import { duration, fn, identity, orFunction, pathTemplate, positiveInt } from '../../mocks/schema.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import { validateWith } from '../../mocks/validate.js';
import type { GraphQLMockFields } from './fields.js';
import type { GraphQLMockConfig } from './types.js';

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

function buildSchemas(inProcess: boolean) {
  return {
    path: pathTemplate,
    connectionInit: (inProcess ? orFunction(connectionInit) : connectionInit).optional(),
    operations: z.record(z.string().min(1, 'operation names must not be empty'), inProcess ? orFunction(operation) : operation).optional(),
    keepAlive: duration.optional(),
    connectionInitWaitTimeout: duration.optional(),
    maxConnections: z.int('must be a whole number').nonnegative('must be 0 or more').optional(),
    maxMessageSize: positiveInt('bytes').optional(),
  };
}

/** The declarative fields of a GraphQL mock (JSON values only). */
export const graphqlFields = z.strictObject(buildSchemas(false));
const graphqlConfig = z.strictObject({ ...buildSchemas(true), ...identity });

/** Validates the config of `server.graphql()`; throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field. */
export function validateGraphQLConfig(config: unknown): GraphQLMockConfig {
  return validateWith(graphqlConfig, 'GraphQL mock config', config);
}

// Compile-time proof that the schemas and the documented interfaces agree.
export type _GraphQLFieldsAgree = Assert<Same<keyof z.input<typeof graphqlFields>, keyof GraphQLMockFields>>;
export type _GraphQLConfigAgrees = Assert<Same<keyof z.input<typeof graphqlConfig>, keyof GraphQLMockConfig>>;
