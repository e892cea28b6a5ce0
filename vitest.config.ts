import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability suite (load, faults, fuzzing, leaks) runs on its own:
    // `npm run test:reliability`, with test/reliability/vitest.config.ts; the
    // dashboard's browser tests with Playwright: `npm run test:browser`.
    exclude: [...configDefaults.exclude, 'test/reliability/**', 'test/browser/**'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
