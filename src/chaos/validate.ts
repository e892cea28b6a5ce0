import { invalidConfig } from '../errors.js';
import { declarative } from '../mocks/schema.js';
import { toConfigIssues } from '../mocks/validate.js';
import type { ChaosOptions } from './types.js';
import { withKnownKeys } from '../mocks/unknownFields.js';

/**
 * Validates chaos options (`null` is "off"); throws `WSMOCK_ERR_INVALID_CONFIG`
 * naming every bad field, under `prefix` (`chaos`, `mocks[0].chaos`).
 */
export function validateChaos(input: unknown, what: string, prefix: readonly PropertyKey[] = ['chaos']): ChaosOptions | null {
  if (input === null) return null;
  const result = declarative.chaos.safeParse(input, withKnownKeys);
  if (!result.success) throw invalidConfig(what, toConfigIssues(result.error, prefix));
  return input as ChaosOptions;
}
