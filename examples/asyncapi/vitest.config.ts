import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Registers toConformToContract, toHaveCoveredContract, toReceiveMessage, … on expect.
    setupFiles: ['wsmock/vitest/setup'],
  },
});
