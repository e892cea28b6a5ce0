import { defineConfig } from '@playwright/test';

// The dashboard in a real browser: Debian's Chromium (never a Playwright
// download; CHROMIUM_PATH overrides the location), against wsmock servers the
// tests start from dist/ (npm run test:browser builds first).
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // Two cores: one worker keeps timings honest for everyone on the machine.
  workers: 1,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 5_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
