/**
 * Registers the wsmock matchers with Vitest's `expect`. Add it to `setupFiles`:
 * `test: { setupFiles: ['wsmock/vitest/setup'] }`.
 *
 * @module wsmock/vitest/setup
 */
import { expect } from 'vitest';
import { wsmockMatchers } from './matchers.js';

export type { WsMockMatchers } from './vitest.js';

expect.extend(wsmockMatchers);
