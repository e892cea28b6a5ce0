import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../src/index.js';
import { closeAllClients, connect } from './helpers/client.js';

// Listening on both loopback addresses, and close() that stops listening first.
// Real `ws` clients.

const servers: MockServer[] = [];
afterEach(async () => {
  await closeAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof createMockServer>[0]): Promise<MockServer> {
  const server = await createMockServer(options);
  servers.push(server);
  return server;
}

/** Whether this machine has an IPv6 loopback address to listen on. */
async function hasIpv6Loopback(): Promise<boolean> {
  const probe = net.createServer();
  try {
    probe.listen(0, '::1');
    await once(probe, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

describe("host: 'localhost'", () => {
  it('listens on 127.0.0.1 and ::1 on one port, and says ws://localhost:PORT', async () => {
    const server = await start({ host: 'localhost' });
    const mock = server.websocket('/feed');
    expect(server.url).toBe(`ws://localhost:${server.port}`);
    expect(mock.url).toBe(`ws://localhost:${server.port}/feed`);
    const v4 = await connect(`ws://127.0.0.1:${server.port}/feed`);
    expect(await v4.ask('v4')).toBe('v4');
    if (await hasIpv6Loopback()) {
      const v6 = await connect(`ws://[::1]:${server.port}/feed`);
      expect(await v6.ask('v6')).toBe('v6');
      expect(mock.connections.map((c) => c.info.clientIp)).toEqual(['127.0.0.1', '::1']);
    }
  });

  it('takes a fixed port on both addresses, and refuses one in use naming it', async () => {
    const first = await start({ host: 'localhost' });
    const port = first.port;
    const error = await createMockServer({ host: 'localhost', port }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'WSMOCK_ERR_LISTEN_FAILED', message: `Cannot listen on localhost:${port}: port ${port} is already in use.` });
    await first.close();
    const again = await start({ host: 'localhost', port });
    expect(again.url).toBe(`ws://localhost:${port}`);
  });
});

describe('close()', () => {
  it('stops listening before it closes the clients: a client arriving meanwhile is refused at the TCP level', async () => {
    const server = await start({});
    const mock = server.websocket('/feed');
    const client = await connect(`${mock.url}`);
    const closing = server.close();
    const late = net.connect(server.port, '127.0.0.1');
    const [error] = (await once(late, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    await closing;
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutdown' });
  });

  it('frees the port for the next server as soon as it resolves, with clients connected', async () => {
    const server = await start({ host: 'localhost' });
    const port = server.port;
    const mock = server.websocket('/feed');
    await connect(mock.url);
    await server.close();
    const next = await start({ host: 'localhost', port });
    expect(next.port).toBe(port);
  });
});
