//
// SSE streams in the one connection manager: a server with an SSE mock and a
// WebSocket mock, `stats()` exact for both, `connections.list({ type })`,
// `/metrics` by type, the `/sse/…` admin routes over real HTTP, config
// envelopes, and the matchers.
//
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, WsMockErrorCode, type Connection } from '../src/index.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { adminClient } from './helpers/admin.js';
import { connect, refusal } from './helpers/client.js';
import { failure } from './helpers/failures.js';
import { useMockServer } from './helpers/server.js';
import { closeSseClients, RawStream, SseClient } from './helpers/sse.js';

expect.extend(wsmockMatchers);

const server = useMockServer();
afterEach(() => closeSseClients());

/** One SSE mock with two streams and one WebSocket echo mock with one client that said "hi". */
async function mixed() {
  const feed = server.sse('/feed', { id: 'feed', events: [{ event: 'hello', data: 'hi' }] });
  const chat = server.websocket('/chat', { id: 'chat' });
  const a = new SseClient(feed.httpUrl, ['hello']);
  const b = new SseClient(feed.httpUrl, ['hello']);
  await a.next();
  await b.next();
  const ws = await connect(chat.url);
  ws.send('hi');
  await ws.frame();
  await expect(server).toHaveConnections(3);
  return { feed, chat, a, b, ws };
}

describe('one manager for WebSocket and SSE', () => {
  it('stats() counts both, exactly, with totals per type in byType and every mock in connectionsByMock', async () => {
    const { feed } = await mixed();
    const wire = Buffer.byteLength('event: hello\ndata: hi\n\n');
    expect(server.stats()).toEqual({
      totalConnections: 3,
      activeConnections: 3,
      rejectedConnections: 0,
      totalMessagesSent: 3,
      totalMessagesRecv: 1,
      totalBytesSent: 2 * wire + 2,
      totalBytesRecv: 2,
      connectionsByMock: { feed: 2, chat: 1 },
      byType: {
        websocket: { totalConnections: 1, activeConnections: 1, totalMessagesSent: 1, totalMessagesRecv: 1, totalBytesSent: 2, totalBytesRecv: 2 },
        sse: { totalConnections: 2, activeConnections: 2, totalMessagesSent: 2, totalMessagesRecv: 0, totalBytesSent: 2 * wire, totalBytesRecv: 0 },
      },
      faults: {},
      upstream: { messagesSent: 0, messagesRecv: 0, bytesSent: 0, bytesRecv: 0, droppedAfterClose: 0 },
      violations: 0,
      violationsByMock: {},
    });
    const [first] = feed.connections;
    await first!.close();
    const after = server.stats();
    expect(after.activeConnections).toBe(2);
    expect(after.byType.sse).toMatchObject({ totalConnections: 2, activeConnections: 1 });
    expect(after.connectionsByMock).toEqual({ feed: 1, chat: 1 });
  });

  it('lists both with their type, filters by type, and emits the same server events', async () => {
    const seen: string[] = [];
    const onConnection = (c: Connection) => seen.push(`connection ${c.type} ${c.path}`);
    const onClose = (c: Connection) => seen.push(`close ${c.type}`);
    const onSent = (c: Connection) => seen.push(`sent ${c.type}`);
    server.on('connection', onConnection);
    server.on('close', onClose);
    server.on('sent', onSent);
    try {
      const feed = server.sse('/events-only', { events: [{ data: 'x' }] });
      const client = new SseClient(feed.httpUrl);
      await client.next();
      expect(seen).toEqual(['connection sse /events-only', 'sent sse']);
      client.close();
      await feed.waitForConnectionCount(0);
      expect(seen.at(-1)).toBe('close sse');
      await feed.remove();
    } finally {
      server.off('connection', onConnection);
      server.off('close', onClose);
      server.off('sent', onSent);
    }
    await mixed();
    expect(server.connections.list().map((c) => c.type).sort()).toEqual(['sse', 'sse', 'websocket']);
    expect(server.connections.list({ type: 'sse' }).map((c) => c.mockId)).toEqual(['feed', 'feed']);
    expect(server.connections.list({ type: 'websocket' }).map((c) => c.mockId)).toEqual(['chat']);
    expect(() => server.connections.list({ type: 'mqtt' as 'sse' })).toThrow(/type must be "websocket" or "sse"/);
    const sse = server.connections.list({ type: 'sse' })[0]!;
    expect(sse).toMatchObject({ type: 'sse', path: '/feed', url: '/feed', subprotocol: null, status: 'connected', messagesSent: 1, messagesRecv: 0, rooms: [] });
    expect(server.connections.get(sse.id)!.type).toBe('sse');
  });

  it('server.connections.send() and broadcast() write plain data to SSE streams as message events', async () => {
    const { a, b, ws } = await mixed();
    for (const { id } of server.connections.list({ type: 'sse' })) await server.connections.send(id, { hello: id });
    const ids = server.connections.list({ type: 'sse' }).map(({ id }) => `{"hello":"${id}"}`);
    expect([(await a.next()).data, (await b.next()).data].sort()).toEqual(ids.sort());
    expect(server.connections.broadcast('to all')).toBe(3);
    expect((await a.next()).data).toBe('to all');
    expect((await b.next()).data).toBe('to all');
    expect((await ws.frame()).text).toBe('to all');
  });

  it('/metrics labels every per-mock series with its type', async () => {
    await mixed();
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const { text } = await admin.get('/metrics');
    expect(text).toContain('wsmock_connections_total{mock_id="feed",type="sse"} 2');
    expect(text).toContain('wsmock_connections_total{mock_id="chat",type="websocket"} 1');
    expect(text).toContain('wsmock_active_connections{mock_id="feed",type="sse"} 2');
    expect(text).toContain('wsmock_messages_sent_total{mock_id="feed",type="sse"} 2');
  });
});

