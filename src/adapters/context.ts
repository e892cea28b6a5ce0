//
// The part of a test runner's matcher context the wsmock matchers use. Vitest,
// Jest and Playwright all call `expect.extend` matchers with a `this` of this
// shape (Jest's `expect` lineage), so one implementation serves the three.
// Their asymmetric matchers (`expect.any(…)`) share one shape too.
//

/** Formatting helpers of the runner (`this.utils` in a matcher). */
export interface MatcherUtils {
  /** The `expect(received).matcher(expected)` headline. */
  matcherHint(matcherName: string, received: string, expected: string, options?: MatcherHintOptions): string;
  /** Formats an expected value (green in a terminal). */
  printExpected(value: unknown): string;
  /** Formats a received value (red in a terminal). */
  printReceived(value: unknown): string;
  /** A diff of two values, or null/undefined when the runner cannot diff them. */
  diff(expected: unknown, received: unknown): string | null | undefined;
}

/** Options of {@link MatcherUtils.matcherHint}. */
export interface MatcherHintOptions {
  /** Whether `.not` was used. */
  isNot?: boolean;
  /** `resolves`, `rejects` or an empty string. */
  promise?: string;
  /** The second argument's name, e.g. `options`. */
  secondArgument?: string;
}

/** The `this` of a matcher called through `expect.extend`. */
export interface MatcherContext {
  /** Whether the matcher was called as `.not`. */
  isNot: boolean;
  /** `resolves`, `rejects` or an empty string. */
  promise?: string;
  /** The runner's recursive equality, which understands asymmetric matchers. */
  equals?: (a: unknown, b: unknown, customTesters?: any[]) => boolean;
  /** Custom equality testers registered with the runner. */
  customTesters?: any[];
  /** Formatting helpers. */
  utils: MatcherUtils;
  /** Playwright only: the `expect` timeout, used when a matcher is given none. */
  timeout?: number;
}

/** What a matcher returns to the runner. */
export interface MatcherResult {
  /** Whether the assertion held (before `.not` is applied by the runner). */
  pass: boolean;
  /** The failure message, computed only when it is shown. */
  message: () => string;
  /** The received value. wsmock leaves it out: the message already holds the diff, and Vitest would print a second one. */
  actual?: unknown;
  /** The expected value, for runners that show it. */
  expected?: unknown;
}

/**
 * A runner's asymmetric matcher (`expect.any(String)`, `expect.objectContaining({…})`),
 * which {@link MatcherContext.equals} understands anywhere inside an expected value.
 */
export interface AsymmetricMatcher {
  asymmetricMatch(other: unknown): boolean;
  /** Its name as the runner prints it, e.g. `ObjectContaining`. */
  toAsymmetricMatcher?: () => string;
  /** What it was made from, e.g. the object given to `objectContaining`. */
  sample?: unknown;
  toString(): string;
}

/** Whether `value` is an asymmetric matcher, from any runner: anything with an `asymmetricMatch` method. */
export function isAsymmetric(value: unknown): value is AsymmetricMatcher {
  return typeof value === 'object' && value !== null && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
}
