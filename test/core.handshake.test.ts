import { describe, expect, it } from 'vitest';
import { createMockServer, type RejectionInfo } from '../src/index.js';
import { connect, refusal, startClient } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

describe('SPEC §6 handshake refusals', () => {
  it('answers 404 with a JSON body when no mock serves the path, and counts it', async () => {
    const seen: RejectionInfo[] = [];
    server.on('rejected', (info) => seen.push(info));
    server.websocket('/known');
    const { status, body } = await refusal(`${server.url}/unknown`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'websocket_endpoint_not_found', path: '/unknown' });
    expect(seen).toEqual([{ path: '/unknown', status: 404, error: 'websocket_endpoint_not_found' }]);
    expect(server.stats().rejectedConnections).toBe(1);
    server.removeAllListeners('rejected');
  });

  it('answers 503 endpoint_disabled for a disabled mock', async () => {
    const mock = server.websocket({ id: 'off', path: '/off', enabled: false });
    const { status, body } = await refusal(mock.url);
    expect(status).toBe(503);
    expect(body.error).toBe('endpoint_disabled');
    expect(server.stats().rejectedConnections).toBe(1);
  });

  it('answers 503 max_connections_reached beyond maxConnections', async () => {
    const mock = server.websocket({ path: '/limited', maxConnections: 2 });
    await connect(mock.url);
    await connect(mock.url);
    const { status, body } = await refusal(mock.url);
    expect(status).toBe(503);
    expect(body.error).toBe('max_connections_reached');
    expect(server.stats()).toMatchObject({ activeConnections: 2, rejectedConnections: 1, totalConnections: 2 });
  });

  it('frees a maxConnections slot when a connection closes', async () => {
    const mock = server.websocket({ path: '/one', maxConnections: 1 });
    const first = await connect(mock.url);
    await first.close();
    await expect.poll(() => mock.connections.length).toBe(0);
    const second = await connect(mock.url);
    expect(second.ws.readyState).toBe(1);
  });

  it('answers 400 subprotocol_required when none is offered and one is required', async () => {
    const mock = server.websocket({ path: '/gql', subprotocols: ['graphql-ws'], requireSubprotocol: true });
    const { status, body } = await refusal(mock.url);
    expect(status).toBe(400);
    expect(body.error).toBe('subprotocol_required');
  });

  it('answers 400 subprotocol_not_supported when none of the offered ones is listed', async () => {
    const mock = server.websocket({ path: '/gql', subprotocols: ['graphql-ws'], requireSubprotocol: true });
    const { status, body } = await refusal(mock.url, { protocols: ['mqtt', 'stomp'] });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'subprotocol_not_supported', offered: ['mqtt', 'stomp'], supported: ['graphql-ws'] });
  });

  it('negotiates the first client-offered protocol that the mock lists', async () => {
    const mock = server.websocket({ path: '/chat', subprotocols: ['chat.v1', 'chat.v2'] });
    const client = await connect(mock.url, { protocols: ['chat.v3', 'chat.v2', 'chat.v1'] });
    const conn = await mock.waitForConnection();
    expect(client.ws.protocol).toBe('chat.v2');
    expect(conn.subprotocol).toBe('chat.v2');
    expect(conn.info.subprotocol).toBe('chat.v2');
  });

  it('refuses every upgrade with handshake.status, its body and headers', async () => {
    const mock = server.websocket({
      path: '/auth',
      handshake: { status: 401, body: { error: 'unauthorized' }, headers: { 'www-authenticate': 'Bearer' } },
    });
    const { status, body, headers } = await refusal(mock.url);
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'unauthorized' });
    expect(headers['www-authenticate']).toBe('Bearer');
    expect(server.stats().rejectedConnections).toBe(1);
  });

  it('adds handshake.headers to an accepted upgrade', async () => {
    const mock = server.websocket({ path: '/h', handshake: { headers: { 'x-mock': 'yes' } } });
    const client = startClient(mock.url);
    const upgradeHeaders = new Promise<Record<string, unknown>>((resolve) => client.ws.once('upgrade', (res) => resolve(res.headers)));
    await client.opened;
    expect((await upgradeHeaders)['x-mock']).toBe('yes');
  });

  it('holds the handshake for handshake.delay', async () => {
    const mock = server.websocket({ path: '/slow', handshake: { delay: '150ms' } });
    const started = performance.now();
    await connect(mock.url);
    // A lower bound only: the delay is a minimum, so this cannot flake on a slow machine.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('an exact path beats a parametrised one, and params are captured', async () => {
    const param = server.websocket({ id: 'param', path: '/rooms/:room' });
    const exact = server.websocket({ id: 'exact', path: '/rooms/lobby' });
    await connect(`${server.url}/rooms/lobby`);
    await connect(`${server.url}/rooms/kitchen%20sink?user=ann&user=bob`);
    expect((await exact.waitForConnection()).mockId).toBe('exact');
    const conn = await param.waitForConnection();
    expect(conn.params).toEqual({ room: 'kitchen sink' });
    expect(conn.query).toEqual({ user: 'bob' });
    expect(conn.url).toBe('/rooms/kitchen%20sink?user=ann&user=bob');
  });

  it('answers plain HTTP on a mock path with 426 and elsewhere with 404', async () => {
    server.websocket('/ws');
    const onMock = await fetch(`${server.httpUrl}/ws`);
    expect(onMock.status).toBe(426);
    expect(await onMock.json()).toEqual({ error: 'upgrade_required', path: '/ws' });
    const elsewhere = await fetch(`${server.httpUrl}/nothing`);
    expect(elsewhere.status).toBe(404);
  });
});

