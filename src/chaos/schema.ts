//
// The zod schema of ChaosOptions. Built by mocks/schema.ts (which owns the
// match spec and duration schemas) so there is one definition of each; the
// compile-time check at the bottom of mocks/schema.ts keeps it in step with
// types.ts.
//
import { z } from 'zod';
import { CLOSE_CODE_RULE, CLOSE_REASON_RULE, isValidCloseCode, isValidCloseReason } from '../util/closeCodes.js';
import { parseDuration } from '../util/duration.js';

const PROBABILITY_RULE = 'must be a probability from 0 to 1';
const probability = z.number(PROBABILITY_RULE).min(0, PROBABILITY_RULE).max(1, PROBABILITY_RULE);

/** The chaos schema over the given match spec and duration schemas. */
export function chaosSchema(matchSpec: z.ZodType, duration: z.ZodType) {
  const delay = z.union([
    duration,
    z
      .strictObject({ min: duration, max: duration })
      .check((ctx) => {
        const min = parseDuration(ctx.value.min) ?? 0;
        const max = parseDuration(ctx.value.max) ?? 0;
        if (min > max) ctx.issues.push({ code: 'custom', path: ['min'], message: `must not be more than max (${String(ctx.value.max)})`, input: ctx.value });
      }),
  ], { error: 'must be a duration ("50ms", 50) or { min, max } with min <= max' });
  const specs = z.union([matchSpec, z.array(matchSpec).min(1, 'must list at least one match spec')]);
  return z.strictObject({
    direction: z.enum(['in', 'out', 'both']).optional(),
    drop: probability.optional(),
    duplicate: probability.optional(),
    corrupt: probability.optional(),
    truncate: probability.optional(),
    delay: delay.optional(),
    reorder: z
      .strictObject({
        window: z.int('must be a whole number of frames, 2 or more').min(2, 'must be 2 or more (a window of 1 reorders nothing)'),
        hold: duration.optional(),
      })
      .optional(),
    disconnect: z
      .strictObject({
        probability: probability.optional(),
        afterFrames: z.int('must be a whole number of frames').min(1, 'must be 1 or more').optional(),
        afterMs: duration.optional(),
        mode: z.union([
          z.literal('abrupt'),
          z.strictObject({
            code: z.int().refine(isValidCloseCode, CLOSE_CODE_RULE),
            reason: z.string().refine(isValidCloseReason, CLOSE_REASON_RULE).optional(),
          }),
        ], { error: 'must be "abrupt" or { code, reason? }' }),
      })
      .optional(),
    refuse: z
      .strictObject({
        first: z.int('must be a whole number of handshakes').nonnegative('must be 0 or more').optional(),
        probability: probability.optional(),
        status: z.int().min(400, 'must be an HTTP status from 400 to 599').max(599, 'must be an HTTP status from 400 to 599').optional(),
      })
      .optional(),
    handshakeDelay: delay.optional(),
    only: specs.optional(),
    except: specs.optional(),
  });
}
