//
// The GraphQL kit with graphql-ws's own client (graphql-transport-ws):
// operations answered by the test, declaratively and by functions; queries
// and mutations; connection_init; keep-alive; reconnecting after update().
//
import { describe, expect, it, vi } from 'vitest';
import { createMockServer, type GraphQLOperation } from '../src/index.js';
import { collect, graphqlClient, subscribe, useGraphQLClients } from './helpers/graphql.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
useGraphQLClients();

const ON_PRICE = 'subscription OnPrice($symbol: String!) { price(symbol: $symbol) }';

describe('operations pushed by the test', () => {
  it('gives the test each subscription with its id, name, query and variables; next and complete reach the sink', async () => {
    const gql = server.graphql();
    const client = graphqlClient(gql.url);
    const sink = subscribe(client, { query: ON_PRICE, variables: { symbol: 'ACME' } });

    const op = await gql.waitForOperation({ operationName: 'OnPrice' });
    expect(op).toMatchObject({ operationName: 'OnPrice', type: 'subscription', query: ON_PRICE, variables: { symbol: 'ACME' }, completed: false });
    expect(op.connection.protocol).toBe('graphql-transport-ws');
    expect(typeof op.id).toBe('string');

    expect(await op.next({ price: 1 })).toBe(true);
    await op.next({ data: { price: 2 }, errors: [{ message: 'stale' }] });
    await op.complete();

    expect(await sink.done).toBeUndefined();
    expect(sink.results).toEqual([{ data: { price: 1 } }, { data: { price: 2 }, errors: [{ message: 'stale' }] }]);
    expect(op.endedBy).toBe('server');
    expect(await op.next({ price: 3 })).toBe(false);
  });

  it('publishes one result to every running operation of a name', async () => {
    const gql = server.graphql();
    const client = graphqlClient(gql.url);
    const a = subscribe(client, { query: ON_PRICE, variables: { symbol: 'A' } });
    const b = subscribe(client, { query: ON_PRICE, variables: { symbol: 'B' } });
    subscribe(client, { query: 'subscription OnNews { news }' });
    await gql.waitForOperation({ operationName: 'OnPrice' });
    await gql.waitForOperation({ operationName: 'OnPrice' });
    await gql.waitForOperation({ operationName: 'OnNews' });

    expect(gql.publish('OnPrice', { price: 7 })).toBe(2);
    expect(await a.results$(1)).toEqual([{ data: { price: 7 } }]);
    expect(await b.results$(1)).toEqual([{ data: { price: 7 } }]);
    expect(gql.operations.map((op) => op.operationName).sort()).toEqual(['OnNews', 'OnPrice', 'OnPrice']);
  });

  it('fails an operation with error(): the sink gets the GraphQL errors', async () => {
    const gql = server.graphql();
    const sink = subscribe(graphqlClient(gql.url), { query: ON_PRICE, variables: { symbol: 'X' } });
    const op = await gql.waitForOperation();
    await op.error([{ message: 'unknown symbol', extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(await sink.done).toEqual([{ message: 'unknown symbol', extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(op.completed).toBe(true);
  });

  it('sees the client unsubscribe with waitForComplete', async () => {
    const gql = server.graphql();
    const sink = subscribe(graphqlClient(gql.url), { query: ON_PRICE, variables: { symbol: 'X' } });
    const op = await gql.waitForOperation();
    sink.unsubscribe();
    expect(await op.waitForComplete()).toBe('client');
    expect(op.endedBy).toBe('client');
    expect(await op.next({ price: 1 })).toBe(false);
  });

  it('leaves an operation without an entry open for the test, and names anonymous and multi-operation documents', async () => {
    const gql = server.graphql();
    const client = graphqlClient(gql.url);
    const anonymous = subscribe(client, { query: '{ me { id } }' });
    const named = subscribe(client, { query: 'query A { a } query B { b }', operationName: 'B' });
    const first = await gql.waitForOperation();
    const second = await gql.waitForOperation();
    expect([first.operationName, first.type]).toEqual([undefined, 'query']);
    expect([second.operationName, second.type]).toEqual(['B', 'query']);
    // A query has one result: next() completes it.
    await first.next({ me: { id: '1' } });
    await second.next({ b: true });
    expect(await anonymous.done).toBeUndefined();
    expect(await named.done).toBeUndefined();
    expect(anonymous.results).toEqual([{ data: { me: { id: '1' } } }]);
    expect(first.endedBy).toBe('server');
  });

  it('times out naming what it waited for and what arrived', async () => {
    const gql = server.graphql('/graphql', { id: 'prices' });
    subscribe(graphqlClient(gql.url), { query: ON_PRICE, variables: { symbol: 'X' } });
    await gql.waitForOperation();
    await expect(gql.waitForOperation({ operationName: 'OnNews', timeout: 50 })).rejects.toThrow(
      /Timed out after 50 ms waiting for an operation named "OnNews" on mock "prices" \(\/graphql\)\. All 1 that arrived were already returned/,
    );
  });
});

describe('declarative results', () => {
  it('sends each `next` item `interval` apart, then completes; client.iterate sees them all', async () => {
    const gql = server.graphql('/graphql', { operations: { OnPrice: { next: [{ price: 1 }, { price: 2 }, { price: 3 }], interval: '10ms' } } });
    const results = await collect(graphqlClient(gql.url).iterate({ query: ON_PRICE, variables: { symbol: 'X' } }));
    expect(results).toEqual([{ data: { price: 1 } }, { data: { price: 2 } }, { data: { price: 3 } }]);
  });

  it('renders templates: a whole-string variable keeps its type, other strings are text', async () => {
    const gql = server.graphql('/graphql', {
      operations: {
        GetUser: { data: { user: { id: '{{variables.id}}', age: '{{variables.age}}', label: 'user {{variables.id}} of {{operationName}}' } } },
      },
    });
    const [result] = await collect(graphqlClient(gql.url).iterate({ query: 'query GetUser($id: ID!, $age: Int) { user(id: $id) { id age label } }', variables: { id: 'u1', age: 42 } }));
    expect(result).toEqual({ data: { user: { id: 'u1', age: 42, label: 'user u1 of GetUser' } } });
  });

  it('answers queries and mutations with one result, errors included, and fails with `error`', async () => {
    const gql = server.graphql('/graphql', {
      operations: {
        Save: { data: { save: { ok: true } } },
        Partial: { data: { a: null }, errors: [{ message: 'a failed', path: ['a'] }] },
        Denied: { error: [{ message: 'not allowed' }] },
      },
    });
    const client = graphqlClient(gql.url);
    expect(await collect(client.iterate({ query: 'mutation Save { save { ok } }' }))).toEqual([{ data: { save: { ok: true } } }]);
    expect(await collect(client.iterate({ query: 'query Partial { a }' }))).toEqual([{ data: { a: null }, errors: [{ message: 'a failed', path: ['a'] }] }]);
    await expect(collect(client.iterate({ query: 'query Denied { a }' }))).rejects.toEqual([{ message: 'not allowed' }]);
    const saved = await gql.waitForOperation({ operationName: 'Save' });
    expect(saved.type).toBe('mutation');
    expect(saved.endedBy).toBe('server');
  });

  it('keeps a subscription open after its results with `complete: false`', async () => {
    const gql = server.graphql('/graphql', { operations: { OnPrice: { next: [{ price: 1 }], complete: false } } });
    const sink = subscribe(graphqlClient(gql.url), { query: ON_PRICE, variables: { symbol: 'X' } });
    const op = await gql.waitForOperation();
    await sink.results$(1);
    expect(op.completed).toBe(false);
    await op.next({ price: 2 });
    await op.complete();
    await sink.done;
    expect(sink.results).toEqual([{ data: { price: 1 } }, { data: { price: 2 } }]);
  });
});

describe('in-process operation functions', () => {
  it('answers with a value or a promise (one next, then complete)', async () => {
    const gql = server.graphql('/graphql', {
      operations: {
        GetUser: (op) => ({ user: { id: op.variables.id } }),
        Later: async () => ({ data: { later: true } }),
      },
    });
    const client = graphqlClient(gql.url);
    expect(await collect(client.iterate({ query: 'query GetUser($id: ID!) { user(id: $id) { id } }', variables: { id: 7 } }))).toEqual([{ data: { user: { id: 7 } } }]);
    expect(await collect(client.iterate({ query: 'query Later { later }' }))).toEqual([{ data: { later: true } }]);
  });

  it('streams an async iterable and stops iterating when the client completes', async () => {
    let stopped = false;
    const gql = server.graphql('/graphql', {
      operations: {
        async *OnPrice(op: GraphQLOperation) {
          try {
            for (let price = 1; ; price++) {
              yield { price, symbol: op.variables.symbol };
              await new Promise((resolve) => setImmediate(resolve));
            }
          } finally {
            stopped = true;
          }
        },
      },
    });
    const sink = subscribe(graphqlClient(gql.url), { query: ON_PRICE, variables: { symbol: 'ACME' } });
    expect(await sink.results$(3)).toEqual([1, 2, 3].map((price) => ({ data: { price, symbol: 'ACME' } })));
    const op = await gql.waitForOperation();
    sink.unsubscribe();
    expect(await op.waitForComplete()).toBe('client');
    await vi.waitFor(() => expect(stopped).toBe(true));
  });

  it('completes after a finite iterable, and turns a thrown error into an error frame and a server error event', async () => {
    const errors: Error[] = [];
    server.on('error', (error) => errors.push(error));
    const gql = server.graphql('/graphql', {
      operations: {
        async *Count() {
          yield { n: 1 };
          yield { n: 2 };
        },
        Broken: () => {
          throw new Error('resolver exploded');
        },
      },
    });
    const client = graphqlClient(gql.url);
    expect(await collect(client.iterate({ query: 'subscription Count { n }' }))).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }]);
    await expect(collect(client.iterate({ query: 'query Broken { x }' }))).rejects.toEqual([{ message: 'resolver exploded' }]);
    expect(errors.map((e) => e.message)).toEqual(['resolver exploded']);
  });
});

describe('connection_init', () => {
  it('refuses with 4403 when connectionInit says false, and accepts with the ack payload it returns', async () => {
    const gql = server.graphql('/graphql', {
      connectionInit: (payload) => (payload?.token === 'secret' ? { user: 'ada' } : false),
    });
    const closed = vi.fn();
    const refused = graphqlClient(gql.url, { connectionParams: { token: 'wrong' }, on: { closed } });
    await expect(collect(refused.iterate({ query: '{ a }' }))).rejects.toMatchObject({ code: 4403, reason: 'Forbidden' });

    const connected = vi.fn();
    const accepted = graphqlClient(gql.url, { connectionParams: { token: 'secret' }, on: { connected } });
    subscribe(accepted, { query: '{ a }' });
    const refusedHandle = await gql.waitForConnection();
    const handle = await gql.waitForConnection();
    expect(refusedHandle).toMatchObject({ payload: { token: 'wrong' }, acknowledged: false, protocol: 'graphql-transport-ws' });
    expect(handle).toMatchObject({ payload: { token: 'secret' }, acknowledged: true });
    expect(handle.connection.isOpen).toBe(true);
    await vi.waitFor(() => expect(connected).toHaveBeenCalledWith(expect.anything(), { user: 'ada' }, false));
  });

  it('checks required payload fields and values declaratively', async () => {
    const gql = server.graphql('/graphql', { connectionInit: { require: ['token'], values: { version: 2 }, ackPayload: { welcome: true } } });
    await expect(collect(graphqlClient(gql.url, { connectionParams: { version: 2 } }).iterate({ query: '{ a }' }))).rejects.toMatchObject({ code: 4403 });
    await expect(collect(graphqlClient(gql.url, { connectionParams: { token: 't', version: 1 } }).iterate({ query: '{ a }' }))).rejects.toMatchObject({ code: 4403 });
    const connected = vi.fn();
    subscribe(graphqlClient(gql.url, { connectionParams: { token: 't', version: 2 }, on: { connected } }), { query: '{ a }' });
    await gql.waitForOperation();
    expect(connected).toHaveBeenCalledWith(expect.anything(), { welcome: true }, false);
  });

  it('waits for an async decision before acknowledging', async () => {
    let release!: (ok: boolean) => void;
    const gql = server.graphql('/graphql', { connectionInit: () => new Promise<boolean>((resolve) => (release = resolve)) });
    const sink = subscribe(graphqlClient(gql.url), { query: ON_PRICE, variables: { symbol: 'X' } });
    const handle = await gql.waitForConnection();
    expect(handle.acknowledged).toBe(false);
    release(true);
    const op = await gql.waitForOperation();
    await op.complete();
    expect(await sink.done).toBeUndefined();
  });
});

describe('keep-alive', () => {
  it('answers the client keep-alive pings with pongs', async () => {
    const gql = server.graphql();
    const pong = vi.fn();
    const client = graphqlClient(gql.url, { keepAlive: 20, on: { pong } });
    subscribe(client, { query: ON_PRICE, variables: { symbol: 'X' } });
    await vi.waitFor(() => expect(pong).toHaveBeenCalledWith(true, undefined));
    const handle = await gql.waitForConnection();
    expect(handle.connection.received.some((m) => (m.json as { type?: string }).type === 'ping')).toBe(true);
  });

  it('pings the client every `keepAlive` after the ack', async () => {
    const gql = server.graphql('/graphql', { keepAlive: '20ms' });
    const ping = vi.fn();
    subscribe(graphqlClient(gql.url, { on: { ping } }), { query: ON_PRICE, variables: { symbol: 'X' } });
    await vi.waitFor(() => expect(ping.mock.calls.filter(([received]) => received === true).length).toBeGreaterThanOrEqual(2));
    const handle = await gql.waitForConnection();
    await vi.waitFor(() => expect(handle.connection.received.some((m) => (m.json as { type?: string }).type === 'pong')).toBe(true));
  });
});

describe('lifecycle', () => {
  it('sees a lazy client close its socket after the last operation ends', async () => {
    const gql = server.graphql();
    const sink = subscribe(graphqlClient(gql.url, { lazy: true, lazyCloseTimeout: 0 }), { query: ON_PRICE, variables: { symbol: 'X' } });
    const op = await gql.waitForOperation();
    sink.unsubscribe();
    const info = await op.connection.connection.waitForClose();
    expect(info.code).toBe(1000);
    expect(op.endedBy).toBe('client');
  });

  it('closes with 1012 on update(); the client reconnects and subscribes again to the new behaviour', async () => {
    const gql = server.graphql();
    const client = graphqlClient(gql.url, { retryAttempts: 3, retryWait: async () => undefined });
    const sink = subscribe(client, { query: ON_PRICE, variables: { symbol: 'X' } });
    const first = await gql.waitForOperation();
    await first.next({ price: 1 });
    await sink.results$(1);

    await gql.update({ operations: { OnPrice: { next: [{ price: 2 }], complete: false } } });
    expect(first.connection.connection.closeInfo?.code).toBe(1012);
    expect(first.endedBy).toBe('closed');
    const again = await gql.waitForOperation();
    expect(again.connection.connection).not.toBe(first.connection.connection);
    expect(await sink.results$(2)).toEqual([{ data: { price: 1 } }, { data: { price: 2 } }]);
  });

  it('leaves no socket, operation or timer behind after remove(), reset() and close()', async () => {
    const gql = server.graphql('/graphql', { keepAlive: '10ms', operations: { OnPrice: { next: [{ price: 1 }, { price: 2 }], interval: '1h' } } });
    const sink = subscribe(graphqlClient(gql.url), { query: ON_PRICE, variables: { symbol: 'X' } });
    const op = await gql.waitForOperation();
    await sink.results$(1);
    const waiting = expect(gql.waitForOperation()).rejects.toMatchObject({ code: 'WSMOCK_ERR_MOCK_NOT_FOUND' });
    expect(await gql.remove()).toBe(1);
    await waiting;
    expect(op.endedBy).toBe('closed');
    expect(gql.operations).toEqual([]);
    expect(server.connections.list()).toEqual([]);
  });

  it('ends every operation and wait when the server closes', async () => {
    const own = await createMockServer();
    const gql = own.graphql('/graphql', { keepAlive: '10ms', operations: { OnPrice: { next: [{ price: 1 }, { price: 2 }], interval: '1h' } } });
    const closed = new Promise<number>((resolve) => {
      subscribe(graphqlClient(gql.url, { on: { closed: (event) => resolve((event as { code: number }).code) } }), { query: ON_PRICE, variables: { symbol: 'X' } });
    });
    const op = await gql.waitForOperation();
    const waiting = expect(gql.waitForOperation()).rejects.toMatchObject({ code: 'WSMOCK_ERR_SERVER_CLOSED' });
    await own.close();
    await waiting;
    expect(await closed).toBe(1001);
    expect(op.endedBy).toBe('closed');
    expect(gql.operations).toEqual([]);
  });
});
