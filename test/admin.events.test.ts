import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAdminHandler, createMockServer, type MockServer } from '../src/index.js';
import { MAX_BUFFERED_BYTES } from '../src/admin/EventHub.js';
import { closeAllClients, connect } from './helpers/client.js';

const servers: MockServer[] = [];
const sources: EventSource[] = [];
async function start(admin: Record<string, unknown> = {}) {
  const server = await createMockServer({ admin });
  servers.push(server);
  server.websocket({ id: 'echo', path: '/echo', echoMode: true });
  return server;
}
afterEach(async () => {
  for (const s of sources.splice(0)) s.close();
  await closeAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An `eventsource` client collecting every event it gets, by type. */
function subscribe(url: string, token?: string) {
  const source = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } }),
  });
  sources.push(source);
  const events: { type: string; data: any }[] = [];
  for (const type of ['ready', 'connection', 'close', 'message', 'mock:added', 'mock:updated', 'mock:removed', 'stats']) {
    source.addEventListener(type, (e) => events.push({ type, data: JSON.parse(e.data) }));
  }
  const ready = new Promise<void>((resolve, reject) => {
    source.addEventListener('ready', () => resolve());
    source.addEventListener('error', (e) => reject(Object.assign(new Error(`stream error ${e.code ?? ''} ${e.message ?? ''}`), { code: e.code })));
  });
  const of = (type: string) => events.filter((e) => e.type === type).map((e) => e.data);
  return { source, events, ready, of };
}

const serverListeners = (server: MockServer) =>
  ['connection', 'message', 'sent', 'close', 'mock:added', 'mock:updated', 'mock:removed', 'contract:violation', 'closing'].map((e) => server.listenerCount(e as never));

