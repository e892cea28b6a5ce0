//
// What the protocol kits keep stays bounded in a long-running server (wsmock
// serve runs with `journal: { limit, releaseClosed: true }`): a released
// connection takes its Socket.IO sockets and GraphQL connections and
// operations with it, and a socket's events, a GraphQL connection's
// operations and a JSON-RPC connection's calls are bounded by
// `journal.limit`. Without `releaseClosed` everything stays listed and the
// waits still find it.
//
import { describe, expect, it, vi } from 'vitest';
import type { GraphQLMock, SocketIoMock } from '../src/index.js';
import type { GraphQLState } from '../src/kits/graphql/session.js';
import type { IoState } from '../src/kits/socketio/ioStage.js';
import type { SessionTable } from '../src/kits/socketio/engineServer.js';
import type { KitState } from '../src/kit/handles.js';
import { stateOf } from '../src/mocks/Mock.js';
import { connect } from './helpers/client.js';
import { graphqlClient, subscribe, useGraphQLClients } from './helpers/graphql.js';
import { useServers } from './helpers/server.js';
import { connected, ioClient } from './helpers/socketio.js';

const start = useServers();
useGraphQLClients();

/** What a Socket.IO mock still lists: every socket of its remembered sessions, and its Engine.IO sessions. */
function ioKept(io: SocketIoMock) {
  const state = stateOf<KitState<IoState & { sessions: SessionTable }>>(io).own;
  return { sockets: state.arrivals.all.all.map((s) => s.id), sessions: state.sessions.size };
}

/** What a GraphQL mock still lists: its connections (by `connection_init` payload) and operations (by name). */
function gqlKept(gql: GraphQLMock) {
  const state = stateOf<KitState<GraphQLState>>(gql).own;
  return { connections: state.connections.all.all.map((c) => c.payload?.name), operations: state.operations.all.all.map((op) => op.operationName) };
}

describe('Socket.IO', () => {
  it('forgets a closed session, its sockets and its Engine.IO session with journal.releaseClosed; the others stay', async () => {
    const server = await start({ journal: { releaseClosed: true } });
    const io = server.socketio();
    const gone = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const staying = await connected(ioClient(server.url, { transports: ['websocket'] }));
    expect(ioKept(io)).toEqual({ sockets: [gone.id, staying.id], sessions: 2 });

    gone.disconnect();
    await io.waitForConnectionCount(1);
    expect(ioKept(io)).toEqual({ sockets: [staying.id], sessions: 1 });
    expect(io.sockets.map((s) => s.id)).toEqual([staying.id]);
    // The released socket was never taken, and is no longer there to take.
    expect((await io.waitForConnection()).id).toBe(staying.id);
  });

  it('keeps a closed socket listed by default: waitForConnection and waitForEvent still find it, its session is gone', async () => {
    const server = await start();
    const io = server.socketio();
    const client = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const id = client.id;
    client.emit('bye', 1);
    client.disconnect();
    await io.waitForConnectionCount(0);
    expect(ioKept(io)).toEqual({ sockets: [id], sessions: 0 });
    expect(io.sockets).toEqual([]);

    const socket = await io.waitForConnection();
    expect(socket.id).toBe(id);
    expect(socket.connected).toBe(false);
    expect((await socket.waitForEvent('bye')).args).toEqual([1]);
    expect(socket.events.map((e) => e.event)).toEqual(['bye']);
  });

  it("bounds a socket's events by journal.limit, oldest first, and says so when a wait misses one", async () => {
    const server = await start({ journal: { limit: 3 } });
    const io = server.socketio();
    const client = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const socket = await io.waitForConnection();
    for (let i = 1; i <= 5; i++) client.emit(`e${i}`);
    await socket.waitForEvent('e5');
    expect(socket.events.map((e) => e.event)).toEqual(['e3', 'e4', 'e5']);

    const missed = await socket.waitForEvent('e1', { timeout: 20 }).catch((err: Error) => err);
    expect(missed).toMatchObject({ code: 'WSMOCK_ERR_TIMEOUT' });
    expect((missed as Error).message).toContain('2 that no wait had returned were dropped by journal.limit (3)');
    expect((await socket.waitForEvent('e3')).event).toBe('e3');
  });
});

