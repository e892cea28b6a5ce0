//
// issue 27: Playwright routing. A page served at https://app.test/ opens
// sockets to wss://api.example.com (a host that resolves nowhere); route()
// carries them to a wsmock app.server, in Debian's Chromium.
//
import { describe, expect, it, vi } from 'vitest';
import { createMockServer } from '../src/index.js';
import { route } from '../src/adapters/playwright.js';
import '../src/adapters/vitest-setup.js';
import { APP_URL, eventsOf, onSocket, openSocket, serveApp, useRoutedBrowser } from './helpers/routedPage.js';

const app = useRoutedBrowser();
const newPage = () => app.newPage();

describe('issue 27: route() carries a page socket at its production URL to the mock', () => {
  it('the mock at the URL path sees the page path, query and subprotocol, answers, and its matchers work', async () => {
    const chat = app.server.websocket('/ws', {
      subprotocols: ['chat.v1'],
      matchers: [{ match: { type: 'json', path: '$.type', value: 'hello' }, response: { type: 'json', value: { type: 'welcome', room: '{{connection.query.room}}' } } }],
    });
    const page = await newPage();
    await route(app.server, page, 'wss://api.example.com/**');
    await page.goto(APP_URL);
    await openSocket(page, 'a', 'wss://api.example.com/ws?room=7', ['chat.v1']);
    const conn = await chat.waitForConnection();
    expect(conn.query).toEqual({ room: '7' });
    expect(conn.subprotocol).toBe('chat.v1');
    expect((await eventsOf(page, 'a', 1))[0]).toEqual({ name: 'a', type: 'open', protocol: 'chat.v1' });

    await onSocket(page, 'a', (ws) => ws.send(JSON.stringify({ type: 'hello' })));
    await expect(conn).toReceiveMessage({ type: 'hello' });
    expect((await eventsOf(page, 'a', 2))[1]).toEqual({ name: 'a', type: 'message', data: '{"type":"welcome","room":"7"}' });

    // Binary both ways.
    await onSocket(page, 'a', (ws) => ws.send(new Uint8Array([1, 2, 255])));
    const binary = await conn.waitForMessage((m) => m.binary);
    expect([...binary.data as Buffer]).toEqual([1, 2, 255]);
    await conn.send(Buffer.from([9, 8, 7]));
    expect((await eventsOf(page, 'a', 3))[2]).toEqual({ name: 'a', type: 'message', data: [9, 8, 7] });
  });

  it('close codes and reasons pass both ways', async () => {
    const feed = app.server.websocket('/feed', { echoMode: false });
    const page = await newPage();
    await route(app.server, page, 'wss://api.example.com/**');
    await page.goto(APP_URL);

    await openSocket(page, 'page-closes', 'wss://api.example.com/feed');
    const first = await feed.waitForConnection();
    await eventsOf(page, 'page-closes', 1);
    await onSocket(page, 'page-closes', (ws) => ws.close(4001, 'page bye'));
    expect(await first.waitForClose()).toMatchObject({ code: 4001, reason: 'page bye', by: 'client' });
    expect((await eventsOf(page, 'page-closes', 2))[1]).toEqual({ name: 'page-closes', type: 'close', code: 4001, reason: 'page bye', wasClean: true });

    await openSocket(page, 'mock-closes', 'wss://api.example.com/feed');
    const second = await feed.waitForConnection();
    await eventsOf(page, 'mock-closes', 1);
    await second.close({ code: 4002, reason: 'mock bye' });
    expect((await eventsOf(page, 'mock-closes', 2))[1]).toEqual({ name: 'mock-closes', type: 'close', code: 4002, reason: 'mock bye', wasClean: true });

    // Dropped without a close frame: the page sees what a browser reports, error then 1006.
    await openSocket(page, 'dropped', 'wss://api.example.com/feed');
    const third = await feed.waitForConnection();
    await eventsOf(page, 'dropped', 1);
    await third.terminate();
    expect((await eventsOf(page, 'dropped', 3)).slice(1)).toEqual([
      { name: 'dropped', type: 'error' },
      { name: 'dropped', type: 'close', code: 1006, reason: '', wasClean: false },
    ]);
  });

  it('a refused handshake fails the page socket (error, then close 1006), never open', async () => {
    const guarded = app.server.websocket('/guarded', { handshake: { verify: (request) => request.query.token === 'ok' } });
    app.server.websocket('/down', { handshake: { status: 503 } });
    const page = await newPage();
    await route(app.server, page, 'wss://api.example.com/**');
    await page.goto(APP_URL);
    const failed = (name: string) => [
      { name, type: 'error' },
      { name, type: 'close', code: 1006, reason: '', wasClean: false },
    ];
    await openSocket(page, 'verify', 'wss://api.example.com/guarded?token=no');
    expect(await eventsOf(page, 'verify', 2)).toEqual(failed('verify'));
    await openSocket(page, '503', 'wss://api.example.com/down');
    expect(await eventsOf(page, '503', 2)).toEqual(failed('503'));
    await openSocket(page, 'no-mock', 'wss://api.example.com/nothing-here');
    expect(await eventsOf(page, 'no-mock', 2)).toEqual(failed('no-mock'));
    await openSocket(page, 'ok', 'wss://api.example.com/guarded?token=ok');
    expect((await guarded.waitForConnection()).query).toEqual({ token: 'ok' });
    expect((await eventsOf(page, 'ok', 1))[0]).toMatchObject({ type: 'open' });
    expect(app.server.stats().rejectedConnections).toBe(3);
  });

  it('chaos applies through the route: a refused first handshake, then every frame duplicated', async () => {
    const feed = app.server.websocket('/feed', { echoMode: false, chaos: { refuse: { first: 1 }, duplicate: 1 } });
    const page = await newPage();
    await route(app.server, page, 'wss://api.example.com/**');
    await page.goto(APP_URL);
    await openSocket(page, 'refused', 'wss://api.example.com/feed');
    expect((await eventsOf(page, 'refused', 2)).map((e) => e.type)).toEqual(['error', 'close']);
    await openSocket(page, 'twice', 'wss://api.example.com/feed');
    const conn = await feed.waitForConnection();
    await conn.send('tick');
    expect((await eventsOf(page, 'twice', 3)).map((e) => e.data ?? e.type)).toEqual(['open', 'tick', 'tick']);
    expect(conn.faults.map((f) => f.kind)).toContain('duplicate');
  });

  it('to: a mock or a path takes every matching socket, whatever its path', async () => {
    const lobby = app.server.websocket('/rooms/:room', { echoMode: false });
    const page = await newPage();
    await route(app.server, page, 'wss://api.example.com/**', { to: '/rooms/lobby' });
    await page.goto(APP_URL);
    await openSocket(page, 'a', 'wss://api.example.com/any/where?x=1');
    const conn = await lobby.waitForConnection();
    expect(conn.params).toEqual({ room: 'lobby' });
    expect(conn.query).toEqual({ x: '1' });
  });

  it('a record: true mock records the routed conversation; to: a mock handle takes the socket', async () => {
    const live = app.server.websocket('/live', { record: true, matchers: [{ match: { type: 'exact', value: 'price?' }, response: { type: 'json', value: { price: 42 } } }] });
    const page = await newPage();
    await route(app.server, page, 'wss://api.example.com/**', { to: live });
    await page.goto(APP_URL);
    await openSocket(page, 'a', 'wss://api.example.com/prices');
    await eventsOf(page, 'a', 1);
    await onSocket(page, 'a', (ws) => ws.send('price?'));
    expect((await eventsOf(page, 'a', 2))[1]!.data).toBe('{"price":42}');
    const recording = app.server.recording(live.id);
    expect(recording.frames.map((f) => [f.direction, f.text])).toEqual([
      ['client-to-server', 'price?'],
      ['server-to-client', '{"price":42}'],
    ]);
  });

  it('a BrowserContext route carries the sockets of every page, each its own connection', async () => {
    const feed = app.server.websocket('/feed', { echoMode: false });
    const context = await app.newContext();
    await serveApp(context);
    await route(app.server, context, 'wss://api.example.com/**');
    const [one, two] = [await context.newPage(), await context.newPage()];
    await one.goto(APP_URL);
    await two.goto(APP_URL);
    await openSocket(one, 's', 'wss://api.example.com/feed?page=1');
    const first = await feed.waitForConnection({ query: { page: '1' } });
    await openSocket(two, 's', 'wss://api.example.com/feed?page=2');
    const second = await feed.waitForConnection({ query: { page: '2' } });
    await first.send('to one');
    await second.send('to two');
    expect((await eventsOf(one, 's', 2))[1]!.data).toBe('to one');
    expect((await eventsOf(two, 's', 2))[1]!.data).toBe('to two');
    await one.close();
    expect(await first.waitForClose()).toMatchObject({ by: 'client', code: 1005 }); // Playwright reports the page's end without a code
    expect(second.readyState).toBe(1);
  });

  it('closing the mock server closes the page socket with 1001; the page gets no socket to a closed server', async () => {
    const own = await createMockServer();
    const feed = own.websocket('/feed');
    const page = await newPage();
    await route(own, page, 'wss://api.example.com/**');
    await page.goto(APP_URL);
    await openSocket(page, 'a', 'wss://api.example.com/feed');
    await feed.waitForConnection();
    await eventsOf(page, 'a', 1);
    await own.close();
    expect((await eventsOf(page, 'a', 2))[1]).toMatchObject({ type: 'close', code: 1001 });
    await openSocket(page, 'b', 'wss://api.example.com/feed');
    expect((await eventsOf(page, 'b', 2)).map((e) => e.type)).toEqual(['error', 'close']);
  });
});

