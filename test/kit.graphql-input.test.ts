//
// The GraphQL kit against bad input (raw frames from a `ws` client: what
// each protocol says, never a crash, other connections undisturbed), invalid
// configs, and its declarative forms (config files, the admin API).
//
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, parseConfig, WsMockError, type GraphQLMock } from '../src/index.js';
import { adminClient } from './helpers/admin.js';
import { connect, type TestClient } from './helpers/client.js';
import { collect, graphqlClient, useGraphQLClients } from './helpers/graphql.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
useGraphQLClients();

/** A raw graphql-transport-ws client, acknowledged unless told otherwise. */
async function raw(gql: GraphQLMock, protocol = 'graphql-transport-ws', init = true): Promise<TestClient> {
  const client = await connect(gql.url, { protocols: [protocol] });
  if (init) expect(await client.askJson({ type: 'connection_init' })).toEqual({ type: 'connection_ack' });
  return client;
}

const SUBSCRIBE = { type: 'subscribe', payload: { query: 'subscription OnPrice { price }' } };

describe('graphql-transport-ws bad input', () => {
  it.each([
    ['invalid JSON', 'not json {', 'Invalid message received'],
    ['a JSON array', '[1,2]', 'Message is expected to be an object'],
    ['an unknown type', JSON.stringify({ type: 'hello' }), 'Unexpected message of type hello received'],
    ['a server-only type', JSON.stringify({ type: 'next', id: '1', payload: {} }), 'Unexpected message of type next received'],
    ['subscribe without id', JSON.stringify(SUBSCRIBE), `"subscribe" message requires a non-empty string 'id' property`],
    ['subscribe without query', JSON.stringify({ id: '1', type: 'subscribe', payload: {} }), `"subscribe" message payload expects the 'query' property to be a string`],
    ['complete without id', JSON.stringify({ type: 'complete' }), `"complete" message requires a non-empty string 'id' property`],
  ])('closes with 4400 on %s, leaving other connections alone', async (_what, frame, reason) => {
    const gql = server.graphql();
    const bystander = await raw(gql);
    const client = await raw(gql);
    await client.send(frame);
    expect(await client.closed).toEqual({ code: 4400, reason });
    await bystander.send({ ...SUBSCRIBE, id: 'b' });
    const op = await gql.waitForOperation();
    expect(op.connection.connection.isOpen).toBe(true);
    await op.next({ price: 1 });
    expect(await bystander.nextJson()).toEqual({ id: 'b', type: 'next', payload: { data: { price: 1 } } });
  });

  it('closes with 4401 on a subscribe before the ack', async () => {
    const client = await raw(server.graphql(), 'graphql-transport-ws', false);
    await client.send({ ...SUBSCRIBE, id: '1' });
    expect(await client.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('closes with 4409 on a second subscribe with an active id, and lets a completed id be reused', async () => {
    const gql = server.graphql();
    const client = await raw(gql);
    await client.send({ ...SUBSCRIBE, id: 'x' });
    await client.send({ type: 'complete', id: 'x' });
    await client.send({ ...SUBSCRIBE, id: 'x' });
    expect((await gql.waitForOperation()).endedBy).toBe('client');
    const reused = await gql.waitForOperation();
    await client.send({ ...SUBSCRIBE, id: 'x' });
    expect(await client.closed).toEqual({ code: 4409, reason: 'Subscriber for x already exists' });
    expect(await reused.waitForComplete()).toBe('closed');
  });

  it('closes with 4429 on a second connection_init', async () => {
    const client = await raw(server.graphql());
    await client.send({ type: 'connection_init' });
    expect(await client.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('closes with 4408 when connection_init does not come in time', async () => {
    const client = await raw(server.graphql('/graphql', { connectionInitWaitTimeout: '20ms' }), 'graphql-transport-ws', false);
    expect(await client.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('answers ping with pong (payload kept) and ignores a complete for an unknown id', async () => {
    const client = await raw(server.graphql());
    await client.send({ type: 'complete', id: 'never-started' });
    expect(await client.askJson({ type: 'ping', payload: { t: 1 } })).toEqual({ type: 'pong', payload: { t: 1 } });
    expect(await client.askJson({ type: 'ping' })).toEqual({ type: 'pong' });
  });

  it('closes with 4500 when connectionInit throws, and reports the error', async () => {
    const errors: Error[] = [];
    server.on('error', (error) => errors.push(error));
    const client = await raw(server.graphql('/graphql', { connectionInit: () => { throw new Error('auth backend down'); } }), 'graphql-transport-ws', false);
    await client.send({ type: 'connection_init' });
    expect(await client.closed).toEqual({ code: 4500, reason: 'auth backend down' });
    expect(errors.map((e) => e.message)).toEqual(['auth backend down']);
  });

  it('closes a client that offered no subprotocol with 4406, as graphql-ws does', async () => {
    const gql = server.graphql();
    const none = await connect(gql.url);
    expect(await none.closed).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
    // Offered only others: the answer names none, which a `ws` client refuses itself.
    await expect(connect(gql.url, { protocols: ['chat'] })).rejects.toThrow('Server sent no subprotocol');
  });
});

describe('legacy graphql-ws bad input', () => {
  it('answers an unreadable frame with connection_error and a bad operation frame with error, keeping the socket', async () => {
    const gql = server.graphql();
    const client = await connect(gql.url, { protocols: ['graphql-ws'] });
    expect(await client.askJson('not json')).toEqual({ type: 'connection_error', payload: { message: 'Message is expected to be an object' } });
    expect(await client.askJson({ id: '1', type: 'subscribe' })).toEqual({ type: 'error', id: '1', payload: { message: 'Invalid message type!' } });
    expect(await client.askJson({ id: '2', type: 'start', payload: {} })).toEqual({
      type: 'error',
      id: '2',
      payload: { message: `"start" message payload expects the 'query' property to be a string` },
    });
    expect(await client.askJson({ type: 'connection_init' })).toEqual({ type: 'connection_ack' });
    await client.send({ id: '3', type: 'start', payload: { query: '{ a }' } });
    const op = await gql.waitForOperation();
    await op.next({ a: 1 });
    expect(await client.nextJson()).toEqual({ id: '3', type: 'data', payload: { data: { a: 1 } } });
    expect(await client.nextJson()).toEqual({ id: '3', type: 'complete' });
  });

  it('restarts an operation started again with the same id, as the legacy server does', async () => {
    const gql = server.graphql();
    const client = await connect(gql.url, { protocols: ['graphql-ws'] });
    await client.send({ id: '1', type: 'start', payload: { query: 'subscription A { a }' } });
    await client.send({ id: '1', type: 'start', payload: { query: 'subscription B { b }' } });
    const first = await gql.waitForOperation();
    const second = await gql.waitForOperation();
    expect([first.operationName, first.endedBy, second.operationName, second.completed]).toEqual(['A', 'client', 'B', false]);
  });
});

describe('invalid configs', () => {
  it.each([
    [{ operations: { OnPrice: { next: [] } } }, 'operations.OnPrice.next', 'must list at least one result'],
    [{ operations: { OnPrice: { data: 1, next: [1] } } }, 'operations.OnPrice.next', 'cannot be combined'],
    [{ operations: { OnPrice: { next: [1], interval: 'soon' } } }, 'operations.OnPrice.interval', 'must be a non-negative number of milliseconds'],
    [{ operations: { OnPrice: {} } }, 'operations.OnPrice', 'needs "data", "errors", "next", "error" or "complete"'],
    [{ operations: { OnPrice: { error: [{ code: 1 }] } } }, 'operations.OnPrice.error[0].message', 'must be a string'],
    [{ operations: { OnPrice: { data: { a: '{{#broken}}' } } } }, 'operations.OnPrice.data.a', 'is not a valid template'],
    [{ connectionInit: 'yes' }, 'connectionInit', 'must be true, false or'],
    [{ keepAlive: -1 }, 'keepAlive', ''],
    [{ colour: 'red' }, 'colour', 'is not a known field'],
  ])('%j is refused naming %s', (options, path, message) => {
    let error: unknown;
    try {
      server.graphql('/graphql', options as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WsMockError);
    expect((error as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect((error as WsMockError).issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('refuses a bad path', () => {
    expect(() => server.graphql('graphql')).toThrow(/path: must start with "\/"/);
  });
});

describe('declarative forms', () => {
  it('server.graphql() takes one config object too, with the default path', async () => {
    const byObject = server.graphql({ id: 'one-object', keepAlive: '10s' });
    expect([byObject.id, byObject.path, byObject.config.keepAlive]).toEqual(['one-object', '/graphql', '10s']);
    await byObject.remove();
    const elsewhere = server.graphql({ path: '/gql2' });
    expect(elsewhere.path).toBe('/gql2');
    await elsewhere.remove();
  });

  let api: ReturnType<typeof adminClient>;
  beforeAll(async () => {
    api = adminClient(await server.listenAdmin());
  });

  it('round-trips an envelope through the admin API, and serves it', async () => {
    const envelope = {
      id: 'prices',
      type: 'graphql',
      graphql: { path: '/gql', keepAlive: '30s', connectionInit: { require: ['token'] }, operations: { GetUser: { data: { user: { id: '{{variables.id}}' } } } } },
    };
    const res = await api.post('/mocks', envelope);
    expect(res.status).toBe(201);
    expect(res.body.mock).toEqual({ ...envelope, enabled: true });
    const client = graphqlClient(`${server.url}/gql`, { connectionParams: { token: 't' } });
    expect(await collect(client.iterate({ query: 'query GetUser($id: ID) { user(id: $id) { id } }', variables: { id: 'u9' } }))).toEqual([{ data: { user: { id: 'u9' } } }]);

    const patched = await api.patch('/mocks/prices', { graphql: { operations: { GetUser: { data: { user: null } } } } });
    expect(patched.status).toBe(200);
    expect(server.mocks.get('prices')?.toJSON()).toMatchObject({ graphql: { operations: { GetUser: { data: { user: null } } } } });
    expect((await api.post('/mocks', { type: 'graphql', graphql: { path: '/bad', operations: { X: { next: 'no' } } } })).body).toMatchObject({
      error: 'validation_error',
      details: [expect.objectContaining({ path: 'graphql.operations.X.next' })],
    });
  });

  it('leaves in-process functions out of the envelope', () => {
    const gql = server.graphql('/graphql', { id: 'fn', connectionInit: () => true, operations: { A: () => 1, B: { data: 2 } } });
    expect(gql.toJSON()).toEqual({ id: 'fn', type: 'graphql', enabled: true, graphql: { path: '/graphql', operations: { B: { data: 2 } } } });
  });

  it('loads `type: graphql` from a config file', async () => {
    const { mocks } = parseConfig(
      ['version: "1.0"', 'mocks:', '  - id: gql', '    type: graphql', '    graphql:', '      path: /graphql', '      operations:', '        OnPrice: { next: [{ price: 1 }, { price: 2 }] }', ''].join('\n'),
      'gql.yaml',
    );
    const own = await createMockServer({ mocks });
    try {
      const gql = own.mocks.get('gql') as GraphQLMock;
      expect(gql.type).toBe('graphql');
      const results = await collect(graphqlClient(gql.url).iterate({ query: 'subscription OnPrice { price }' }));
      expect(results).toEqual([{ data: { price: 1 } }, { data: { price: 2 } }]);
    } finally {
      await own.close();
    }
  });
});
