import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Registers toHaveSent, toHaveConnections, toBeClosed, … on expect.
    setupFiles: ['wsmock/vitest/setup'],
  },
});
