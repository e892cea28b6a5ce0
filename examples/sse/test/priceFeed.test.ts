import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { openPriceFeed, type PriceFeed } from '../src/priceFeed.js';

let server: MockServer;
let feed: PriceFeed | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  feed?.close();
  await server.reset();
});
afterAll(() => server.close());

/** Resolves once `check()` holds, re-checked on every change of the feed. */
function until(feed: PriceFeed, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    feed.onChange(() => check() && resolve());
  });
}

it('shows the prices the stream starts with', async () => {
  const prices = server.sse('/prices', {
    events: [
      { event: 'price', id: '1', data: { symbol: 'ACME', price: 12 } },
      { event: 'price', id: '2', data: { symbol: 'INIT', price: 3.5 } },
    ],
  });
  feed = openPriceFeed(prices.httpUrl);
  await until(feed, () => feed!.prices.size === 2);
  expect(Object.fromEntries(feed.prices)).toEqual({ ACME: 12, INIT: 3.5 });
});

it('follows what the test pushes, and halts a symbol', async () => {
  const prices = server.sse('/prices');
  feed = openPriceFeed(prices.httpUrl);
  const stream = await prices.waitForConnection();
  await stream.send({ event: 'price', id: '7', data: { symbol: 'ACME', price: 13 } });
  await stream.send({ event: 'halt', data: 'ACME' });
  await until(feed, () => feed!.halted.has('ACME'));
  expect(feed.prices.get('ACME')).toBe(13);
  expect(stream).toHaveSent({ event: 'halt', data: 'ACME' });
});

it('reconnects after the stream drops and resumes from the last event it had', async () => {
  const prices = server.sse('/prices', { retry: 50 });
  feed = openPriceFeed(prices.httpUrl);
  const first = await prices.waitForConnection();
  await first.send({ event: 'price', id: '41', data: { symbol: 'ACME', price: 1 } });
  await until(feed, () => feed!.prices.get('ACME') === 1);
  await first.close();
  await expect(first).toBeClosed();

  const second = await prices.waitForConnection();
  expect(second.lastEventId).toBe('41');
  await second.send({ event: 'price', id: '42', data: { symbol: 'ACME', price: 2 } });
  await until(feed, () => feed!.prices.get('ACME') === 2);
  await expect(prices).toHaveConnections(1);
});
