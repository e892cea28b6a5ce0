//
// issue 27: route() carries the page's HTTP requests to the kits' endpoints
// under the routed URL: Socket.IO's long-polling (then the upgrade through the
// WebSocket route) and Server-Sent Events, in Debian's Chromium.
//
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { route } from '../src/adapters/playwright.js';
import '../src/adapters/vitest-setup.js';
import { APP_URL, useRoutedBrowser } from './helpers/routedPage.js';

const app = useRoutedBrowser();

async function appPage(body: string): Promise<Page> {
  const page = await app.newPage(body);
  await route(app.server, page, 'wss://api.example.com/**');
  await page.goto(APP_URL);
  return page;
}

async function pageEvents(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction((n) => (window as unknown as { events: string[] }).events.length >= n, count, { timeout: 10_000 });
  return page.evaluate(() => (window as unknown as { events: string[] }).events);
}

describe('issue 27: route() carries the kits HTTP endpoints', () => {
  it("io('https://api.example.com') with default options: long-polling first, then the upgrade to WebSocket", async () => {
    const io = app.server.socketio({ events: { hello: { emit: ['welcome', { ok: true }] } } });
    const page = await appPage(`<script src="/socket.io.min.js"></script><script>
      window.events = [];
      const socket = io('https://api.example.com', { query: { who: 'page' } });
      socket.io.on('open', () => window.events.push('open:' + socket.io.engine.transport.name));
      socket.io.engine.on('upgrade', (t) => { window.events.push('upgrade:' + t.name); socket.emit('hello'); });
      socket.on('welcome', (m) => window.events.push('welcome:' + JSON.stringify(m)));
      socket.on('pushed', (m) => window.events.push('pushed:' + m));
    </script>`);
    const socket = await io.waitForConnection();
    expect(await pageEvents(page, 3)).toEqual(['open:polling', 'upgrade:websocket', 'welcome:{"ok":true}']);
    await expect(socket).toReceiveEvent('hello');
    await socket.emit('pushed', 'over the upgraded socket');
    expect((await pageEvents(page, 4))[3]).toBe('pushed:over the upgraded socket');
  });

  it('a SignalR hub at https://api.example.com/hub: negotiate carried over HTTP, then the WebSocket through the route', async () => {
    const hub = app.server.signalr('/hub');
    const page = await appPage(`<script src="/signalr.min.js"></script><script>
      window.events = [];
      const connection = new signalR.HubConnectionBuilder().withUrl('https://api.example.com/hub').build();
      connection.on('Tick', (n) => window.events.push('tick:' + n));
      connection.start().then(() => window.events.push('started:' + connection.connectionId), (e) => window.events.push('failed:' + e.message));
    </script>`);
    await hub.waitForConnection();
    const [started] = await pageEvents(page, 1);
    expect(started).toMatch(/^started:/);
    await vi.waitFor(() => expect(hub.send('Tick', 7)).toBe(1));
    expect((await pageEvents(page, 2))[1]).toBe('tick:7');
  });

  it("an EventSource on the routed host reads an SSE mock's events", async () => {
    const feed = app.server.sse('/feed', { events: [{ event: 'hello', id: 'h1', data: { who: '{{connection.query.who}}' } }] });
    const page = await appPage(`<script>
      window.events = [];
      const source = new EventSource('https://api.example.com/feed?who=page');
      source.addEventListener('hello', (e) => window.events.push('hello:' + e.data));
      source.onmessage = (e) => window.events.push('message:' + e.data);
    </script>`);
    const conn = await feed.waitForConnection();
    expect(conn.query).toEqual({ who: 'page' });
    expect(await pageEvents(page, 1)).toEqual(['hello:{"who":"page"}']);
    await conn.send({ data: 'pushed' });
    expect((await pageEvents(page, 2))[1]).toBe('message:pushed');
  });

  it('requests whose path no mock serves fall through to the page (here: the network, which fails)', async () => {
    const page = await appPage('<script>window.events = [];</script>');
    const status = await page.evaluate(() => fetch('https://api.example.com/not-mocked').then((r) => `status ${r.status}`, () => 'failed'));
    expect(status).toBe('failed');
  });
});
