import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, WsMockError, type MockServer } from '../src/index.js';
import { closeAllClients, connect } from './helpers/client.js';

// conn.ping(): a real ping, settled by the real client's pong.

const servers: MockServer[] = [];
afterEach(async () => {
  await closeAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof createMockServer>[0] = {}): Promise<MockServer> {
  const server = await createMockServer(options);
  servers.push(server);
  return server;
}

describe('conn.ping()', () => {
  it('resolves with the round trip once the client has received every frame sent before it', async () => {
    const server = await start();
    const mock = server.websocket('/feed', { echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    void conn.send('one');
    void conn.send({ n: 2 });
    void conn.send(Buffer.from([3]));
    const ms = await conn.ping();
    expect(typeof ms).toBe('number');
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(client.received.map((f) => f.text)).toEqual(['one', '{"n":2}', '\u0003']);
  });

  it('sends the given payload, and settles each ping with its own pong', async () => {
    const server = await start();
    const mock = server.websocket('/feed');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const pinged: Buffer[] = [];
    client.ws.on('ping', (data: Buffer) => pinged.push(data));
    const results = await Promise.all([conn.ping('a'), conn.ping(Buffer.from('b')), conn.ping('a'), conn.ping()]);
    expect(results.every((ms) => ms >= 0)).toBe(true);
    expect(pinged.slice(0, 3).map(String)).toEqual(['a', 'b', 'a']);
    expect(pinged[3]).toHaveLength(8); // a unique 8-byte payload
  });

  it('rejects WSMOCK_ERR_CONNECTION_CLOSED when the connection closes before the pong', async () => {
    const server = await start();
    const mock = server.websocket('/feed');
    const client = await connect(mock.url, { autoPong: false });
    const conn = await mock.waitForConnection();
    const pinged = once(client.ws, 'ping');
    const pong = conn.ping().catch((err: unknown) => err);
    await pinged;
    await client.close(4000);
    const error = (await pong) as WsMockError;
    expect(error).toBeInstanceOf(WsMockError);
    expect(error.code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    expect(error.message).toBe(`Cannot ping: connection ${conn.id} is closed (code 4000).`);
    await expect(conn.ping()).rejects.toMatchObject({ code: 'WSMOCK_ERR_CONNECTION_CLOSED' });
  });

  it("rejects WSMOCK_ERR_TIMEOUT after the server's timeout without a pong", async () => {
    const server = await start({ timeout: 100 });
    const mock = server.websocket('/feed');
    await connect(mock.url, { autoPong: false });
    const conn = await mock.waitForConnection();
    await expect(conn.ping()).rejects.toMatchObject({
      code: 'WSMOCK_ERR_TIMEOUT',
      message: `No pong within 100 ms for a ping on ${conn.id}.`,
    });
  });

  it('refuses data that is not a string or Buffer, or longer than 125 bytes', async () => {
    const server = await start();
    const mock = server.websocket('/feed');
    await connect(mock.url);
    const conn = await mock.waitForConnection();
    await expect(conn.ping('x'.repeat(126))).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_ARGUMENT',
      message: "conn.ping(data): data must be at most 125 bytes (a control frame's limit), got 126",
    });
    await expect(conn.ping(42 as never)).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_ARGUMENT',
      message: 'conn.ping(data): data must be a string or a Buffer, got number',
    });
  });

  it('leaves the heartbeat working: a pong to conn.ping() also answers the heartbeat', async () => {
    const server = await start();
    const mock = server.websocket('/feed', { heartbeat: { interval: 20, timeout: 1000 } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await once(client.ws, 'ping'); // the heartbeat's
    expect(await conn.ping('mine')).toBeGreaterThanOrEqual(0);
    await once(client.ws, 'ping'); // and the next one
    expect(conn.isOpen).toBe(true);
  });
});
