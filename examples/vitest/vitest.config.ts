import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Registers toReceiveMessage, toHaveConnections, … on expect.
    setupFiles: ['wsmock/vitest/setup'],
  },
});
