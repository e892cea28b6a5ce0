//
// The SSE mock's schema: the declarative form (config files, the admin API)
// and the in-process form (`onConnection`). Validated where it enters, naming
// the field and the rule.
//
import { z } from 'zod';
import { checkJsonTemplates } from '../../behaviour/jsonTemplates.js';
import { checkTemplate } from '../../behaviour/templates.js';
import { duration, fn, identity, pathTemplate } from '../../mocks/schema.js';
import type { Assert, Same } from '../../util/typeChecks.js';
import { validateWith } from '../../mocks/validate.js';
import { parseDuration } from '../../util/duration.js';
import type { SseMockConfig, SseMockFields } from './types.js';

const LINE_BREAK = /[\r\n]/;
const singleLine = (what: string) => z.string(`must be a string`).refine((value) => !LINE_BREAK.test(value), `must be one line: a line break would start another ${what}`);

const eventSpec = z
  .strictObject({
    event: singleLine('field').optional(),
    data: z.unknown(),
    id: singleLine('field')
      .refine((value) => !value.includes('\0'), 'must not contain a NUL character (clients ignore such an id)')
      .optional(),
    delay: duration.optional(),
  })
  .check((ctx) => {
    const spec = ctx.value;
    if (spec.data === undefined) {
      ctx.issues.push({ code: 'custom', path: ['data'], message: 'is required: the event data (a string template or any JSON value)', input: spec });
      return;
    }
    if (typeof spec.data === 'string') {
      const problem = checkTemplate(spec.data);
      if (problem) ctx.issues.push({ code: 'custom', path: ['data'], message: `is not a valid template: ${problem}`, input: spec });
    } else {
      for (const bad of checkJsonTemplates(spec.data)) {
        ctx.issues.push({ code: 'custom', path: ['data', ...bad.path], message: `is not a valid template: ${bad.message}`, input: spec });
      }
    }
    const idProblem = spec.id === undefined ? undefined : checkTemplate(spec.id);
    if (idProblem) ctx.issues.push({ code: 'custom', path: ['id'], message: `is not a valid template: ${idProblem}`, input: spec });
  });

const fields = {
  path: pathTemplate,
  events: z.array(eventSpec).optional(),
  loop: z.boolean().optional(),
  interval: duration.optional(),
  retry: z.int('must be a whole number of milliseconds').nonnegative('must be a whole number of milliseconds >= 0').optional(),
  keepAlive: duration.refine((value) => (parseDuration(value) ?? 0) > 0, 'must be a positive duration (e.g. "15s")').optional(),
  cors: z.union([z.string().min(1, 'must be an origin such as "http://localhost:3000", or "*"'), z.literal(false)], 'must be an origin string, "*" or false').optional(),
  headers: z.record(z.string(), z.string('must be a string')).optional(),
  maxBuffered: z.int('must be a whole number of bytes').positive('must be a whole number of bytes > 0').optional(),
};

/** A loop with no pause anywhere would write forever on one tick. */
function checkLoop(ctx: z.core.ParsePayload<{ loop?: boolean | undefined; interval?: number | string | undefined; events?: { delay?: number | string | undefined }[] | undefined }>): void {
  const { loop, interval, events = [] } = ctx.value;
  if (!loop) return;
  if (events.length === 0) {
    ctx.issues.push({ code: 'custom', path: ['loop'], message: 'needs at least one event in "events"', input: ctx.value });
    return;
  }
  const gap = parseDuration(interval) ?? 0;
  const pauses = events.some((event) => (parseDuration(event.delay) ?? (gap > 0 ? gap : 0)) > 0);
  if (!pauses) {
    ctx.issues.push({ code: 'custom', path: ['loop'], message: 'needs a positive "interval" or an event with a positive "delay" (a loop without a pause would never yield)', input: ctx.value });
  }
}

/**
 * The envelope's `sse` fields: JSON values only. The loop rule is checked by
 * {@link validateSseConfig}, which every envelope goes through too (a check
 * here would keep the admin API's PATCH from deriving its partial schema).
 */
export const sseFields = z.strictObject(fields);

const inProcessConfig = z.strictObject({ ...fields, ...identity, onConnection: fn('onConnection').optional() }).check(checkLoop);

/** Validates the argument of `server.sse()`; throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field. */
export function validateSseConfig(config: unknown): SseMockConfig {
  return validateWith(inProcessConfig, 'SSE mock config', config);
}

/** The envelope fields of an SSE mock: the config without identity and without `onConnection`. */
export function sseEnvelopeFields(config: SseMockConfig): Record<string, unknown> {
  const { id: _id, name: _name, enabled: _enabled, onConnection: _onConnection, ...rest } = config;
  return rest;
}

// Compile-time proof that the schemas and the documented interfaces agree.
export type _SseFieldsAgree = Assert<Same<keyof z.input<typeof sseFields>, keyof SseMockFields>>;
export type _SseConfigAgrees = Assert<Same<keyof z.input<typeof inProcessConfig>, keyof SseMockConfig>>;
