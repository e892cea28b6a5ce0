//
// The reliability suite: thousands of clients, faults, fuzzing and leak
// cycles. Its files run one at a time (they each want both cores, and the
// load files want the machine's file descriptors) with generous timeouts; a
// hang still fails the run instead of stalling it.
//
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/reliability/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