describe('/sse admin routes', () => {
  it('list, get, send, stats and close streams; /websocket/connections lists both, narrowed by ?type', async () => {
    const { a } = await mixed();
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));

    const list = await admin.get('/sse/connections');
    expect(list.status).toBe(200);
    expect(list.body.connections).toHaveLength(2);
    expect(list.body.connections.every((c: { type: string }) => c.type === 'sse')).toBe(true);
    expect(list.body.stats).toEqual({
      totalConnections: 2,
      activeConnections: 2,
      totalMessagesSent: 2,
      totalMessagesRecv: 0,
      totalBytesSent: 2 * Buffer.byteLength('event: hello\ndata: hi\n\n'),
      totalBytesRecv: 0,
      connectionsByMock: { feed: 2 },
    });
    expect((await admin.get('/sse/stats')).body).toEqual(list.body.stats);

    const id: string = list.body.connections[0].id;
    const one = await admin.get(`/sse/connections/${id}`);
    expect(one.body).toMatchObject({ id, type: 'sse', mockId: 'feed' });

    const sent = await admin.post(`/sse/connections/${id}/send`, { event: 'hello', id: '7', data: { n: 1 } });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ message: 'Event sent', connection: id, event: 'hello' });
    expect(await a.next()).toEqual({ type: 'hello', data: '{"n":1}', lastEventId: '7' });

    const all = await admin.get('/websocket/connections');
    expect(all.body.connections.map((c: { type: string }) => c.type).sort()).toEqual(['sse', 'sse', 'websocket']);
    expect((await admin.get('/websocket/connections?type=websocket')).body.connections).toHaveLength(1);
    expect((await admin.get('/websocket/connections?type=nope')).status).toBe(400);

    const closed = await admin.delete(`/sse/connections/${id}`);
    expect(closed.body).toEqual({ message: 'Connection closed', connection: id });
    const stream = server.mocks.get('feed')!;
    await expect(stream).toHaveConnections(1);
    expect((await admin.get(`/sse/connections/${id}`)).status).toBe(404);
  });

  it('answers 404 for a WebSocket id under /sse and 400 naming the field for a bad event', async () => {
    await mixed();
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const wsId = server.connections.list({ type: 'websocket' })[0]!.id;
    const sseId = server.connections.list({ type: 'sse' })[0]!.id;
    const notSse = await admin.get(`/sse/connections/${wsId}`);
    expect(notSse.status).toBe(404);
    expect(notSse.body.message).toMatch(/No open SSE stream/);
    const noData = await admin.post(`/sse/connections/${sseId}/send`, { event: 'x' });
    expect(noData.status).toBe(400);
    expect(JSON.stringify(noData.body)).toContain('data');
    const twoLines = await admin.post(`/sse/connections/${sseId}/send`, { event: 'a\nb', data: 'x' });
    expect(twoLines.status).toBe(400);
    expect(JSON.stringify(twoLines.body)).toMatch(/event.*one line/);
    const badRetry = await admin.post(`/sse/connections/${sseId}/send`, { data: 'x', retry: -1 });
    expect(badRetry.status).toBe(400);
    expect(JSON.stringify(badRetry.body)).toContain('retry');
  });

  it('defines, patches and lists an SSE mock through /mocks with envelope type "sse"', async () => {
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const created = await admin.post('/mocks', { id: 'news', type: 'sse', sse: { path: '/news', retry: 100, events: [{ event: 'n', data: { v: '{{connection.query.v}}' } }] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'news', action: 'created' });
    expect((await admin.get('/mocks/news')).body).toMatchObject({ id: 'news', type: 'sse', enabled: true, sse: { path: '/news', retry: 100 } });
    const client = new SseClient(`${server.httpUrl}/news?v=3`, ['n']);
    expect(await client.next()).toEqual({ type: 'n', data: '{"v":"3"}', lastEventId: '' });
    const patched = await admin.patch('/mocks/news', { sse: { events: [{ data: 'v2' }] } });
    expect(patched.status).toBe(200);
    expect((await client.next()).data).toBe('v2');
    const bad = await admin.post('/mocks', { type: 'sse', sse: { path: '/x', loop: true, events: [{ data: 'a' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ path: 'loop', message: expect.stringMatching(/needs a positive "interval"/) }]);
  });
});

describe('config', () => {
  it('reads SSE mocks from config files and refuses bad fields by name', () => {
    const loaded = parseConfig(
      'version: "1.0"\nmocks:\n  - id: ticks\n    type: sse\n    sse:\n      path: /ticks\n      interval: 1s\n      loop: true\n      keepAlive: 15s\n      events:\n        - { event: tick, data: "{{sequence}}" }\n',
      'ticks.yaml',
    );
    expect(loaded.mocks[0]).toMatchObject({ id: 'ticks', type: 'sse', sse: { path: '/ticks', loop: true } });
    const mock = server.mocks.define(loaded.mocks[0]!);
    expect(mock.type).toBe('sse');
    expect(mock.toJSON()).toEqual(loaded.mocks[0]!.id ? { ...loaded.mocks[0], enabled: true } : loaded.mocks[0]);

    const bad = (config: object) => {
      try {
        server.sse({ path: '/bad', ...config } as never);
      } catch (err) {
        return (err as { code: string; message: string });
      }
      throw new Error('expected a refusal');
    };
    expect(bad({ retry: -5 })).toMatchObject({ code: WsMockErrorCode.INVALID_CONFIG, message: expect.stringMatching(/retry/) });
    expect(bad({ events: [{ event: 'a\nb', data: 'x' }] }).message).toMatch(/events\[0\]\.event.*one line/s);
    expect(bad({ events: [{ event: 'a' }] }).message).toMatch(/events\[0\]\.data.*required/s);
    expect(bad({ events: [{ data: '{{#open}}' }] }).message).toMatch(/events\[0\]\.data.*template/s);
    expect(bad({ keepAlive: 0 }).message).toMatch(/keepAlive.*positive/s);
    expect(bad({ loop: true, events: [{ data: 'x' }] }).message).toMatch(/loop.*interval/s);
    expect(bad({ echoMode: true }).message).toMatch(/echoMode/);
  });
});

describe('matchers', () => {
  it('toHaveSent finds a sent event by fields or data; toReceiveMessage refuses an SSE stream and says why', async () => {
    const feed = server.sse('/feed', { events: [{ event: 'price', id: '1', data: { symbol: 'ACME', price: 12 } }, { data: 'plain' }] });
    const client = new SseClient(feed.httpUrl, ['price']);
    await client.take(2);
    const stream = await feed.waitForConnection();
    expect(stream).toHaveSent({ event: 'price', data: { symbol: 'ACME', price: 12 } });
    expect(stream).toHaveSent({ event: 'price', data: expect.objectContaining({ price: 12 }) });
    expect(stream).toHaveSent('plain');
    expect(stream).toHaveSent({ id: '1' });
    expect(stream).not.toHaveSent({ event: 'price', data: { price: 13 } });
    const message = await failure(() => expect(stream).toHaveSent({ event: 'trade' }));
    expect(message).toContain(`Expected ${stream.id} to have sent`);
    expect(message).toContain('"event":"price"');

    const refused = await failure(() => expect(stream).toReceiveMessage('x'));
    expect(refused).toMatch(/toReceiveMessage\(\) does not apply to an SSE stream .*EventSource client sends nothing/s);
    await stream.close();
    await expect(stream).toBeClosed({ code: 1000 });
    const ws = server.websocket('/ws');
    await connect(ws.url);
    const wsConn = await ws.waitForConnection();
    expect(await failure(() => expect(wsConn).toHaveSent('x'))).toMatch(/works on an SSE stream/);
  });
});

describe('the SSE path over other requests', () => {
  it('a WebSocket handshake on an SSE path is refused with 400', async () => {
    server.sse('/feed');
    const refused = await refusal(`${server.url}/feed`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'sse_endpoint' });
  });

  it('HEAD answers the stream headers without opening a stream', async () => {
    const feed = server.sse('/feed');
    const head = new RawStream(feed.httpUrl, { method: 'HEAD' });
    await head.end();
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(feed.connections).toHaveLength(0);
    expect(server.stats().totalConnections).toBe(0);
  });
});
