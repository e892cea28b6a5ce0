//
// The SignalR mock's own fields, as config files and the admin API write
// them; in-process a method may be a function. Templates are checked here,
// so a bad one is refused when the mock is defined, naming its field.
//
import { checkJsonTemplates, checkTemplate, duration, orFunction, positiveInt, z } from '../../kit/index.js';
import type { SignalRMethodHandler } from './types.js';

type Issues = { code: 'custom'; path: PropertyKey[]; message: string; input: unknown }[];

function checkValue(issues: Issues, value: unknown, path: PropertyKey[], input: unknown): void {
  for (const bad of checkJsonTemplates(value)) issues.push({ code: 'custom', path: [...path, ...bad.path], message: `is not a valid template: ${bad.message}`, input });
}

/**
 * The message of a union that failed: for a plain object, the first problem
 * of the union's object branch (`branch`), with its path, since a union
 * reports only its own message; `rule` for anything else.
 */
function objectBranch(branch: number, rule: string) {
  return (issue: { input?: unknown }) => {
    const input = issue.input;
    const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
    const nested = isObject ? (issue as { errors?: { path: PropertyKey[]; message: string }[][] }).errors?.[branch]?.[0] : undefined;
    if (!nested) return rule;
    return nested.path.length > 0 ? `${nested.path.map(String).join('.')}: ${nested.message}` : nested.message;
  };
}

const target = z.string('must be a string (a client method name)').min(1, 'must not be empty');

const sendSpec = z
  .strictObject({
    target,
    args: z.array(z.unknown(), 'must be a list of arguments').optional(),
    to: z.enum(['all', 'caller', 'others'], 'must be "all", "caller" or "others"').optional(),
    group: z.string('must be a group name (templates allowed)').min(1, 'must not be empty').optional(),
  })
  .check((ctx) => {
    const problem = checkTemplate(ctx.value.target);
    if (problem) ctx.issues.push({ code: 'custom', path: ['target'], message: `is not a valid template: ${problem}`, input: ctx.value });
    if (ctx.value.group !== undefined) checkValue(ctx.issues as Issues, ctx.value.group, ['group'], ctx.value);
    checkValue(ctx.issues as Issues, ctx.value.args, ['args'], ctx.value);
  });

const methodSpec = z
  .strictObject({
    result: z.unknown().optional(),
    error: z.string('must be a string (the error message the client gets)').optional(),
    stream: z.array(z.unknown(), 'must be a list of stream items').optional(),
    send: z.union([sendSpec, z.array(sendSpec)], { error: objectBranch(0, 'must be { target, args?, to?, group? } or a list of them') }).optional(),
  })
  .check((ctx) => {
    const spec = ctx.value;
    const outcomes = (['result', 'error', 'stream'] as const).filter((key) => spec[key] !== undefined);
    if (outcomes.length > 1) ctx.issues.push({ code: 'custom', path: [], message: `takes at most one of "result", "error" and "stream", got ${outcomes.join(' and ')}`, input: spec });
    checkValue(ctx.issues as Issues, spec.result, ['result'], spec);
    checkValue(ctx.issues as Issues, spec.error, ['error'], spec);
    checkValue(ctx.issues as Issues, spec.stream, ['stream'], spec);
  });

const method = z.union([z.literal('manual'), methodSpec], { error: objectBranch(1, 'must be { result?, error?, stream?, send? } or "manual"') });
const methodName = z.string().min(1, 'a method name must not be empty');

/** The kit's declarative fields (beside the endpoint fields every WebSocket kit takes). */
export const signalRSchema = z.object({
  methods: z.record(methodName, method).optional(),
  transports: z
    .array(z.enum(['WebSockets', 'LongPolling'], 'must be "WebSockets" or "LongPolling" (Server-Sent Events are not served)'))
    .min(1, 'must name at least one transport ("WebSockets", "LongPolling")')
    .optional(),
  protocols: z
    .array(z.enum(['json', 'messagepack'], 'must be "json" or "messagepack"'))
    .min(1, 'must name at least one protocol ("json", "messagepack")')
    .optional(),
  pingInterval: duration.optional(),
  maximumReceiveMessageSize: positiveInt('bytes').optional(),
});

/** In-process, a method may be a function. */
export const signalRInProcess = {
  methods: z.record(methodName, orFunction<typeof method, SignalRMethodHandler>(method)).optional(),
};
