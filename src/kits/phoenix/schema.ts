//
// The Phoenix mock's own fields: the declarative form (config files, the
// admin API) and the in-process form (a join or an event may be a function).
// The WebSocket endpoint fields are the seam's, as on a WebSocket mock.
//
import { checkJsonTemplates, duration, orFunction, z } from '../../kit/index.js';
import type { PhoenixEventHandler, PhoenixJoinHandler } from './types.js';

/** Issues of the templates inside `value`, at `path`. */
function templateIssues(ctx: { issues: unknown[]; value: unknown }, value: unknown, path: (string | number)[]): void {
  for (const bad of checkJsonTemplates(value)) {
    ctx.issues.push({ code: 'custom', path: [...path, ...bad.path], message: `is not a valid template: ${bad.message}`, input: ctx.value });
  }
}

const reply = z
  .strictObject({
    status: z.string({ error: 'is required and must be a string such as "ok" or "error"' }).min(1, 'must not be empty'),
    response: z.unknown().optional(),
  })
  .check((ctx) => templateIssues(ctx, ctx.value.response, ['response']));

const join = z.union(
  [
    z.literal('manual'),
    z
      .strictObject({ status: z.enum(['ok', 'error'], 'must be "ok" or "error"'), response: z.unknown().optional() })
      .check((ctx) => templateIssues(ctx, ctx.value.response, ['response'])),
  ],
  { error: 'must be "manual" or { status: "ok" | "error", response? }' },
);

const event = z.strictObject({ reply: reply.optional(), broadcast: z.boolean().optional() });

const eventName = z.string().min(1, 'an event name must not be empty');
const topicPattern = z.string().min(1, 'a topic pattern must not be empty');

const longpoll = z.union([z.boolean(), z.strictObject({ window: duration.optional(), timeout: duration.optional() })], {
  error: 'must be true, false or { window?, timeout? }',
});

/** One channel route, declarative. */
export const phoenixChannelSchema = z.strictObject({ join: join.optional(), events: z.record(eventName, event).optional() });

/** The kit's declarative fields (beside the endpoint fields every WebSocket kit takes). */
export const phoenixSchema = z.object({
  channels: z.record(topicPattern, phoenixChannelSchema).optional(),
  longpoll: longpoll.optional(),
});

/** In-process, a join or an event may be a function. */
export const phoenixInProcess = {
  channels: z
    .record(
      topicPattern,
      z.strictObject({
        join: orFunction<typeof join, PhoenixJoinHandler>(join).optional(),
        events: z.record(eventName, orFunction<typeof event, PhoenixEventHandler>(event)).optional(),
      }),
    )
    .optional(),
};
