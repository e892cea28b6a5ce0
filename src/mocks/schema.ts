//
// One definition of the mock schema. The zod schemas below validate configs at
// runtime, are checked at compile time against the documented interfaces in
// `types.ts` (see the assertions at the bottom), and produce the JSON Schema
// shipped for config files. Change a field here and in `types.ts` together;
// the compiler refuses a mismatch.
//
import { z } from 'zod';
import type { Assert, Same } from '../util/typeChecks.js';
import { checkJsonPath } from '../behaviour/match.js';
import { checkJsonTemplates } from '../behaviour/jsonTemplates.js';
import { checkTemplate } from '../behaviour/templates.js';
import { isBase64 } from '../util/base64.js';
import { DURATION_PATTERN, DURATION_RULE, parseDuration } from '../util/duration.js';
import { CLOSE_CODE_RULE, CLOSE_REASON_RULE, isValidCloseCode, isValidCloseReason } from '../util/closeCodes.js';
import type { WebSocketMockConfig, WebSocketMockFields } from './types.js';
import { chaosSchema } from '../chaos/schema.js';
import type { ChaosOptions } from '../chaos/types.js';
import { WsMockError } from '../errors.js';
import { proxyFieldIssues, proxySchema } from '../proxy/schema.js';
import type { ProxyConfig } from '../proxy/types.js';
import { withKnownKeys } from './unknownFields.js';
import { contractSchema } from '../asyncapi/config.js';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Ids appear in admin URLs, so they stay URL-safe. */
export const MOCK_ID_RULE = 'must be 1-128 characters of letters, digits, ".", "_" or "-"';
const MOCK_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** A duration: milliseconds, or a string such as `100ms`, `2s`. */
export const duration = z.union([z.number().nonnegative(DURATION_RULE), z.string().regex(DURATION_PATTERN, DURATION_RULE)], {
  error: DURATION_RULE,
});
/** A positive whole number of `unit` (the unit names itself in the message: `must be a whole number of times`). */
export const positiveInt = (unit: string) => z.int(`must be a whole number of ${unit}`).positive(`must be a positive whole number of ${unit}`);