describe('issue 27: route() to a tls server', () => {
  it('carries the page socket to a wss:// mock app.server, trusting its ephemeral certificate', async () => {
    const secure = await createMockServer({ tls: true });
    try {
      const feed = secure.websocket('/feed', { echoMode: false });
      const page = await newPage();
      await route(secure, page, 'wss://api.example.com/**');
      await page.goto(APP_URL);
      await openSocket(page, 'a', 'wss://api.example.com/feed');
      const conn = await feed.waitForConnection();
      expect(conn.url.startsWith('/feed')).toBe(true);
      await conn.send('over tls');
      expect((await eventsOf(page, 'a', 2)).map((e) => e.data ?? e.type)).toEqual(['open', 'over tls']);
    } finally {
      await secure.close();
    }
  });
});

describe('issue 27: route() bad input', () => {
  it('by default the unmatched report is a console warning naming the pattern and the URLs seen', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const page = await newPage();
      await route(app.server, page, /api\.example\.com\/live/);
      await page.goto(APP_URL);
      await page.close();
      expect(warn.mock.calls).toEqual([['wsmock route(/api\\.example\\.com\\/live/): nothing the page opened matched, so the mock server saw none of it; it opened no WebSocket.']]);
    } finally {
      warn.mockRestore();
    }
  });

  it('a pattern that matched nothing reports the WebSocket URLs the page opened when it closes', async () => {
    const reports: unknown[] = [];
    const page = await newPage();
    await route(app.server, page, 'wss://api.example.com/**', { onUnmatched: (report) => reports.push(report) });
    await page.goto(APP_URL);
    await openSocket(page, 'elsewhere', 'ws://127.0.0.1:9/other');
    await eventsOf(page, 'elsewhere', 2);
    await page.close();
    expect(reports).toEqual([{ pattern: 'wss://api.example.com/**', seen: ['ws://127.0.0.1:9/other'] }]);
  });

  it('refuses a `to` that is no mock or path of the app.server, and arguments of the wrong kind, naming the field', async () => {
    const other = await createMockServer();
    const foreign = other.websocket('/x');
    app.server.websocket('/chat/:room');
    const page = await newPage();
    try {
      await expect(route(app.server, page, 'wss://api.example.com/**', { to: '/nope' })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: expect.stringMatching(/options\.to is "\/nope", a path no mock of the server serves; its mocks serve \/chat\/:room/) });
      await expect(route(app.server, page, 'wss://api.example.com/**', { to: foreign })).rejects.toThrow(/options\.to is mock "mock-1", which is not a mock of this server/);
      await expect(route(app.server, page, 'wss://api.example.com/**', { to: app.server.mocks.list()[0] as never })).rejects.toThrow(/options\.to .* whose path \/chat\/:room has parameters/);
      await expect(route(app.server, page, '' as never)).rejects.toThrow(/wsmock route: url must be a glob .* got an empty string/);
      await expect(route(app.server, {} as never, 'wss://x/**')).rejects.toThrow(/pageOrContext must be a Playwright Page or BrowserContext/);
      await expect(route({} as never, page, 'wss://x/**')).rejects.toThrow(/server must be a wsmock MockServer/);
    } finally {
      await other.close();
    }
  });
});

