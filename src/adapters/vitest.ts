/**
 * The wsmock matchers for Vitest. Register them once, in a setup file:
 *
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['wsmock/vitest/setup'] } });
 * ```
 *
 * or by hand with `expect.extend(wsmockMatchers)`. Importing this module (or
 * the setup entry) from a TypeScript file adds the matchers to Vitest's
 * `Assertion` type.
 *
 * @example
 * ```ts
 * import { expect, it } from 'vitest';
 * import { wsmockMatchers } from 'wsmock/vitest';
 * expect.extend(wsmockMatchers);
 *
 * it('subscribes', async () => {
 *   const conn = await feed.waitForConnection();
 *   await expect(conn).toReceiveMessage({ type: 'subscribe', channel: expect.any(String) });
 * });
 * ```
 *
 * @module wsmock/vitest
 */
import type { WsMockMatchers } from './types.js';

export { wsmockMatchers, DEFAULT_WITHIN } from './matchers.js';
export type { WsMockMatcherFunctions } from './matchers.js';
export type { KitMatcherFunctions } from './kitMatchers.js';
export { messageMatching } from './expected.js';
export { eventOptions } from './toReceiveEvent.js';
export type { EventOptions, ReceiveEventOptions } from './toReceiveEvent.js';
export type { ExpectedMessage, MessageMatching } from './expected.js';
export type { ExpectedSseEvent } from './toHaveSent.js';
export type { MatcherContext, MatcherResult, MatcherUtils, MatcherHintOptions } from './context.js';
export type { ReceiveOptions, ConnectionsOptions, ClosedOptions, CompletedOptions, ReplayedOptions, CoveredOptions, WsMockMatchers } from './types.js';

//
// `Matchers` is the interface Vitest (>= 3.2) documents for custom matchers and
// the one that merges reliably whatever order files load in; `Assertion` covers
// older versions. The matchers are async (they wait on sockets), so
// `AsymmetricMatchersContaining` does not get them: an asymmetric
// `expect.toReceiveMessage()` would type-check but could not work.
//
declare module 'vitest' {
  interface Matchers<T = any> extends WsMockMatchers<void> {}
  interface Assertion<T = any> extends WsMockMatchers<void> {}
}
