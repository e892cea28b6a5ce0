import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { PriceFeed } from '../src/priceFeed.js';

let server: MockServer;
const feeds: PriceFeed[] = [];

beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  for (const feed of feeds.splice(0)) feed.close();
  await server.reset();
});
afterAll(() => server.close());

function feed(url: string): PriceFeed {
  const f = new PriceFeed(url);
  feeds.push(f);
  return f;
}

it('subscribes and keeps the latest price the server pushes', async () => {
  const prices = server.websocket('/prices', { echoMode: false });
  const client = feed(prices.url);
  const conn = await prices.waitForConnection();

  client.subscribe('ACME');
  await expect(conn).toReceiveMessage({ type: 'subscribe', symbol: 'ACME', id: expect.any(Number) });

  await conn.send({ type: 'price', symbol: 'ACME', value: 101.5 });
  await vi.waitFor(() => expect(client.latest('ACME')).toBe(101.5));
});

it('sends nothing after an unsubscribe', async () => {
  const prices = server.websocket('/prices', { echoMode: false });
  const client = feed(prices.url);
  const conn = await prices.waitForConnection();
  client.subscribe('ACME');
  client.unsubscribe('ACME');

  await expect(conn).toReceiveMessage(expect.objectContaining({ type: 'subscribe' }));
  await expect(conn).toReceiveMessage(expect.objectContaining({ type: 'unsubscribe', symbol: 'ACME' }));
  await expect(conn).not.toReceiveMessage(undefined, { within: 100 });
  expect(conn).toHaveReceivedMessages([{ type: 'subscribe', id: 1, symbol: 'ACME' }, { type: 'unsubscribe', id: 2, symbol: 'ACME' }]);
});

it('reconnects and resubscribes when the mock is updated (close 1012)', async () => {
  const prices = server.websocket('/prices', { echoMode: false });
  const client = feed(prices.url);
  const first = await prices.waitForConnection();
  client.subscribe('ACME');
  await expect(first).toReceiveMessage(expect.objectContaining({ symbol: 'ACME' }));

  await prices.update({ name: 'prices v2' });
  await expect(first).toBeClosed({ code: 1012 });
  await expect(prices).toHaveConnections(1);

  const second = await prices.waitForConnection();
  await expect(second).toReceiveMessage({ type: 'subscribe', id: expect.any(Number), symbol: 'ACME' });
});

it('closes cleanly', async () => {
  const prices = server.websocket('/prices', { echoMode: false });
  const client = new PriceFeed(prices.url);
  const conn = await prices.waitForConnection();
  client.close();
  await expect(conn).toBeClosed({ code: 1000, reason: 'bye' });
  await expect(prices).toHaveConnections(0);
});
