/**
 * Registers the wsmock matchers with Jest's global `expect`. Add it to
 * `setupFilesAfterEnv`: `setupFilesAfterEnv: ['wsmock/jest/setup']`.
 *
 * @module wsmock/jest/setup
 */
import { wsmockMatchers } from './matchers.js';

export type { WsMockMatchers } from './jest.js';

const expect = (globalThis as { expect?: { extend(matchers: object): void } }).expect;
if (typeof expect?.extend !== 'function') {
  throw new Error(
    "wsmock/jest/setup needs Jest's global `expect`: list it in `setupFilesAfterEnv` (not `setupFiles`), " +
      "or, with `injectGlobals: false`, call `expect.extend(wsmockMatchers)` from 'wsmock/jest' yourself.",
  );
}
expect.extend(wsmockMatchers);