/** Returns the problem with a path template, or undefined when it is valid. */
export function checkPathTemplate(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (/[?#\s]/.test(path)) return 'must not contain "?", "#" or white space';
  const seen = new Set<string>();
  for (const segment of path.split('/')) {
    if (!segment.startsWith(':')) continue;
    const name = segment.slice(1);
    if (!PARAM_NAME.test(name)) return `parameter segment "${segment}" must be ":" followed by a name of letters, digits or "_"`;
    if (seen.has(name)) return `parameter ":${name}" appears twice`;
    seen.add(name);
  }
  return undefined;
}

/** A path template such as `/rooms/:room`. */
export const pathTemplate = z.string({ error: 'is required and must be a string starting with "/"' }).check((ctx) => {
  const problem = checkPathTemplate(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/**
 * An in-process function field.
 *
 * @typeParam F - the function's type (default: any function)
 */
export function fn<F extends (...args: never[]) => unknown = (...args: never[]) => unknown>(what: string) {
  return z.custom<F>((v) => typeof v === 'function', `${what} must be a function`);
}

/**
 * In-process a field may hold a function instead of its declarative form. A
 * plain union would report only "Invalid input"; this keeps the nested issues.
 *
 * @typeParam T - the declarative form's schema
 * @typeParam F - the function's type (default: any function)
 */
export function orFunction<T extends z.ZodType, F extends (...args: never[]) => unknown = (...args: never[]) => unknown>(schema: T) {
  return z.custom<z.input<T> | F>().check((ctx) => {
    if (typeof ctx.value === 'function') return;
    const result = schema.safeParse(ctx.value, withKnownKeys);
    if (!result.success) for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: ctx.value } as never);
  });
}

function positive(duration: unknown): boolean {
  return (parseDuration(duration) ?? 0) > 0;
}

/** Whether a scenario step makes the scenario pause (used to refuse loops that never do). */
function takesTime(step: { type: string; match?: unknown; duration?: unknown; message?: { delay?: unknown } }): boolean {
  switch (step.type) {
    case 'wait':
    case 'expect':
      return step.match !== undefined || positive(step.duration);
    case 'delay':
      return positive(step.duration);
    case 'send':
      return positive(step.message?.delay);
    default:
      return true;
  }
}

/** The identity fields every mock config and envelope has. */
export const identity = {
  id: z.string().regex(MOCK_ID, MOCK_ID_RULE).optional(),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
};

/**
 * Reads a replay's recording while its config is validated, so that a bad
 * file is an issue of the config, found before any client connects: how many
 * connections it holds, or a WsMockError with issues. The record layer
 * provides it (record/layer.ts): mocks/ does not read recordings itself.
 */
export type ReplayReader = (source: string | object, options: { url?: string }) => { readonly connections: readonly unknown[] };

let replayReader: ReplayReader | undefined;

/** Sets what reads a replay's recording during validation (the record layer calls it once, when it loads). */
export function provideReplayReader(read: ReplayReader): void {
  replayReader = read;
}

function buildSchemas(inProcess: boolean) {
  const matchSpec = z
    .strictObject({
      type: z.enum(['exact', 'contains', 'prefix', 'suffix', 'regex', 'json']),
      value: z.unknown().optional(),
      path: z.string().min(1).optional(),
      messageType: z.enum(['text', 'binary']).optional(),
    })
    .check((ctx) => {
      const m = ctx.value;
      const problem = (path: string, message: string) => {
        ctx.issues.push({ code: 'custom', path: [path], message, input: m });
      };
      if (m.type === 'json') {
        if (m.path === undefined) return problem('path', 'is required for a "json" matcher (a JSONPath such as "$.type")');
        const jsonPathProblem = checkJsonPath(m.path);
        if (jsonPathProblem) problem('path', `is not a valid JSONPath: ${jsonPathProblem}`);
        return;
      }
      if (m.path !== undefined) problem('path', `is only used by "json" matchers, not "${m.type}"`);
      if (m.type === 'regex') {
        if (m.value instanceof RegExp && inProcess) return;
        if (typeof m.value !== 'string') return problem('value', 'must be a regular expression source string');
        try {
          new RegExp(m.value);
        } catch (err) {
          problem('value', `is not a valid regular expression: ${(err as Error).message}`);
        }
        return;
      }
      if (typeof m.value !== 'string') problem('value', `must be a string for a "${m.type}" matcher`);
    });

  const response = z
    .strictObject({
      type: z.enum(['text', 'json', 'binary']),
      value: z.unknown(),
      delay: duration.optional(),
    })
    .check((ctx) => {
      const r = ctx.value;
      const problem = (message: string) => {
        ctx.issues.push({ code: 'custom', path: ['value'], message, input: r.value });
      };
      if (r.type === 'text') {
        if (typeof r.value !== 'string') return problem('must be a string for a "text" response');
        const templateProblem = checkTemplate(r.value);
        if (templateProblem) problem(`is not a valid template: ${templateProblem}`);
      }
      if (r.type === 'json') {
        if (r.value === undefined) return problem('is required for a "json" response');
        for (const bad of checkJsonTemplates(r.value)) {
          ctx.issues.push({ code: 'custom', path: ['value', ...bad.path], message: `is not a valid template: ${bad.message}`, input: r.value });
        }
      }
      if (r.type === 'binary') {
        if (inProcess && (r.value instanceof Uint8Array || r.value instanceof ArrayBuffer)) return;
        if (typeof r.value !== 'string' || !isBase64(r.value)) {
          problem(inProcess ? 'must be a Buffer or a base64 string for a "binary" response' : 'must be a base64 string for a "binary" response');
        }
      }
    });

  const matcher = z
    .strictObject({
      match: inProcess ? orFunction(matchSpec).optional() : matchSpec,
      response: response.optional(),
      responses: z.array(response).min(1).optional(),
      noResponse: z.boolean().optional(),
      times: positiveInt('times').optional(),
      forward: z.boolean().optional(),
      ...(inProcess ? { respond: fn('respond').optional() } : {}),
    })
    .check((ctx) => {
      const m = ctx.value as Record<string, unknown>;
      const answers = ['response', 'responses', 'noResponse', 'respond'].filter((k) => m[k] !== undefined && m[k] !== false);
      if (answers.length > 1) {
        ctx.issues.push({ code: 'custom', path: [], message: `takes only one of ${answers.map((a) => `"${a}"`).join(', ')}`, input: m });
      } else if (answers.length === 0 && m.forward !== true) {
        const allowed = inProcess ? '"response", "responses", "noResponse" or "respond"' : '"response", "responses" or "noResponse"';
        ctx.issues.push({ code: 'custom', path: [], message: `needs one of ${allowed}`, input: m });
      }
    });

  const sendStep = z.strictObject({ type: z.literal('send'), message: response });
  const waitStep = z
    .strictObject({
      type: z.enum(['wait', 'expect']),
      match: matchSpec.optional(),
      timeout: duration.optional(),
      optional: z.boolean().optional(),
      duration: duration.optional(),
    })
    .check((ctx) => {
      const s = ctx.value;
      if (s.type === 'expect' && s.match === undefined) {
        ctx.issues.push({ code: 'custom', path: ['match'], message: 'is required for an "expect" step', input: s });
      } else if (s.match === undefined && s.duration === undefined) {
        ctx.issues.push({ code: 'custom', path: [], message: 'a "wait" step needs "match" (wait for a message) or "duration" (pause)', input: s });
      } else if (s.match !== undefined && s.duration !== undefined) {
        ctx.issues.push({ code: 'custom', path: ['duration'], message: 'cannot be combined with "match"; use "timeout" to bound the wait', input: s });
      }
    });
  const delayStep = z.strictObject({ type: z.literal('delay'), duration });
  const closeStep = z.strictObject({
    type: z.literal('close'),
    code: z.int().refine(isValidCloseCode, CLOSE_CODE_RULE).optional(),
    reason: z.string().refine(isValidCloseReason, CLOSE_REASON_RULE).optional(),
  });
  const step = z.discriminatedUnion('type', [sendStep, waitStep, delayStep, closeStep], {
    error: 'must be a step with "type" one of "send", "wait", "expect", "delay", "close"',
  });

  const scenario = z
    .strictObject({
      name: z.string().optional(),
      steps: z.array(step).min(1, 'must list at least one step'),
      loop: z.boolean().optional(),
      resetOnReconnect: z.boolean().optional(),
    })
    .check((ctx) => {
      const s = ctx.value;
      // A loop in which no step takes time would flood the client as fast as
      // the process can write.
      if (s.loop && !s.steps.some(takesTime)) {
        ctx.issues.push({
          code: 'custom',
          path: ['loop'],
          message: 'needs a step that takes time: a "wait"/"expect" with "match", a "delay" or "wait" with a non-zero "duration", a "send" with a "delay", or a "close"',
          input: s,
        });
      }
    });

  const subprotocolList = z.array(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid token'));
  const handshakeFields = {
    status: z.int().min(400, 'must be an HTTP status from 400 to 599 (a refusal); leave it out to accept upgrades').max(599, 'must be an HTTP status from 400 to 599').optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    delay: duration.optional(),
  };
  const chaos = chaosSchema(matchSpec, duration);
  const replay = z
    .strictObject({
      file: z.string().min(1, 'must be a file path').optional(),
      recording: (inProcess
        ? z.custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a recording (from server.recording() or loadRecording()) or its JSON form')
        : z.record(z.string(), z.unknown(), { error: 'must be a recording object ("format": "wsmock-recording/1")' })
      ).optional(),
      url: z.string().min(1, 'must be a path or a URL').optional(),
      connection: z.int('must be a whole number').nonnegative('must be 0 or more').optional(),
      timing: z
        .union([z.enum(['recorded', 'asap']), z.strictObject({ speed: z.number().positive('must be more than 0') })], {
          error: 'must be "recorded", "asap" or { speed: N } with N > 0',
        })
        .optional(),
      match: z.strictObject({ ignore: z.array(z.string().min(1, 'must not be empty')).optional() }).optional(),
      timeout: duration.optional(),
    })
    .check((ctx) => {
      const r = ctx.value;
      if ((r.file === undefined) === (r.recording === undefined)) {
        ctx.issues.push({ code: 'custom', path: [], message: 'needs exactly one of "file" and "recording"', input: r });
        return;
      }
      // The recording is read and checked now, before any client connects.
      const field = r.file === undefined ? 'recording' : 'file';
      try {
        if (!replayReader) throw new Error('wsmock: a replay was validated before the record layer was loaded (import it from the package entry, not a deep path).');
        const loaded = replayReader((r.recording ?? r.file)!, r.url === undefined ? {} : { url: r.url });
        const index = r.connection ?? 0;
        if (index >= loaded.connections.length) {
          ctx.issues.push({ code: 'custom', path: ['connection'], message: `is ${index}, but the recording has ${loaded.connections.length} connection(s)`, input: r });
        }
      } catch (err) {
        if (!(err instanceof WsMockError) || !err.issues) throw err;
        for (const issue of err.issues) {
          const where = `${issue.file ? `${issue.file}: ` : ''}${issue.path ? `${issue.path} ` : ''}`;
          ctx.issues.push({ code: 'custom', path: [field], message: `${where}${issue.message}`, input: r });
        }
      }
    });
  const fields = {
    path: pathTemplate,
    subprotocols: (inProcess
      ? orFunction(subprotocolList)
      : subprotocolList
    ).optional(),
    requireSubprotocol: z.boolean().optional(),
    maxMessageSize: positiveInt('bytes').optional(),
    maxConnections: z.int('must be a whole number').nonnegative('must be 0 or more').optional(),
    idleTimeout: duration.optional(),
    heartbeat: z
      .strictObject({ enabled: z.boolean().optional(), interval: duration.optional(), timeout: duration.optional() })
      .optional(),
    echoMode: z.boolean().optional(),
    matchers: z.array(matcher).optional(),
    defaultResponse: response.optional(),
    scenario: scenario.optional(),
    handshake: (inProcess ? z.strictObject({ ...handshakeFields, verify: fn('verify').optional() }) : z.strictObject(handshakeFields)).optional(),
    chaos: chaos.nullable().optional(),
    record: z.boolean().optional(),
    replay: replay.optional(),
    proxy: proxySchema(subprotocolList, duration).optional(),
    intercept: z.array(matcher).optional(),
    contract: contractSchema(inProcess).optional(),
  };
  const proxyRules = (ctx: { value: Record<string, unknown>; issues: unknown[] }) => {
    for (const issue of proxyFieldIssues(ctx.value)) ctx.issues.push({ code: 'custom', path: issue.path, message: issue.message, input: ctx.value });
  };
  // A replay is a scenario compiled from a recording: a mock runs one or the other.
  const oneScript = (ctx: { value: { scenario?: unknown; replay?: unknown }; issues: unknown[] }) => {
    if (ctx.value.scenario !== undefined && ctx.value.replay !== undefined) {
      (ctx.issues as object[]).push({ code: 'custom', path: ['replay'], message: 'cannot be combined with "scenario": a replay is the mock\'s scenario', input: ctx.value });
    }
  };

  // The proxy rules and replay-or-scenario run on the in-process form, which every envelope becomes
  // before it is added; the declarative schema stays a plain object (the admin
  // API's PATCH takes its partial, which zod refuses on refined objects).
  const mockFields = z.strictObject(fields);
  const inProcessMock = z
    .strictObject({ ...fields, ...identity, onConnection: fn('onConnection').optional(), onUpstreamMessage: fn('onUpstreamMessage').optional() })
    .check(proxyRules as never)
    .check(oneScript);
  return { mockFields, inProcessMock, chaos, proxy: proxySchema(subprotocolList, duration) };
}

/** Schemas for declarative configs (config files, admin API): JSON values only. */
export const declarative = buildSchemas(false);
/** Schemas for `server.websocket()`: also functions and Buffers. */
export const inProcess = buildSchemas(true);

// Compile-time proof that the schemas and the documented interfaces agree.
export type _FieldsAgree = Assert<Same<keyof z.input<typeof declarative.mockFields>, keyof WebSocketMockFields>>;
export type _InProcessAgrees = Assert<Same<keyof z.input<typeof inProcess.inProcessMock>, keyof WebSocketMockConfig>>;
export type _ChaosAgrees = Assert<Same<keyof z.input<typeof declarative.chaos>, keyof ChaosOptions>>;
export type _ProxyAgrees = Assert<Same<keyof z.input<typeof declarative.proxy>, keyof ProxyConfig>>;
