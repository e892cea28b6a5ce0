import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability suite (load, faults, fuzzing, leaks) runs on its own:
    // `npm run test:reliability`, with test/reliability/vitest.config.ts.
    exclude: [...configDefaults.exclude, 'test/reliability/**'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
