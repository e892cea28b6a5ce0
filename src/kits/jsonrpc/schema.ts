//
// The JSON-RPC mock's own fields: the declarative form (config files, the
// admin API) and the in-process form (a method may be a function). Its
// WebSocket endpoint fields (subprotocols, limits, handshake, liveness) are
// the seam's, as on a WebSocket mock.
//
import { checkJsonTemplates, duration, orFunction, z } from '../../kit/index.js';
import type { JsonRpcHandler } from './types.js';

const errorSpec = z.strictObject({
  code: z.int('must be an integer (a JSON-RPC error code such as -32602)'),
  message: z.string({ error: 'is required and must be a string' }),
  data: z.unknown().optional(),
});

const ANSWERS = ['result', 'error', 'manual'] as const;

const methodSpec = z
  .strictObject({
    result: z.unknown().optional(),
    error: errorSpec.optional(),
    manual: z.boolean().optional(),
    delay: duration.optional(),
  })
  .check((ctx) => {
    const spec = ctx.value;
    const given = ANSWERS.filter((key) => spec[key] !== undefined && spec[key] !== false);
    if (given.length !== 1) {
      const message = given.length === 0 ? 'needs one of "result", "error" or "manual: true"' : `takes only one of ${given.map((k) => `"${k}"`).join(', ')}`;
      ctx.issues.push({ code: 'custom', path: [], message, input: spec });
    }
    if (spec.manual && spec.delay !== undefined) {
      ctx.issues.push({ code: 'custom', path: ['delay'], message: 'has no effect on a "manual" method: the test answers when it wants', input: spec });
    }
    for (const key of ['result', 'error'] as const) {
      for (const bad of checkJsonTemplates(spec[key])) {
        ctx.issues.push({ code: 'custom', path: [key, ...bad.path], message: `is not a valid template: ${bad.message}`, input: spec });
      }
    }
  });

const methodName = z.string().min(1, 'a method name must not be empty');

/** The kit's declarative fields (beside the endpoint fields every WebSocket kit takes). */
export const jsonRpcSchema = z.object({
  methods: z.record(methodName, methodSpec).optional(),
  unknownMethods: z.enum(['error', 'wait']).optional(),
});

/** In-process, a method may be a function. */
export const jsonRpcInProcess = {
  methods: z.record(methodName, orFunction<typeof methodSpec, JsonRpcHandler>(methodSpec)).optional(),
};
