//
// The SSE mock's own fields: the declarative form (config files, the admin
// API), the in-process one (`onConnection`) and the rule across fields (a
// loop must pause). `path` and identity are the seam's.
//
import { checkJsonTemplates, checkTemplate, duration, fn, z, type ConfigIssue } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import type { SseMockConfig } from './types.js';

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

/** The kit's declarative fields. */
export const sseSchema = z.object({
  events: z.array(eventSpec).optional(),
  loop: z.boolean().optional(),
  interval: duration.optional(),
  retry: z.int('must be a whole number of milliseconds').nonnegative('must be a whole number of milliseconds >= 0').optional(),
  keepAlive: duration.refine((value) => (parseDuration(value) ?? 0) > 0, 'must be a positive duration (e.g. "15s")').optional(),
  cors: z.union([z.string().min(1, 'must be an origin such as "http://localhost:3000", or "*"'), z.literal(false)], 'must be an origin string, "*" or false').optional(),
  headers: z.record(z.string(), z.string('must be a string')).optional(),
  maxBuffered: z.int('must be a whole number of bytes').positive('must be a whole number of bytes > 0').optional(),
});

/** In-process, a handler of every new stream. */
export const sseInProcess = {
  onConnection: fn<NonNullable<SseMockConfig['onConnection']>>('onConnection').optional(),
};

/**
 * A loop with no pause anywhere would write forever on one tick. Checked on
 * the in-process config (every envelope goes through it when defined), not in
 * the envelope's schema, so an admin API refusal names `loop` as before.
 */
export function loopIssues(config: Pick<SseMockConfig, 'loop' | 'interval' | 'events'>): ConfigIssue[] {
  const { loop, interval, events = [] } = config;
  if (!loop) return [];
  if (events.length === 0) return [{ path: 'loop', message: 'needs at least one event in "events"' }];
  const gap = parseDuration(interval) ?? 0;
  const pauses = events.some((event) => (parseDuration(event.delay) ?? (gap > 0 ? gap : 0)) > 0);
  return pauses ? [] : [{ path: 'loop', message: 'needs a positive "interval" or an event with a positive "delay" (a loop without a pause would never yield)' }];
}
