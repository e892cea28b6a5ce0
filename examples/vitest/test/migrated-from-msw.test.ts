// Migration example: MSW's WebSocket handlers
//
//   const feed = ws.link('ws://localhost/prices');
//   const handlers = [
//     feed.addEventListener('connection', ({ client }) => {
//       client.addEventListener('message', (event) => {
//         const msg = JSON.parse(event.data);
//         if (msg.type === 'subscribe') client.send(JSON.stringify({ type: 'price', symbol: msg.symbol, value: 1 }));
//       });
//     }),
//   ];
//
// as a wsmock mock: the handler's replies become a matcher (or an onConnection
// handler), and the code under test connects to the mock's real URL.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { PriceFeed } from '../src/priceFeed.js';

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

it('answers each subscription with a price', async () => {
  const mock = server.websocket('/prices', {
    matchers: [
      {
        match: { type: 'json', path: '$.type', value: 'subscribe' },
        response: { type: 'json', value: { type: 'price', symbol: '{{message.symbol}}', value: 1 } },
      },
    ],
  });
  const feed = new PriceFeed(mock.url);
  await mock.waitForConnection();
  feed.subscribe('ACME');
  await vi.waitFor(() => expect(feed.latest('ACME')).toBe(1));
  feed.close();
});
