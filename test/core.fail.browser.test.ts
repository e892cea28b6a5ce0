//
// conn.fail() with Chromium's own WebSocket (Debian's Chromium driven by
// Playwright, never a downloaded browser). The page is loaded from the mock
// server itself (a path with no mock: its 404), so the socket to loopback is
// same-origin and Local Network Access has nothing to block.
//
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../src/index.js';

let browser: Browser;
let server: MockServer;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  server = await createMockServer();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('issue 22 item 1: conn.fail() with Chromium', () => {
  it('Chromium fires error, then close 1006 with wasClean false; the server records 1002 by the server', async () => {
    const mock = server.websocket('/fail');
    const page = await browser.newPage();
    try {
      expect((await page.goto(`${server.httpUrl}/page`))!.status()).toBe(404);
      const seen = page.evaluate(
        (url) =>
          new Promise<unknown[]>((resolve) => {
            const events: unknown[] = [];
            const ws = new WebSocket(url);
            ws.onmessage = (e) => events.push({ type: 'message', data: String(e.data) });
            ws.onerror = () => events.push({ type: 'error' });
            ws.onclose = (e) => {
              events.push({ type: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
              resolve(events);
            };
          }),
        mock.url,
      );
      const conn = await mock.waitForConnection({ timeout: 10_000 });
      await conn.ping();
      void conn.send('hello');
      expect(await conn.fail()).toEqual({ code: 1002, reason: '', by: 'server' });
      expect(await seen).toEqual([
        { type: 'message', data: 'hello' },
        { type: 'error' },
        { type: 'close', code: 1006, reason: '', wasClean: false },
      ]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
