import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { Stocks } from '../src/stocks.js';

let server: MockServer;
const apps: Stocks[] = [];

beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await server.reset();
});
afterAll(() => server.close());

function stocks(url: string, token = 'secret'): Stocks {
  const app = new Stocks(url, token);
  apps.push(app);
  return app;
}

it('looks a company up with a query answered by the mock', async () => {
  const gql = server.graphql('/graphql', {
    operations: { GetCompany: { data: { company: { name: 'Company {{variables.symbol}}' } } } },
  });
  expect(await stocks(gql.url).companyName('ACME')).toBe('Company ACME');
});

it('follows the prices the test pushes, and unsubscribes', async () => {
  const gql = server.graphql();
  const app = stocks(gql.url);
  app.watch('ACME');

  const op = await gql.waitForOperation({ operationName: 'OnPrice' });
  expect(op.variables).toEqual({ symbol: 'ACME' });
  await op.next({ price: 101.5 });
  await vi.waitFor(() => expect(app.latest('ACME')).toBe(101.5));

  app.unwatch('ACME');
  await expect(op).toBeCompleted({ by: 'client' });
});

it('logs in with its token', async () => {
  const gql = server.graphql('/graphql', { connectionInit: (payload) => payload?.token === 'secret' });
  const app = stocks(gql.url);
  app.watch('ACME');
  const connection = await gql.waitForConnection();
  expect(connection.payload).toEqual({ token: 'secret' });
  expect(connection.acknowledged).toBe(true);
});

it('subscribes again after the server restarts', async () => {
  const gql = server.graphql();
  const app = stocks(gql.url);
  app.watch('ACME');
  await gql.waitForOperation();

  await gql.update({ operations: { OnPrice: { next: [{ price: 99 }], complete: false } } }); // clients get 1012
  await vi.waitFor(() => expect(app.latest('ACME')).toBe(99));
});
