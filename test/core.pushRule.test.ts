//
// issue 22 item 6: one rule for sync and async across the handles. Pushing to
// one connection returns a promise; fan-out is synchronous and returns the
// recipient count; the mock lifecycle (enable, disable, update, remove)
// returns promises. Socket.IO's handles are covered by its own suite.
//
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { graphqlClient, subscribe, useGraphQLClients } from './helpers/graphql.js';
import { rpcClient } from './helpers/rpc.js';
import { useMockServer } from './helpers/server.js';
import { closeSseClients, SseClient } from './helpers/sse.js';

const server = useMockServer();
useGraphQLClients();
afterEach(() => closeSseClients());

describe('issue 22 item 6: pushing to one connection returns a promise; fan-out returns the recipient count', () => {
  it('websocket mocks, rooms and the server', async () => {
    const mock = server.websocket('/rule');
    const [a, b] = [await connect(mock.url), await connect(mock.url)];
    const [first, second] = await mock.waitForConnectionCount(2);
    first!.join('room');

    const sent = first!.send('one');
    expect(sent).toBeInstanceOf(Promise);
    await expect(sent).resolves.toBeUndefined();
    expect(await a.next()).toBe('one');

    expect(mock.broadcast('all')).toBe(2);
    expect(mock.broadcast('room only', { room: 'room' })).toBe(1);
    expect(mock.broadcast('not a', { except: first! })).toBe(1);
    expect(server.connections.broadcast('everyone')).toBe(2);
    await expect(server.connections.send(second!.id, 'by id')).resolves.toBeUndefined();
    expect(await a.next()).toBe('all');
    expect(await b.next()).toBe('all');

    const terminated = first!.terminate();
    expect(terminated).toBeInstanceOf(Promise);
    await expect(terminated).resolves.toMatchObject({ code: 1006, by: 'server' });
    const closed = server.connections.close(second!.id, { code: 4000 });
    expect(closed).toBeInstanceOf(Promise);
    await expect(closed).resolves.toMatchObject({ code: 4000, by: 'server' });
  });

  it('the mock lifecycle returns promises: enable() as disable(), update() and remove() do', async () => {
    const mock = server.websocket('/lifecycle');
    await connect(mock.url);
    await mock.waitForConnection();
    const disabled = mock.disable();
    expect(disabled).toBeInstanceOf(Promise);
    await expect(disabled).resolves.toBe(1);
    const enabled = mock.enable();
    expect(enabled).toBeInstanceOf(Promise);
    await expect(enabled).resolves.toBeUndefined();
    expect(mock.enabled).toBe(true);
    await connect(mock.url);
    const taken = server.websocket('/lifecycle-taken');
    await taken.disable();
    server.websocket({ id: 'other', path: '/lifecycle-taken' });
    await expect(taken.enable()).rejects.toMatchObject({ code: 'WSMOCK_ERR_PATH_CONFLICT' });
    await expect(mock.update({ echoMode: true })).resolves.toBe(1);
    await expect(mock.remove()).resolves.toBe(0);
  });

  it('GraphQL: an operation\'s next/error/complete return promises, publish() a count', async () => {
    const gql = server.graphql();
    const client = graphqlClient(gql.url);
    const one = subscribe(client, { query: 'subscription OnPrice { price }' });
    const two = subscribe(client, { query: 'subscription OnPrice { price }' });
    const [op] = [await gql.waitForOperation({ operationName: 'OnPrice' }), await gql.waitForOperation({ operationName: 'OnPrice' })];
    expect(gql.publish('OnPrice', { price: 1 })).toBe(2);
    const next = op!.next({ price: 2 });
    expect(next).toBeInstanceOf(Promise);
    await expect(next).resolves.toBe(true);
    const complete = op!.complete();
    expect(complete).toBeInstanceOf(Promise);
    await expect(complete).resolves.toBe(true);
    expect(await one.results$(2)).toEqual([{ data: { price: 1 } }, { data: { price: 2 } }]);
    expect(await two.results$(1)).toEqual([{ data: { price: 1 } }]);
    expect(gql.publish('OnPrice', { price: 3 })).toBe(1);
  });

  it('JSON-RPC: a connection\'s notify() returns a promise, the mock\'s notify() a count', async () => {
    const rpc = server.jsonrpc('/rpc', { methods: {} });
    const client = await rpcClient(rpc.url);
    const got = new Promise((resolve) => client.once('tick', resolve));
    const conn = await rpc.waitForConnection();
    const notified = conn.notify('tick', { n: 1 });
    expect(notified).toBeInstanceOf(Promise);
    await expect(notified).resolves.toBeUndefined();
    expect(await got).toEqual({ n: 1 });
    expect(rpc.notify('tick', { n: 2 })).toBe(1);
    const closed = conn.close();
    expect(closed).toBeInstanceOf(Promise);
    await expect(closed).resolves.toMatchObject({ code: 1000 });
  });

  it('SSE: a stream\'s send() and comment() return promises, the mock\'s broadcast() a count', async () => {
    const feed = server.sse('/feed');
    const client = new SseClient(feed.httpUrl);
    const conn = await feed.waitForConnection();
    const sent = conn.send('one');
    expect(sent).toBeInstanceOf(Promise);
    await expect(sent).resolves.toBeUndefined();
    const comment = conn.comment('keep-alive');
    expect(comment).toBeInstanceOf(Promise);
    await expect(comment).resolves.toBeUndefined();
    expect(feed.broadcast('two')).toBe(1);
    expect((await client.take(2)).map((e) => e.data)).toEqual(['one', 'two']);
  });
});
