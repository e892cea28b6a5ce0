import type { z } from 'zod';
import { nearest } from '../util/nearest.js';

// Its own module, not mocks/validate.ts: the mock schema (mocks/schema.ts) and
// the recording loader parse with it too, and validate.ts imports the schema.

/**
 * Parse options for every wsmock schema: they let `rawIssues` (mocks/validate.ts) answer an
 * unknown field with "did you mean …?". zod's issue for unknown keys does not
 * list the keys the object knows, but its error callback sees the object schema
 * that raised it, so the callback notes them on the issue (zod keeps an issue's
 * own fields) and leaves the message to zod.
 *
 * @example
 * ```ts
 * const result = schema.safeParse(input, withKnownKeys);
 * ```
 */
export const withKnownKeys: z.core.ParseContext<z.core.$ZodIssue> = {
  error(issue) {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const shape = (issue.inst as { shape?: unknown } | undefined)?.shape;
    if (typeof shape === 'object' && shape !== null) (issue as KnownKeys).knownKeys = Object.keys(shape);
    return undefined;
  },
};

/** What {@link withKnownKeys} adds to an unknown-keys issue. */
interface KnownKeys {
  knownKeys?: string[];
}

/**
 * The message for `key`, one of the unknown keys of `issue`: "is not a known
 * field", with the known field it is most likely a slip for when the issue came
 * from a parse given {@link withKnownKeys}.
 */
export function unknownFieldMessage(issue: z.core.$ZodIssueUnrecognizedKeys, key: string): string {
  const known = (issue as KnownKeys).knownKeys;
  const suggestion = known && nearest(key, known);
  return suggestion === undefined ? 'is not a known field' : `is not a known field; did you mean "${suggestion}"?`;
}

