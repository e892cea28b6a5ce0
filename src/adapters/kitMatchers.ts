//
// The built-in kits' runner matchers, listed once: wsmock/vitest, wsmock/jest
// and wsmock/playwright register every entry of this list. A kit's new
// matcher is its own module (written against context.ts, reaching the kit's
// handles through their public members only) plus one line here, and its
// documented signature in types.ts (`WsMockMatchers`).
//
import type { MatcherContext, MatcherResult } from './context.js';
import { toBeCompleted } from './toBeCompleted.js';
import { toHaveSent } from './toHaveSent.js';
import { toReceiveCall } from './toReceiveCall.js';
import { toReceiveEvent } from './toReceiveEvent.js';

/** The kits' matchers by name, as `expect.extend()` takes them. */
export const kitMatchers = {
  /** Socket.IO: `await expect(socket).toReceiveEvent(event, ...args)`. */
  toReceiveEvent,
  /** GraphQL: `await expect(operation).toBeCompleted({ by?, timeout? })`. */
  toBeCompleted,
  /** JSON-RPC: `await expect(rpc).toReceiveCall(method, params?, { timeout? })`. */
  toReceiveCall,
  /** SSE: `expect(stream).toHaveSent({ data?, event?, id?, retry? })`. */
  toHaveSent,
};

/** One matcher, as a runner's adaptation sees it. */
type KitMatcher = (this: MatcherContext, received: unknown, ...rest: never[]) => MatcherResult | Promise<MatcherResult>;

/** The kits' matchers as `expect.extend()` receives them. */
export type KitMatcherFunctions = typeof kitMatchers;

/** Applies `wrap` to every kit matcher (a runner's adaptation: the chaos note, Playwright's context). */
export function wrapKitMatchers(wrap: (matcher: KitMatcher) => KitMatcher): KitMatcherFunctions {
  return Object.fromEntries(Object.entries(kitMatchers).map(([name, matcher]) => [name, wrap(matcher as KitMatcher)])) as unknown as KitMatcherFunctions;
}
