//
// The STOMP mock's own fields, as config files and the admin API write them,
// and their in-process forms (a destination or the CONNECT answer may be a
// function). Templates are checked here, so a bad one is refused when the
// mock is defined, naming its field.
//
import { checkJsonTemplates, checkTemplate, duration, fn, orFunction, positiveInt, z } from '../../kit/index.js';
import type { StompConnectHook, StompDestinationHandler } from './types.js';

type Issues = { code: 'custom'; path: PropertyKey[]; message: string; input: unknown }[];

const destinationName = z.string('must be a string (a destination, templates allowed)').min(1, 'must not be empty');
const headerValues = z.record(z.string().min(1, 'a header name must not be empty'), z.string('must be a string (a header value)'));

const reply = z
  .strictObject({ destination: destinationName, body: z.unknown().optional(), headers: headerValues.optional() })
  .check((ctx) => {
    const issues = ctx.issues as Issues;
    const problem = checkTemplate(ctx.value.destination);
    if (problem) issues.push({ code: 'custom', path: ['destination'], message: `is not a valid template: ${problem}`, input: ctx.value });
    for (const bad of checkJsonTemplates(ctx.value.body)) issues.push({ code: 'custom', path: ['body', ...bad.path], message: `is not a valid template: ${bad.message}`, input: ctx.value });
    for (const [name, value] of Object.entries(ctx.value.headers ?? {})) {
      const bad = checkTemplate(value);
      if (bad) issues.push({ code: 'custom', path: ['headers', name], message: `is not a valid template: ${bad}`, input: ctx.value });
    }
  });

const replyList = z.array(reply).min(1, 'must list at least one reply');

/** One reply or a list: checked as the one it is, so the issues name the field inside (a union would only say it matched neither). */
const replies = z.custom<z.input<typeof reply> | z.input<typeof replyList>>().check((ctx) => {
  const value = ctx.value as unknown;
  if (typeof value !== 'object' || value === null) {
    ctx.issues.push({ code: 'custom', message: 'must be a reply { destination, body?, headers? } or a list of them', input: value });
    return;
  }
  const result = (Array.isArray(value) ? replyList : reply).safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as never);
});

const destinationSpec = z.strictObject({ reply: replies });

const connectSpec = z.union([z.boolean(), z.strictObject({ headers: headerValues.optional() })], 'must be true, false or { headers }');

const sockjsSpec = z.union(
  [
    z.boolean(),
    z.strictObject({
      websocket: z.boolean().optional(),
      heartbeat: duration.optional(),
      disconnectDelay: duration.optional(),
      responseLimit: positiveInt('bytes').optional(),
    }),
  ],
  'must be true, false or { websocket?, heartbeat?, disconnectDelay?, responseLimit? }',
);

const interval = z.int('must be a whole number of milliseconds').nonnegative('must be 0 (off) or more').optional();

/** The kit's declarative fields (beside the endpoint fields every WebSocket kit takes). */
export const stompSchema = z.object({
  destinations: z.record(destinationName, destinationSpec).optional(),
  connect: connectSpec.optional(),
  versions: z
    .array(z.enum(['1.0', '1.1', '1.2'], 'must be "1.0", "1.1" or "1.2"'))
    .min(1, 'must list at least one version')
    .optional(),
  heartBeat: z.strictObject({ outgoing: interval, incoming: interval }).optional(),
  maxFrameSize: positiveInt('bytes').optional(),
  sockjs: sockjsSpec.optional(),
});

/** In-process, a destination and the CONNECT answer may be functions. */
export const stompInProcess = {
  destinations: z.record(destinationName, orFunction<typeof destinationSpec, StompDestinationHandler>(destinationSpec)).optional(),
  connect: z.union([connectSpec, fn<StompConnectHook>('connect')], 'must be true, false, { headers } or a function (headers, connection)').optional(),
};
