import { afterEach, describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { wsMockRejection } from './helpers/failures.js';
import { useMockServer } from './helpers/server.js';
import { connected, ioClient } from './helpers/socketio.js';
import { deactivateClients, stompClient } from './helpers/stomp.js';

const server = useMockServer();

/** The error a promise rejects with (fails the test when it resolves). */
describe('issue 27: waitForConnection({ query, headers })', () => {
  it.each([
    ['worker 1 first', ['1', '2']],
    ['worker 2 first', ['2', '1']],
  ])('each wait takes the client of its own ?worker=, whichever arrives first (%s)', async (_name, order) => {
    const feed = server.websocket('/feed');
    // Both waits are made before any client arrives: each must skip the other's client.
    const one = feed.waitForConnection({ query: { worker: '1' } });
    const two = feed.waitForConnection({ query: { worker: '2' } });
    for (const worker of order) await connect(`${feed.url}?worker=${worker}&run=a`);
    const [first, second] = await Promise.all([one, two]);
    expect(first.query).toEqual({ worker: '1', run: 'a' });
    expect(second.query).toEqual({ worker: '2', run: 'a' });
  });

  it('takes a matching client that arrived before the call, skipping an earlier one that does not match', async () => {
    const feed = server.websocket('/feed');
    await connect(`${feed.url}?worker=2`);
    await connect(`${feed.url}?worker=1`);
    await expect.poll(() => feed.connections.length).toBe(2);
    expect((await feed.waitForConnection({ query: { worker: '1' } })).query.worker).toBe('1');
    // The skipped one is still there for a later wait, filtered or not.
    expect((await feed.waitForConnection()).query.worker).toBe('2');
  });

  it('server.waitForConnection filters across every mock', async () => {
    const a = server.websocket('/a');
    const b = server.websocket('/b');
    await connect(`${a.url}?worker=1`);
    await connect(`${b.url}?worker=2`);
    const conn = await server.waitForConnection({ query: { worker: '2' } });
    expect(conn.mockId).toBe(b.id);
    expect((await server.waitForConnection()).mockId).toBe(a.id);
  });

  it('filters by request headers, names case-insensitive', async () => {
    const feed = server.websocket('/feed');
    await connect(feed.url, { headers: { 'X-Tenant': 'blue' } });
    await connect(feed.url, { headers: { 'X-Tenant': 'green', 'X-Run': '7' } });
    const green = await feed.waitForConnection({ headers: { 'x-tenant': 'green' } });
    expect(green.headers['x-tenant']).toBe('green');
    const both = feed.waitForConnection({ headers: { 'X-TENANT': 'blue', 'x-run': '7' }, timeout: 100 });
    // blue has no x-run: every header must match.
    expect((await wsMockRejection(both)).code).toBe('WSMOCK_ERR_TIMEOUT');
    expect((await feed.waitForConnection({ headers: { 'X-TENANT': 'blue' } })).headers['x-tenant']).toBe('blue');
  });

  it('query, headers and predicate must all pass', async () => {
    const feed = server.websocket('/feed');
    await connect(`${feed.url}?worker=1&role=viewer`, { headers: { 'x-tenant': 'blue' } });
    await connect(`${feed.url}?worker=1&role=admin`, { headers: { 'x-tenant': 'blue' } });
    const conn = await feed.waitForConnection({
      query: { worker: '1' },
      headers: { 'x-tenant': 'blue' },
      predicate: (c) => c.query.role === 'admin',
    });
    expect(conn.query.role).toBe('admin');
  });

  it('a wait that no client matches times out naming its filter and what arrived; the client stays for an unfiltered wait', async () => {
    const feed = server.websocket({ id: 'feed', path: '/feed' });
    await connect(`${feed.url}?worker=2`);
    await expect.poll(() => feed.connections.length).toBe(1);
    const error = await wsMockRejection(feed.waitForConnection({ query: { worker: '1' }, headers: { 'X-Tenant': 'blue' }, timeout: 50 }));
    expect(error.code).toBe('WSMOCK_ERR_TIMEOUT');
    expect(error.message).toBe(
      'Timed out after 50 ms waiting for a connection on mock "feed" (/feed) with query worker="1" and header x-tenant: "blue". ' +
        '1 connection(s) arrived but did not match: /feed?worker=2.',
    );
    expect((await feed.waitForConnection({ timeout: 1000 })).query.worker).toBe('2');
  });

  it.each([
    [{ query: 'worker=1' }, 'query must be an object of strings (name → value), got "worker=1"'],
    [{ query: ['worker'] }, 'query must be an object of strings (name → value), got an array'],
    [{ query: { worker: 1 } }, 'query.worker must be a string, got 1'],
    [{ headers: null }, 'headers must be an object of strings (name → value), got null'],
    [{ headers: { 'x-tenant': ['a'] } }, 'headers.x-tenant must be a string, got an array'],
  ])('rejects %j with WSMOCK_ERR_INVALID_ARGUMENT naming the field', async (options, message) => {
    const feed = server.websocket('/feed');
    const error = await wsMockRejection(feed.waitForConnection(options as never));
    expect(error.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
    expect(error.message).toBe(message);
    // The server also checks it, and a bad wait takes nothing.
    await expect(server.waitForConnection(options as never)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message });
  });
});

describe('issue 27: the Socket.IO and STOMP waits take the same filters', () => {
  afterEach(() => deactivateClients());

  it('Socket.IO: a polling client and a WebSocket-only one are each taken by the query of their first request', async () => {
    const io = server.socketio();
    const polling = ioClient(io.url, { query: { worker: '1' } });
    const websocket = ioClient(io.url, { query: { worker: '2' }, transports: ['websocket'] });
    await Promise.all([connected(polling), connected(websocket)]);
    const second = await io.waitForConnection({ query: { worker: '2' } });
    expect(second.id).toBe(websocket.id);
    const first = await io.of('/').waitForConnection({ query: { worker: '1' }, predicate: (c) => c.query.EIO === '4' });
    expect(first.id).toBe(polling.id);
    const error = await wsMockRejection(io.waitForConnection({ query: { worker: '3' }, timeout: 50 }));
    expect(error.message).toMatch(/^Timed out after 50 ms waiting for a Socket\.IO socket on namespace \/ with query worker="3"/);
    expect((await wsMockRejection(io.waitForConnection({ query: { worker: 3 } as never }))).message).toBe('query.worker must be a string, got 3');
  });

  it('STOMP: each wait takes the client whose handshake carries its query parameter', async () => {
    const stomp = server.stomp();
    const one = stompClient(`${stomp.url}?worker=1`);
    await one.next('connect');
    const two = stompClient(`${stomp.url}?worker=2`);
    await two.next('connect');
    expect((await stomp.waitForConnection({ query: { worker: '2' } })).connection.query.worker).toBe('2');
    expect((await stomp.waitForConnection({ query: { worker: '1' } })).connection.query.worker).toBe('1');
    const error = await wsMockRejection(stomp.waitForConnection({ headers: { 'x-tenant': 'blue' }, timeout: 50 }));
    expect(error.message).toMatch(/waiting for a STOMP CONNECT on mock "[^"]+" \(\/ws\) with header x-tenant: "blue"\. All 2 that arrived were already returned by earlier calls\./);
    expect((await wsMockRejection(stomp.waitForConnection({ predicate: 'no' } as never))).message).toBe('predicate must be a function of the connection, got "no"');
  });
});
