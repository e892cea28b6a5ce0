//
// Real Chromium (Debian's, never a downloaded browser) against a TLS server
// made by the Playwright fixture with `wsmockOptions: { tls: true }`. The page
// trusts the ephemeral certificate through `ignoreHTTPSErrors`, as a
// Playwright suite's `use: { ignoreHTTPSErrors: true }` does.
//
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsmockFixtures } from '../src/adapters/playwright.js';
import type { MockServer, ServerOptions } from '../src/index.js';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);
afterAll(() => browser?.close());

type FixtureFn = (args: { wsmockOptions: ServerOptions }, use: (server: MockServer) => Promise<void>) => Promise<void>;
/** The test-scoped `wsmock` fixture, run as Playwright runs it. */
const withWsmock = (options: ServerOptions, body: (server: MockServer) => Promise<void>) => (wsmockFixtures.wsmock as unknown as FixtureFn)({ wsmockOptions: options }, body);

describe('Chromium over wss:// (wsmockOptions: { tls: true })', () => {
  it('a page loaded over https from the server itself opens wss:// and exchanges messages', async () => {
    await withWsmock({ tls: true }, async (server) => {
      const feed = server.websocket('/feed', { echoMode: false });
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await context.newPage();
        // A real https response from wsmock's own listener (a path with no mock: its 404 JSON).
        const response = await page.goto(`${server.httpUrl}/page`);
        expect(response!.status()).toBe(404);
        expect(await page.evaluate(() => [location.protocol, isSecureContext])).toEqual(['https:', true]);
        const received = page.evaluate(
          (url) =>
            new Promise<string>((resolve, reject) => {
              const ws = new WebSocket(url);
              ws.onopen = () => ws.send(JSON.stringify({ type: 'subscribe', from: 'chromium' }));
              ws.onmessage = (event) => resolve(String(event.data));
              ws.onerror = () => reject(new Error('the WebSocket failed'));
            }),
          feed.url,
        );
        const conn = await feed.waitForConnection({ timeout: 10_000 });
        expect(conn.url).toBe('/feed');
        expect((await conn.waitForMessage()).json).toEqual({ type: 'subscribe', from: 'chromium' });
        await conn.send({ type: 'price', value: 42 });
        expect(JSON.parse(await received)).toEqual({ type: 'price', value: 42 });
      } finally {
        await context.close();
      }
    });
  }, 60_000);

  it("an app page fulfilled at the server's https origin (page.route) talks to the real mock over wss://", async () => {
    await withWsmock({ tls: true }, async (server) => {
      const chat = server.websocket('/chat', { echoMode: false });
      // A document fulfilled by page.route has no network address, so Chromium's
      // Local Network Access checks treat it as public and block its sockets to
      // 127.0.0.1 (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS) unless granted.
      const context = await browser.newContext({ ignoreHTTPSErrors: true, permissions: ['local-network-access'] });
      try {
        const page = await context.newPage();
        const app = `<!doctype html><ul id="log"></ul><script>
          const ws = new WebSocket(new URLSearchParams(location.search).get('ws'));
          ws.onopen = () => ws.send('hello');
          ws.onmessage = (e) => { const li = document.createElement('li'); li.textContent = e.data; log.append(li); };
        </script>`;
        await page.route(`${server.httpUrl}/app**`, (route) => route.fulfill({ contentType: 'text/html', body: app }));
        await page.goto(`${server.httpUrl}/app?ws=${encodeURIComponent(chat.url)}`);
        const conn = await chat.waitForConnection({ timeout: 10_000 });
        expect((await conn.waitForMessage()).text).toBe('hello');
        await conn.send('pushed over wss');
        await page.locator('#log li', { hasText: 'pushed over wss' }).waitFor();
        expect(await page.locator('#log li').allTextContents()).toEqual(['pushed over wss']);
      } finally {
        await context.close();
      }
    });
  }, 60_000);

  it('without ignoreHTTPSErrors Chromium refuses the ephemeral certificate', async () => {
    await withWsmock({ tls: true }, async (server) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await expect(page.goto(`${server.httpUrl}/page`)).rejects.toThrow(/net::ERR_CERT_AUTHORITY_INVALID/);
      } finally {
        await context.close();
      }
    });
  }, 60_000);
});
