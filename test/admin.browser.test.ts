//
// Issue 22 item 8 in a real browser (Playwright driving Debian's Chromium):
// the dashboard's own calls pass the Host and Origin checks; a page of
// another site sending a simple POST (no preflight), and a page whose DNS
// name resolves to 127.0.0.1 (what DNS rebinding ends in; mapped here with
// --host-resolver-rules), are refused before the API does anything.
//
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createMockServer, type MockServer } from '../src/index.js';
import { echoEnvelope } from './helpers/admin.js';

let browser: Browser;
let server: MockServer;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // A page Playwright answers has no address of its own: Local Network Access would block its requests to loopback before they left.
    args: ['--no-sandbox', '--disable-gpu', '--disable-features=LocalNetworkAccessChecks', '--host-resolver-rules=MAP rebound.test 127.0.0.1'],
  });
  server = await createMockServer({ admin: true, mocks: [echoEnvelope('echo', '/echo')] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('issue 22 item 8: the admin API and browsers (Chromium)', () => {
  it("the dashboard's own page calls the API: same origin passes", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.adminUrl}/`);
      const status = await page.evaluate(async () => (await fetch('mocks/echo/toggle', { method: 'POST' })).status);
      expect(status).toBe(200);
      expect(server.mocks.get('echo')!.enabled).toBe(false);
      expect(await page.evaluate(async () => (await fetch('mocks/echo/toggle', { method: 'POST' })).status)).toBe(200);
      expect(server.mocks.get('echo')!.enabled).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('a page of another site sending a simple POST (no preflight) is refused, and the mock stays as it was', async () => {
    const page = await browser.newPage();
    const seen: string[] = [];
    const onUpdated = (mock: { id: string }) => seen.push(mock.id);
    server.on('mock:updated', onUpdated);
    try {
      await page.route('http://evil.test/page', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>evil</title>' }));
      await page.goto('http://evil.test/page');
      // no-cors: the page cannot read the answer, but the request is sent and the server acts on it unless it refuses.
      await page.evaluate(async (url) => {
        await fetch(`${url}/mocks/echo/toggle`, { method: 'POST', mode: 'no-cors' });
        await fetch(`${url}/mocks`, { method: 'DELETE', mode: 'no-cors' }).catch(() => undefined);
      }, server.adminUrl!);
      expect(server.mocks.get('echo')!.enabled).toBe(true);
      expect(seen).toEqual([]);
    } finally {
      server.off('mock:updated', onUpdated);
      await page.close();
    }
  });

  it('a page whose name resolves to 127.0.0.1 (DNS rebinding) gets 403 from its "own" origin', async () => {
    const page = await browser.newPage();
    try {
      const port = new URL(server.adminUrl!).port;
      const response = await page.goto(`http://rebound.test:${port}/mocks`);
      expect(response!.status()).toBe(403);
      const answer = await page.evaluate(async () => {
        const res = await fetch('/mocks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'evil', type: 'websocket', websocket: { path: '/evil' } }) });
        return { status: res.status, body: (await res.json()) as { error: string } };
      });
      expect(answer).toEqual({ status: 403, body: { error: 'forbidden_host', message: expect.stringContaining(`"rebound.test:${port}"`) } });
      expect(server.mocks.get('evil')).toBeUndefined();
    } finally {
      await page.close();
    }
  });
});
