import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type AsyncApiMocks, type ContractViolation, type MockServer } from 'wsmock';
import { connectMarket, type MarketClient } from '../src/marketClient.js';

const contract = fileURLToPath(new URL('../kraken.asyncapi.yaml', import.meta.url));

let server: MockServer;
let kraken: AsyncApiMocks;
let client: MarketClient | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  client?.close();
  await server.reset();
});
afterAll(() => server.close());

it('pings and subscribes the way the contract says, answered from the contract', async () => {
  kraken = await server.asyncapi(contract);
  client = await connectMarket(kraken.mocks[0]!.url);
  const conn = await kraken.mocks[0]!.waitForConnection();

  expect(await client.ping()).toBeGreaterThanOrEqual(0);
  await expect(conn).toReceiveMessage({ messageId: 'ping' });

  // The contract's first example of subscriptionStatus, the reqid copied from the request.
  const answer = await client.subscribe('ticker', ['XBT/EUR']);
  expect(answer).toMatchObject({ event: 'subscriptionStatus', status: 'subscribed', reqid: 2 });
  await expect(conn).toReceiveMessage({ messageId: 'subscribe' });

  expect(conn).toConformToContract();
  expect(server).toHaveCoveredContract({ operations: ['ping', 'subscribe'] });
  expect(server).not.toHaveCoveredContract(); // unsubscribe, heartbeat and systemStatus were never used
});

it('shows the status the exchange announces, pushed by the test from the contract', async () => {
  kraken = await server.asyncapi(contract);
  client = await connectMarket(kraken.mocks[0]!.url);
  await kraken.mocks[0]!.waitForConnection();
  const announced = new Promise((resolve) => client!.onStatus(resolve));
  kraken.sendMessage('systemStatus', { status: 'maintenance' });
  expect(await announced).toBe('maintenance');
  expect(client.status).toBe('maintenance');
});

it('a request the contract does not allow is a violation with its JSON path, and gets no answer', async () => {
  kraken = await server.asyncapi(contract);
  client = await connectMarket(kraken.mocks[0]!.url);
  const conn = await kraken.mocks[0]!.waitForConnection();
  const violated = new Promise<ContractViolation>((resolve) => server.once('contract:violation', resolve));
  void client.subscribe('tickers', ['XBT/EUR']); // not a feed name of the contract: the mock does not answer it
  const violation = await violated;
  expect(violation).toMatchObject({ direction: 'in', message: 'subscribe', errors: [expect.objectContaining({ path: '$.subscription.name', keyword: 'enum' })] });
  expect(conn.violations).toEqual([violation]);
  expect(() => expect(conn).toConformToContract()).toThrow(/\$\.subscription\.name must be one of "book"/);
});
