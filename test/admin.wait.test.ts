import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer } from '../src/index.js';
import { closeAllClients, connect } from './helpers/client.js';

const servers: MockServer[] = [];
async function start() {
  const server = await createMockServer({ admin: true });
  servers.push(server);
  server.websocket({ id: 'echo', path: '/echo', echoMode: true });
  server.websocket({ id: 'other', path: '/other' });
  return server;
}
afterEach(async () => {
  await closeAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const listening = (server: MockServer) => server.listenerCount('connection') + server.listenerCount('close') + server.listenerCount('closing');

describe('GET /websocket/connections?wait=1', () => {
  it('answers when exactly N are open (of one mock with mockId), with them', async () => {
    const server = await start();
    const pending = fetch(`${server.adminUrl}/websocket/connections?wait=1&count=2&mockId=echo&timeout=5s`);
    await vi.waitFor(() => expect(listening(server)).toBe(3));
    await connect(`${server.url}/other`);
    await connect(`${server.url}/echo`);
    await connect(`${server.url}/echo`);
    const res = await pending;
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.connections.map((c: { mockId: string }) => c.mockId)).toEqual(['echo', 'echo']);
    expect(listening(server)).toBe(0);
  });

  it('408 with what is open when the timeout passes first', async () => {
    const server = await start();
    await connect(`${server.url}/echo`);
    const res = await fetch(`${server.adminUrl}/websocket/connections?wait=1&count=2&timeout=150`);
    expect(res.status).toBe(408);
    expect(await res.json()).toMatchObject({
      error: 'timeout',
      message: 'Waited 150 ms for 2 open connection(s); 1 open.',
      connections: [{ mockId: 'echo', status: 'connected' }],
      stats: { activeConnections: 1 },
    });
  });

  it('is released when the client leaves, and answers 503 when the server closes', async () => {
    const server = await start();
    const controller = new AbortController();
    const left = fetch(`${server.adminUrl}/websocket/connections?wait=1&count=5&timeout=1m`, { signal: controller.signal });
    await vi.waitFor(() => expect(listening(server)).toBe(3));
    controller.abort();
    await expect(left).rejects.toThrow();
    await vi.waitFor(() => expect(listening(server)).toBe(0));

    const pending = fetch(`${server.adminUrl}/websocket/connections?wait=1&count=5&timeout=1m`);
    await vi.waitFor(() => expect(listening(server)).toBe(3));
    const closed = server.close();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'server_closed' });
    await closed;
  });

  it('names the bad parameter', async () => {
    const server = await start();
    const get = async (q: string) => {
      const res = await fetch(`${server.adminUrl}/websocket/connections?${q}`);
      return { status: res.status, body: await res.json() };
    };
    expect(await get('wait=1')).toMatchObject({ status: 400, body: { details: [{ path: 'count', message: expect.stringContaining('is required') }] } });
    expect(await get('wait=1&count=-1')).toMatchObject({ status: 400, body: { details: [{ path: 'count' }] } });
    expect(await get('wait=1&count=1&timeout=soon')).toMatchObject({ status: 400, body: { details: [{ path: 'timeout' }] } });
    expect(await get('wait=1&count=1&timeout=1h')).toMatchObject({ status: 400, body: { details: [{ path: 'timeout', message: 'must be at most 5m' }] } });
    expect(await get('wait=yes&count=1')).toMatchObject({ status: 400, body: { details: [{ path: 'wait' }] } });
    expect(await get('wait=1&count=1&mockId=nope')).toMatchObject({ status: 404 });
  });
});
