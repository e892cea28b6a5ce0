//
// The ActionCable mock's own fields, as config files and the admin API write
// them (they are JSON values in-process too). Templates are checked here, so
// a bad one is refused when the mock is defined, naming its field.
//
import { checkJsonTemplates, checkTemplate, duration, orFunction, z } from '../../kit/index.js';
import type { ActionCableActionHandler } from './types.js';

type Issues = { code: 'custom'; path: PropertyKey[]; message: string; input: unknown }[];

function checkText(issues: Issues, value: string, path: PropertyKey[], input: unknown): void {
  const problem = checkTemplate(value);
  if (problem) issues.push({ code: 'custom', path, message: `is not a valid template: ${problem}`, input });
}

function checkValue(issues: Issues, value: unknown, path: PropertyKey[], input: unknown): void {
  for (const bad of checkJsonTemplates(value)) issues.push({ code: 'custom', path: [...path, ...bad.path], message: `is not a valid template: ${bad.message}`, input });
}

const streamName = z.string('must be a string (a stream name, templates allowed)').min(1, 'must not be empty');

const actionSpec = z
  .strictObject({
    broadcast: z.strictObject({ stream: streamName, message: z.unknown() }).optional(),
    transmit: z.unknown().optional(),
  })
  .check((ctx) => {
    const spec = ctx.value;
    const given = (['broadcast', 'transmit'] as const).filter((key) => spec[key] !== undefined);
    if (given.length !== 1) {
      const message = given.length === 0 ? 'needs one of "broadcast" ({ stream, message }) or "transmit" (a message)' : 'takes only one of "broadcast" and "transmit"';
      ctx.issues.push({ code: 'custom', path: [], message, input: spec });
      return;
    }
    if (spec.broadcast) {
      if (spec.broadcast.message === undefined) ctx.issues.push({ code: 'custom', path: ['broadcast', 'message'], message: 'is required: the message to broadcast (any JSON value)', input: spec });
      checkText(ctx.issues as Issues, spec.broadcast.stream, ['broadcast', 'stream'], spec);
      checkValue(ctx.issues as Issues, spec.broadcast.message, ['broadcast', 'message'], spec);
    } else checkValue(ctx.issues as Issues, spec.transmit, ['transmit'], spec);
  });

/** A channel, its actions of the form `action` takes (declarative, or in-process with functions). */
const channelOf = <A extends z.ZodType>(action: A) =>
  z
    .strictObject({
      subscribe: z.enum(['confirm', 'reject', 'manual'], 'must be "confirm", "reject" or "manual"').optional(),
      streamFrom: z.union([streamName, z.array(streamName)], 'must be a stream name or a list of them').optional(),
      actions: z.record(z.string().min(1, 'an action name must not be empty'), action).optional(),
    })
    .check((ctx) => {
      const { streamFrom } = ctx.value;
      const streams = streamFrom === undefined ? [] : Array.isArray(streamFrom) ? streamFrom : [streamFrom];
      streams.forEach((stream, i) => checkText(ctx.issues as Issues, stream, Array.isArray(streamFrom) ? ['streamFrom', i] : ['streamFrom'], ctx.value));
    });

const channelName = z.string().min(1, 'a channel name must not be empty');

/** The kit's declarative fields (beside the endpoint fields every WebSocket kit takes). */
export const actionCableSchema = z.object({
  channels: z.record(channelName, channelOf(actionSpec)).optional(),
  pingInterval: duration.optional(),
});

/** In-process, an action may be a function. */
export const actionCableInProcess = {
  channels: z.record(channelName, channelOf(orFunction<typeof actionSpec, ActionCableActionHandler>(actionSpec))).optional(),
};
