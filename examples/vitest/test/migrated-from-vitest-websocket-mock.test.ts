// Migration example: a test written for vitest-websocket-mock
//
//   const server = new WS('ws://localhost:1234', { jsonProtocol: true });
//   const feed = new PriceFeed('ws://localhost:1234');
//   await server.connected;
//   feed.subscribe('ACME');
//   await expect(server).toReceiveMessage({ type: 'subscribe', id: 1, symbol: 'ACME' });
//   server.send({ type: 'price', symbol: 'ACME', value: 42 });
//   expect(feed.latest('ACME')).toBe(42);
//
// written with wsmock's own API: a server on a free port, the mock's URL given
// to the code under test, and the connection's handle for the assertions.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { PriceFeed } from '../src/priceFeed.js';

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

it('subscribes and keeps the price the server pushes', async () => {
  const mock = server.websocket('/prices', { echoMode: false });
  const feed = new PriceFeed(mock.url);
  const conn = await mock.waitForConnection(); // was: await server.connected

  feed.subscribe('ACME');
  await expect(conn).toReceiveMessage({ type: 'subscribe', id: 1, symbol: 'ACME' });

  await conn.send({ type: 'price', symbol: 'ACME', value: 42 }); // was: server.send(…)
  await vi.waitFor(() => expect(feed.latest('ACME')).toBe(42)); // the client handles it a round trip later
  feed.close();
});
