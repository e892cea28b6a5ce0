/**
 * The wsmock matchers for Jest. Register them once with the setup entry:
 *
 * ```js
 * // jest.config.js
 * module.exports = { setupFilesAfterEnv: ['wsmock/jest/setup'] };
 * ```
 *
 * or by hand with `expect.extend(wsmockMatchers)`. For TypeScript, importing
 * this module (or listing `"wsmock/jest"` in `compilerOptions.types`) adds the
 * matchers to the `expect` of `@jest/globals` and to the global `jest.Matchers`
 * of `@types/jest`.
 *
 * @example
 * ```ts
 * import { expect, test } from '@jest/globals';
 * import { wsmockMatchers } from 'wsmock/jest';
 * expect.extend(wsmockMatchers);
 *
 * test('acknowledges', async () => {
 *   const conn = await chat.waitForConnection();
 *   await conn.send({ type: 'ping' });
 *   await expect(conn).toReceiveMessage({ type: 'pong' });
 * });
 * ```
 *
 * @module wsmock/jest
 */
import type {} from 'expect';
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

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends WsMockMatchers<R> {}
}

declare global {
  // The global `expect` typed by @types/jest. The type parameters must match its declaration.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R, T = {}> extends WsMockMatchers<R> {}
  }
}
