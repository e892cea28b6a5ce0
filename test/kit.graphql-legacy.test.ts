//
// The GraphQL kit with subscriptions-transport-ws's SubscriptionClient: the
// legacy `graphql-ws` protocol (start / data / error / complete / stop, ka,
// connection_error, connection_terminate).
//
import type { SubscriptionClient } from 'subscriptions-transport-ws';
import { describe, expect, it, vi } from 'vitest';
import { legacyClient, useGraphQLClients } from './helpers/graphql.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
useGraphQLClients();

const ON_PRICE = 'subscription OnPrice($symbol: String!) { price(symbol: $symbol) }';

/** Runs `request` and records what its observable delivers. */
function run(client: SubscriptionClient, request: { query: string; variables?: Record<string, unknown> }) {
  const results: unknown[] = [];
  let subscription!: { unsubscribe(): void };
  const done = new Promise<unknown>((resolve) => {
    subscription = client.request(request).subscribe({
      next: (value) => void results.push(value),
      error: (err) => resolve(err),
      complete: () => resolve('complete'),
    });
  });
  return { results, done, unsubscribe: () => subscription.unsubscribe() };
}

describe('the legacy graphql-ws protocol', () => {
  it('hands the test each start; data, error and complete reach the observable', async () => {
    const gql = server.graphql();
    const client = legacyClient(gql.url);
    const a = run(client, { query: ON_PRICE, variables: { symbol: 'ACME' } });
    const b = run(client, { query: ON_PRICE, variables: { symbol: 'NOPE' } });

    const first = await gql.waitForOperation({ operationName: 'OnPrice' });
    const second = await gql.waitForOperation({ operationName: 'OnPrice' });
    expect(first.connection.protocol).toBe('graphql-ws');
    expect(first.variables).toEqual({ symbol: 'ACME' });
    await first.next({ price: 1 });
    await first.complete();
    await second.error({ message: 'unknown symbol' });

    expect(await a.done).toBe('complete');
    expect(a.results).toEqual([{ data: { price: 1 } }]);
    // The client hands the observer the first error of the payload.
    expect(await b.done).toEqual({ message: 'unknown symbol' });
    const sent = first.connection.connection.messages.filter((m) => m.direction === 'out').map((m) => (m.json as { type: string }).type);
    expect(sent).toEqual(['connection_ack', 'data', 'complete', 'error']);
  });

  it('answers queries declaratively with data then complete', async () => {
    const gql = server.graphql('/graphql', { operations: { GetUser: { data: { user: { id: '{{variables.id}}' } } } } });
    const query = run(legacyClient(gql.url), { query: 'query GetUser($id: Int) { user(id: $id) { id } }', variables: { id: 3 } });
    expect(await query.done).toBe('complete');
    expect(query.results).toEqual([{ data: { user: { id: 3 } } }]);
  });

  it('sees the client stop a subscription with waitForComplete', async () => {
    const gql = server.graphql();
    const sub = run(legacyClient(gql.url), { query: ON_PRICE, variables: { symbol: 'X' } });
    const op = await gql.waitForOperation();
    sub.unsubscribe();
    expect(await op.waitForComplete()).toBe('client');
    expect(op.connection.connection.received.at(-1)?.json).toEqual({ id: op.id, type: 'stop' });
  });

  it('refuses with connection_error then 1011, and accepts with the ack payload', async () => {
    const gql = server.graphql('/graphql', { connectionInit: (payload) => (payload?.token === 'secret' ? { user: 'ada' } : false) });
    const connectionCallback = vi.fn();
    legacyClient(gql.url, { connectionParams: { token: 'wrong' }, connectionCallback });
    const refused = await gql.waitForConnection();
    await vi.waitFor(() => expect(connectionCallback).toHaveBeenCalledWith({ message: 'Prohibited connection!' }));
    expect((await refused.connection.waitForClose()).code).toBe(1011);

    const accepted = legacyClient(gql.url, { connectionParams: { token: 'secret' } });
    const connected = vi.fn();
    accepted.onConnected(connected);
    const handle = await gql.waitForConnection();
    expect(handle).toMatchObject({ protocol: 'graphql-ws', payload: { token: 'secret' } });
    await vi.waitFor(() => expect(connected).toHaveBeenCalledWith({ user: 'ada' }));
  });

  it('sends ka with the ack and every keepAlive', async () => {
    const gql = server.graphql('/graphql', { keepAlive: '20ms' });
    legacyClient(gql.url);
    const handle = await gql.waitForConnection();
    await vi.waitFor(() => {
      const sent = handle.connection.messages.filter((m) => m.direction === 'out').map((m) => (m.json as { type: string }).type);
      expect(sent.slice(0, 4)).toEqual(['connection_ack', 'ka', 'ka', 'ka']);
    });
  });

  it('closes on connection_terminate, after the client stopped its operations', async () => {
    const gql = server.graphql();
    const client = legacyClient(gql.url);
    run(client, { query: ON_PRICE, variables: { symbol: 'X' } });
    const op = await gql.waitForOperation();
    client.close();
    const info = await op.connection.connection.waitForClose();
    expect(op.connection.connection.received.some((m) => (m.json as { type: string }).type === 'connection_terminate')).toBe(true);
    expect(info.code).toBe(1000);
    expect(op.endedBy).toBe('client');
  });
});
