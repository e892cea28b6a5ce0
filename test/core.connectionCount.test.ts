import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../src/index.js';
import { connect, type TestClient } from './helpers/client.js';

let server: MockServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.reset();
});
afterAll(() => server.close());

describe('waitForConnectionCount', () => {
  it('resolves with the open connections once the count is reached, on a mock and on the server', async () => {
    const mock = server.websocket('/n');
    const waiting = mock.waitForConnectionCount(2);
    clients.push(await connect(mock.url), await connect(mock.url));
    const open = await waiting;
    expect(open.map((c) => c.mockId)).toEqual([mock.id, mock.id]);
    expect(await server.waitForConnectionCount(2)).toHaveLength(2);
  });

  it('is woken by departures, not only arrivals', async () => {
    const mock = server.websocket('/down');
    clients.push(await connect(mock.url));
    await mock.waitForConnectionCount(1);
    const empty = mock.waitForConnectionCount(0);
    await clients[0]!.close();
    expect(await empty).toEqual([]);
    expect(await server.waitForConnectionCount(0)).toEqual([]);
  });

  it('consumes nothing: waitForConnection still returns the arrivals', async () => {
    const mock = server.websocket('/c');
    clients.push(await connect(mock.url));
    const [counted] = await mock.waitForConnectionCount(1);
    expect((await mock.waitForConnection()).id).toBe(counted!.id);
  });

  it('times out saying how many are open, and rejects a bad count', async () => {
    const mock = server.websocket('/t');
    await expect(mock.waitForConnectionCount(1, { timeout: 30 })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_TIMEOUT',
      message: `Timed out after 30 ms waiting for 1 open connection(s) on mock "${mock.id}" (/t). 0 open now.`,
    });
    await expect(mock.waitForConnectionCount(-1)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' });
    await expect(server.waitForConnectionCount(1.5)).rejects.toThrow('count must be a non-negative integer, got 1.5');
  });
});