describe('GET /events', () => {
  it('streams connection, message (summaries), close, mock and stats events', async () => {
    const server = await start();
    const stream = subscribe(`${server.adminUrl}/events`);
    await stream.ready;
    expect(stream.of('ready')).toEqual([{ frames: false, payloadLimit: 4096 }]);

    const client = await connect(`${server.url}/echo?room=1`);
    client.send('hello');
    expect(await client.next()).toBe('hello');
    await vi.waitFor(() => expect(stream.of('message')).toHaveLength(2));
    const [conn] = stream.of('connection');
    expect(conn).toMatchObject({ id: expect.stringMatching(/^conn-\d+$/), mockId: 'echo', path: '/echo', url: '/echo?room=1', status: 'connected' });
    expect(stream.of('message')).toEqual([
      { seq: expect.any(Number), connectionId: conn.id, mockId: 'echo', direction: 'in', binary: false, size: 5, at: expect.any(String) },
      { seq: expect.any(Number), connectionId: conn.id, mockId: 'echo', direction: 'out', binary: false, size: 5, at: expect.any(String) },
    ]);

    client.ws.close(4000, 'bye');
    await client.closed;
    await vi.waitFor(() => expect(stream.of('close')).toHaveLength(1));
    expect(stream.of('close')[0]).toMatchObject({ id: conn.id, code: 4000, reason: 'bye', by: 'client', messagesRecv: 1, messagesSent: 1 });

    const mock = server.websocket({ id: 'second', path: '/second' });
    await mock.disable();
    await mock.remove();
    await vi.waitFor(() => expect(stream.of('mock:removed')).toEqual([{ id: 'second', type: 'websocket' }]));
    expect(stream.of('mock:added')[0]).toMatchObject({ id: 'second', type: 'websocket', enabled: true, websocket: { path: '/second' } });
    expect(stream.of('mock:updated')[0]).toMatchObject({ id: 'second', enabled: false });

    await vi.waitFor(() => expect(stream.of('stats').length).toBeGreaterThan(0), { timeout: 3000 });
    expect(stream.of('stats').at(-1)).toMatchObject({ totalConnections: 1, activeConnections: 0, totalMessagesRecv: 1, totalMessagesSent: 1 });
  });

  it('frames=1 includes payloads (text as is, binary as base64) cut at 4096, and connection=ID keeps one connection', async () => {
    const server = await start();
    const a = await connect(`${server.url}/echo`);
    const b = await connect(`${server.url}/echo`);
    const [infoA] = server.connections.list();
    const stream = subscribe(`${server.adminUrl}/events?frames=1&connection=${infoA!.id}`);
    await stream.ready;
    b.send('not this one');
    a.send('x'.repeat(5000));
    a.send(Buffer.from([0, 1, 2, 255]));
    await vi.waitFor(() => expect(stream.of('message')).toHaveLength(4));
    const [big, , bin] = stream.of('message');
    expect(big).toMatchObject({ connectionId: infoA!.id, direction: 'in', size: 5000, truncated: true });
    expect(big.data).toBe('x'.repeat(4096));
    expect(bin).toMatchObject({ binary: true, data: Buffer.from([0, 1, 2, 255]).toString('base64'), truncated: false });
    expect(stream.of('message').every((m) => m.connectionId === infoA!.id)).toBe(true);
  });

  it('GET /websocket/connections/ID/messages: the newest frames of the journal, shaped like the stream\'s, to merge by seq', async () => {
    const server = await start();
    const client = await connect(`${server.url}/echo`);
    for (const text of ['a', 'b', 'c']) {
      client.send(text);
      await client.next();
    }
    const [info] = server.connections.list();
    const stream = subscribe(`${server.adminUrl}/events?frames=1&connection=${info!.id}`);
    await stream.ready;
    client.send('d');
    await vi.waitFor(() => expect(stream.of('message')).toHaveLength(2));
    const res = await fetch(`${server.adminUrl}/websocket/connections/${info!.id}/messages?limit=3`);
    const body = await res.json();
    expect(body.total).toBe(8);
    expect(body.messages.map((m: { direction: string; data: string }) => `${m.direction} ${m.data}`)).toEqual(['out c', 'in d', 'out d']);
    // The same frames in the history and on the stream are equal, seq included: a reader keeps one of each.
    expect(stream.of('message')).toEqual(body.messages.slice(1));
    expect(body.messages[0].seq).toBeLessThan(body.messages[1].seq);
    expect((await fetch(`${server.adminUrl}/websocket/connections/${info!.id}/messages?limit=0`)).status).toBe(400);
    expect((await fetch(`${server.adminUrl}/websocket/connections/conn-999/messages`)).status).toBe(404);
  });

  it('asks for the token like every admin route', async () => {
    const server = await start({ token: 'sesame' });
    const refused = await fetch(`${server.adminUrl}/events`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'unauthorized' });
    const wrong = subscribe(`${server.adminUrl}/events`, 'nope');
    await expect(wrong.ready).rejects.toMatchObject({ code: 401 });
    const right = subscribe(`${server.adminUrl}/events`, 'sesame');
    await right.ready;
    expect((await fetch(`${server.adminUrl}/events?frames=maybe`, { headers: { authorization: 'Bearer sesame' } })).status).toBe(400);
  });

  it('listens to the server only while a stream is open', async () => {
    const server = await start();
    const before = serverListeners(server);
    const stream = subscribe(`${server.adminUrl}/events`);
    await stream.ready;
    expect(serverListeners(server).map((n, i) => n - before[i]!)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    stream.source.close();
    await vi.waitFor(() => expect(serverListeners(server)).toEqual(before));
  });

  it(`drops a subscriber that stops reading once more than ${MAX_BUFFERED_BYTES} bytes wait for it, and the server goes on`, async () => {
    const server = await start();
    // The handler on a listener of the test's own, to see the server's side of the stalled response end.
    const handler = createAdminHandler(server);
    const listener = http.createServer((req, res) => {
      if (req.url === '/events?frames=1') res.on('close', () => (dropped = true));
      handler(req, res);
    });
    let dropped = false;
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const before = serverListeners(server);
      // A raw HTTP client that never reads its response.
      const stalled = await new Promise<http.IncomingMessage>((resolve) => http.get(`${base}/events?frames=1`, resolve));
      stalled.pause();
      const reader = subscribe(`${base}/events`);
      await reader.ready;

      const client = await connect(`${server.url}/echo`);
      const payload = 'y'.repeat(4096);
      // Traffic until the stalled stream is dropped (kernel buffers first absorb some megabytes).
      for (let round = 0; round < 200 && !dropped; round++) {
        for (let i = 0; i < 99; i++) void client.send(payload);
        await client.send(payload);
        await client.next();
      }
      expect(dropped).toBe(true);
      // The server goes on: the reading subscriber still gets events, the echo still answers.
      void client.send('after');
      await vi.waitFor(() => expect(reader.of('message').at(-1)).toMatchObject({ direction: 'out', size: 5 }));
      reader.source.close();
      await vi.waitFor(() => expect(serverListeners(server)).toEqual(before));
      stalled.destroy();
    } finally {
      handler.close();
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('server.close() ends open streams and the process has nothing left of them', async () => {
    const server = await start();
    const response = await fetch(`${server.adminUrl}/events`);
    const reader = response.body!.getReader();
    await reader.read();
    await server.close();
    // The stream ends (cleanly or by the dropped socket), it does not hang.
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'ended';
      })().catch(() => 'ended'),
    ).resolves.toBe('ended');
  });

  it('a mounted handler ends its streams on handler.close(), and on the server\'s close()', async () => {
    const server = await start();
    const handler = createAdminHandler(server);
    const listener = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const ended = async () => {
      const response = await fetch(`${base}/events`);
      const reader = response.body!.getReader();
      await reader.read();
      return async () => {
        for (;;) if ((await reader.read()).done) return 'ended';
      };
    };
    try {
      const first = await ended();
      handler.close();
      await expect(first()).resolves.toBe('ended');
      expect((await fetch(`${base}/events`)).status).toBe(503);

      const again = createAdminHandler(server);
      listener.removeAllListeners('request');
      listener.on('request', (req, res) => again(req, res));
      const second = await ended();
      expect(serverListeners(server)[0]).toBe(1);
      await server.close();
      await expect(second()).resolves.toBe('ended');
      expect(serverListeners(server)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    } finally {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
