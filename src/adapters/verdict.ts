//
// What the wsmock matchers share in writing their verdicts: the headline, the
// diff, the timeout they wait with, and which wait errors are a failed
// assertion rather than a bug to rethrow.
//
import { WsMockError } from '../errors.js';
import type { MatcherContext } from './context.js';

/** The `expect(received).matcher(expected, second)` headline, `.not` and `resolves` included. */
export function hint(ctx: MatcherContext, name: string, expected: string, second?: string): string {
  return ctx.utils.matcherHint(name, 'received', expected, {
    isNot: ctx.isNot,
    promise: ctx.promise ?? '',
    ...(second ? { secondArgument: second } : {}),
  });
}

/** `Expected/Received` with a diff when the runner can make one. */
export function diffSection(ctx: MatcherContext, expected: unknown, actual: unknown): string {
  const diff = ctx.utils.diff(expected, actual);
  if (diff && !diff.includes('Compared values have no visual difference')) return diff;
  return `Expected: ${ctx.utils.printExpected(expected)}\nReceived: ${ctx.utils.printReceived(actual)}`;
}

/** Whether `err` is a wsmock error with one of `codes`. */
export function isCode(err: unknown, ...codes: string[]): err is WsMockError {
  return err instanceof WsMockError && codes.includes(err.code);
}

/** The matcher's own timeout, else the runner's (Playwright's `expect` timeout), else the server's. */
export function timeoutOf(ctx: MatcherContext, timeout: number | undefined): number | undefined {
  return timeout ?? ctx.timeout;
}