describe('GraphQL', () => {
  const SUB_A = 'subscription OnA { a }';
  const SUB_B = 'subscription OnB { b }';

  it('forgets a closed connection and its operations with journal.releaseClosed; the others stay', async () => {
    const server = await start({ journal: { releaseClosed: true } });
    const gql = server.graphql();
    const gone = graphqlClient(gql.url, { connectionParams: { name: 'gone' } });
    subscribe(gone, { query: SUB_A });
    await gql.waitForConnectionCount(1);
    subscribe(graphqlClient(gql.url, { connectionParams: { name: 'staying' } }), { query: SUB_B });
    await vi.waitFor(() => expect(gqlKept(gql)).toEqual({ connections: ['gone', 'staying'], operations: ['OnA', 'OnB'] }));

    await gone.dispose();
    await gql.waitForConnectionCount(1);
    expect(gqlKept(gql)).toEqual({ connections: ['staying'], operations: ['OnB'] });
    expect(gql.operations.map((op) => op.operationName)).toEqual(['OnB']);
    // Neither the released connection nor its operation is there to take.
    expect((await gql.waitForConnection()).payload).toEqual({ name: 'staying' });
    expect((await gql.waitForOperation()).operationName).toBe('OnB');
  });

  it('keeps a closed connection and its ended operations listed by default, for the waits', async () => {
    const server = await start();
    const gql = server.graphql();
    const client = graphqlClient(gql.url, { connectionParams: { name: 'gone' } });
    subscribe(client, { query: SUB_A });
    await gql.waitForConnectionCount(1);
    await vi.waitFor(() => expect(gqlKept(gql).operations).toEqual(['OnA']));
    await client.dispose();
    await gql.waitForConnectionCount(0);

    expect(gqlKept(gql)).toEqual({ connections: ['gone'], operations: ['OnA'] });
    expect(gql.operations).toEqual([]);
    expect((await gql.waitForConnection()).payload).toEqual({ name: 'gone' });
    const op = await gql.waitForOperation({ operationName: 'OnA' });
    expect(op.endedBy).toBe('closed');
  });

  it("bounds a connection's operations by journal.limit: beyond it, the oldest running one is ended with an error (issue 22 item 7)", async () => {
    const server = await start({ journal: { limit: 2 } });
    const gql = server.graphql();
    const client = graphqlClient(gql.url);
    const first = subscribe(client, { query: 'subscription S1 { a }' });
    subscribe(client, { query: 'subscription S2 { a }' });
    subscribe(client, { query: 'subscription S3 { a }' });
    await gql.waitForOperation({ operationName: 'S3' });
    expect(gqlKept(gql).operations).toEqual(['S2', 'S3']);
    await expect(gql.waitForOperation({ operationName: 'S1', timeout: 20 })).rejects.toMatchObject({ code: 'WSMOCK_ERR_TIMEOUT' });

    expect(gql.operations.map((op) => op.operationName)).toEqual(['S2', 'S3']);
    expect(await first.done).toEqual([{ message: expect.stringContaining('more than journal.limit (2)') }]);
    expect(gql.publish('S1', { a: 1 })).toBe(0);
  });
});

describe('JSON-RPC', () => {
  it("bounds a connection's calls by journal.limit, mock-wide too", async () => {
    const server = await start({ journal: { limit: 2 } });
    const mock = server.jsonrpc('/rpc', { methods: { hi: { result: 'hi' } } });
    const client = await connect(mock.url);
    for (let id = 1; id <= 3; id++) await client.askJson({ jsonrpc: '2.0', method: 'hi', params: [id], id });
    const rpc = await mock.waitForConnection();
    expect(rpc.calls.map((c) => c.params)).toEqual([[2], [3]]);
    expect(mock.calls.map((c) => c.params)).toEqual([[2], [3]]);
    expect((await mock.waitForCall('hi')).params).toEqual([2]);
  });
});
