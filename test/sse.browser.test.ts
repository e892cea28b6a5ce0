//
// Chromium's own EventSource against an SSE mock (Playwright driving Debian's
// Chromium, never a downloaded browser). The page comes from the server's
// origin (Playwright answers its URL), since Chromium's Local Network Access
// blocks a page on about:blank from loopback. A second stream is opened from
// another origin (`localhost` vs `127.0.0.1`), which needs the CORS default;
// a page Playwright answered has no address of its own, so Chromium would also
// put that request under Local Network Access: the checks are turned off.
//
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createMockServer, type MockServer } from '../src/index.js';

let browser: Browser;
let server: MockServer;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-features=LocalNetworkAccessChecks'] });
  server = await createMockServer({ host: 'localhost' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page at `origin`/page, whose script records every event of the EventSources it opens in `window.got`. */
async function pageAt(origin: string): Promise<Page> {
  const page = await browser.newPage();
  const url = `${origin}/page`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>sse</title><script>
        window.got = [];
        window.open = (url, names) => {
          const source = new EventSource(url);
          const record = (e) => window.got.push({ url, type: e.type, data: e.data, lastEventId: e.lastEventId });
          source.onmessage = record;
          for (const name of names) source.addEventListener(name, record);
          source.onopen = () => window.got.push({ url, type: 'open' });
          return source;
        };
      </script>`,
    }),
  );
  await page.goto(url);
  return page;
}

async function received(page: Page, count: number): Promise<Array<Record<string, string>>> {
  await page.waitForFunction((n) => (window as unknown as { got: unknown[] }).got.length >= n, count, { timeout: 5000 });
  return page.evaluate(() => (window as unknown as { got: Array<Record<string, string>> }).got);
}

describe("Chromium's EventSource", () => {
  it('gets configured events, pushes and broadcasts, and reconnects with Last-Event-ID after conn.close()', async () => {
    const feed = server.sse('/feed', { retry: 100, events: [{ event: 'hello', id: 'h1', data: { who: '{{connection.query.who}}' } }] });
    const page = await pageAt(server.httpUrl.replace('localhost', '127.0.0.1'));
    try {
      await page.evaluate(() => {
        (window as unknown as { open: (u: string, n: string[]) => void }).open('/feed?who=chromium', ['hello', 'price']);
      });
      const conn = await feed.waitForConnection();
      expect(conn.headers.accept).toBe('text/event-stream');
      expect(conn.lastEventId).toBeNull();
      expect((await received(page, 2)).slice(0, 2)).toEqual([
        { url: '/feed?who=chromium', type: 'open' },
        { url: '/feed?who=chromium', type: 'hello', data: '{"who":"chromium"}', lastEventId: 'h1' },
      ]);
      await conn.send({ event: 'price', id: 'p1', data: 'line 1\nline 2' });
      expect(feed.broadcast({ data: { all: true } })).toBe(1);
      expect((await received(page, 4)).slice(2)).toEqual([
        { url: '/feed?who=chromium', type: 'price', data: 'line 1\nline 2', lastEventId: 'p1' },
        { url: '/feed?who=chromium', type: 'message', data: '{"all":true}', lastEventId: 'p1' },
      ]);

      await conn.close();
      const again = await feed.waitForConnection();
      expect(again.lastEventId).toBe('p1');
      const got = await received(page, 6);
      expect(got.slice(4)).toEqual([
        { url: '/feed?who=chromium', type: 'open' },
        { url: '/feed?who=chromium', type: 'hello', data: '{"who":"chromium"}', lastEventId: 'h1' },
      ]);
      await again.close();
    } finally {
      await page.close();
    }
    await feed.remove();
  });

  it('opens a stream from another origin (CORS: Access-Control-Allow-Origin * by default)', async () => {
    const feed = server.sse('/cross', { events: [{ data: 'across origins' }] });
    const page = await pageAt(server.httpUrl.replace('localhost', '127.0.0.1'));
    try {
      const crossUrl = `${server.httpUrl}/cross`;
      expect(new URL(crossUrl).origin).not.toBe(new URL(page.url()).origin);
      await page.evaluate((u) => {
        (window as unknown as { open: (u: string, n: string[]) => void }).open(u, []);
      }, crossUrl);
      const got = await received(page, 2);
      expect(got[1]).toEqual({ url: crossUrl, type: 'message', data: 'across origins', lastEventId: '' });
      const conn = await feed.waitForConnection();
      expect(conn.headers.origin).toBe(new URL(page.url()).origin);
    } finally {
      await page.close();
    }
    await feed.remove();
  });
});