describe('SPEC §6 close codes', () => {
  const reasons = [
    ['update()', (m: any) => m.update({ echoMode: false }), 'mock updated'],
    ['disable()', (m: any) => m.disable(), 'mock disabled'],
    ['remove()', (m: any) => m.remove(), 'mock removed'],
    ['server.mocks.clear()', () => server.mocks.clear(), 'mock removed'],
    ['server.reset()', () => server.reset(), 'server reset'],
  ] as const;

  for (const [name, act, reason] of reasons) {
    it(`closes the mock's clients with 1012 "${reason}" on ${name}`, async () => {
      const mock = server.websocket('/changing');
      const client = await connect(mock.url);
      await mock.waitForConnection();
      await act(mock);
      expect(await client.closed).toEqual({ code: 1012, reason });
    });
  }

  it('update() closes only that mock\'s clients and resolves with how many', async () => {
    const a = server.websocket('/a');
    const b = server.websocket('/b');
    const a1 = await connect(a.url);
    const a2 = await connect(a.url);
    const b1 = await connect(b.url);
    await a.waitForConnection();
    await a.waitForConnection();
    await b.waitForConnection();
    expect(await a.update({ maxConnections: 5 })).toBe(2);
    expect((await a1.closed).code).toBe(1012);
    expect((await a2.closed).code).toBe(1012);
    expect(b1.ws.readyState).toBe(1);
    expect(b.connections).toHaveLength(1);
  });

  it('closes with 1009 when a frame exceeds maxMessageSize, and only that connection', async () => {
    const mock = server.websocket({ path: '/small', maxMessageSize: 16 });
    const big = await connect(mock.url);
    const other = await connect(mock.url);
    big.send('x'.repeat(17));
    expect((await big.closed).code).toBe(1009);
    other.send('still here');
    expect(await other.next()).toBe('still here');
  });

  it('closes with 1001 "idle timeout" after idleTimeout without frames', async () => {
    const mock = server.websocket({ path: '/idle', idleTimeout: 100 });
    const client = await connect(mock.url);
    expect(await client.closed).toEqual({ code: 1001, reason: 'idle timeout' });
  });

  it('closes with 1001 "ping timeout" when the client does not answer pings', async () => {
    const mock = server.websocket({ path: '/hb', heartbeat: { interval: 50, timeout: 50 } });
    const client = await connect(mock.url, { autoPong: false });
    expect(await client.closed).toEqual({ code: 1001, reason: 'ping timeout' });
  });

  it('keeps a client that answers pings', async () => {
    const mock = server.websocket({ path: '/hb', heartbeat: { interval: 30, timeout: 200 } });
    const client = await connect(mock.url);
    let pings = 0;
    client.ws.on('ping', () => pings++);
    await expect.poll(() => pings, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    expect(client.ws.readyState).toBe(1);
  });

  it('closes with 1001 "server shutdown" on server.close()', async () => {
    const own = await createMockServer();
    const mock = own.websocket('/bye');
    const client = await connect(mock.url);
    await own.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutdown' });
  });
});
