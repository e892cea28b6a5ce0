/** A duration: milliseconds as a number, or a string such as `"500ms"`, `"10s"`, `"5m"`, `"1h"`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** A duration string: a number, then a unit. The mock schema uses it too, so config files' JSON Schema shows it. */
export const DURATION_PATTERN = /^\d+(\.\d+)?\s*(ms|s|m|h)$/;

/** The rule a duration must follow, for error messages. */
export const DURATION_RULE =
  'must be a non-negative number of milliseconds or a string like "500ms", "10s", "5m", "1h"';

/**
 * Parses a {@link Duration} into milliseconds. Returns `undefined` when the
 * value is not a valid duration, so callers can report it in their own terms.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const m = DURATION_PATTERN.exec(text);
  if (!m) return undefined;
  return Math.round(Number.parseFloat(text) * UNIT_MS[m[2]!]!);
}
