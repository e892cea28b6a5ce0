//
// The matchers of one copy of wsmock on handles made by another: (a) the ESM
// build's server (`import … from 'wsmock'`) checked by the CommonJS matchers
// (`require('wsmock/jest')`) of the same install, (b) two installs of the
// packed package (a monorepo with two versions): the server from one, the
// matchers from the other. Every matcher kind, passing and failing, through
// Vitest's expect; and the chaos seed note, which the matchers read from the
// other copy's server. Before issue 22 item 4, the first toReceiveMessage
// threw "Cannot read private member #host".
//
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WsMockMatcherFunctions } from '../src/adapters/matchers.js';
import type { RecordingFile } from '../src/index.js';
import { closeAllClients, connect } from './helpers/client.js';
import { failure } from './helpers/failures.js';
import { graphqlClient, subscribe, useGraphQLClients } from './helpers/graphql.js';
import { packIntoConsumer } from './helpers/pack.js';
import { rpcClient } from './helpers/rpc.js';
import { connected, ioClient } from './helpers/socketio.js';
import { closeSseClients, SseClient } from './helpers/sse.js';

type Wsmock = typeof import('../src/index.js');
interface Setup {
  wsmock: Wsmock;
  matchers: WsMockMatcherFunctions;
}

const installs: Record<'a' | 'b', string> = { a: '', b: '' };

beforeAll(() => {
  installs.a = packIntoConsumer('copies-a');
  installs.b = packIntoConsumer('copies-b');
}, 120_000);

/** The package as a consumer at `dir` loads it: `import` for ESM, `require` for CommonJS. */
const esm = async <T>(dir: string, entry: string): Promise<T> => (await import(pathToFileURL(join(dir, 'node_modules', 'wsmock', 'dist', entry)).href)) as T;
const cjs = <T>(dir: string, specifier: string): T => createRequire(join(dir, 'package.json'))(specifier) as T;

const setups: Array<[string, () => Promise<Setup>]> = [
  [
    '(a) the ESM server with the CommonJS wsmock/jest matchers of the same install',
    async () => ({ wsmock: await esm<Wsmock>(installs.a, 'index.js'), matchers: cjs<{ wsmockMatchers: WsMockMatcherFunctions }>(installs.a, 'wsmock/jest').wsmockMatchers }),
  ],
  [
    '(b) the server of one install with the wsmock/vitest matchers of another',
    async () => ({ wsmock: await esm<Wsmock>(installs.a, 'index.js'), matchers: (await esm<{ wsmockMatchers: WsMockMatcherFunctions }>(installs.b, 'vitest.js')).wsmockMatchers }),
  ],
];

useGraphQLClients();
afterEach(() => closeSseClients());

/** A session replayed by a mock: the server greets, the client subscribes, the server confirms. */
const session: RecordingFile = {
  format: 'wsmock-recording/1',
  recordedAt: '2026-11-30T12:00:00.000Z',
  connections: [
    {
      url: '/replay',
      startedAt: '2026-11-30T12:00:00.000Z',
      headers: {},
      subprotocol: null,
      frames: [
        { direction: 'server-to-client', at: 0, text: '{"type":"hello"}' },
        { direction: 'client-to-server', at: 5, text: '{"type":"subscribe"}' },
        { direction: 'server-to-client', at: 6, text: '{"type":"subscribed"}' },
      ],
      close: null,
    },
  ],
};

describe.each(setups)('issue 22 item 4: matchers across two copies of the package, %s', (_name, load) => {
  let setup: Setup;
  let server: Awaited<ReturnType<Wsmock['createMockServer']>>;

  beforeAll(async () => {
    setup = await load();
    // The matchers of the other copy, as a test file registers them.
    expect.extend(setup.matchers);
    server = await setup.wsmock.createMockServer();
  });
  afterEach(async () => {
    await closeAllClients();
    await server.reset();
  });
  afterAll(() => server?.close());

  it('the handles are of another copy: their classes are not this copy’s, the brands recognise them', async () => {
    const other = await esm<Wsmock>(installs.b, 'index.js');
    const mock = server.websocket('/chat');
    const feed = server.sse('/feed');
    expect(setup.wsmock.createMockServer).not.toBe(other.createMockServer);
    expect(server).toBeInstanceOf(other.MockServer);
    expect(mock).toBeInstanceOf(other.WebSocketMock);
    expect(mock).toBeInstanceOf(other.Mock);
    expect(feed).toBeInstanceOf(other.SseMock);
    expect(feed).not.toBeInstanceOf(other.WebSocketMock);
    expect(mock).not.toBeInstanceOf(other.SseMock);
    await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(conn).toBeInstanceOf(other.Connection);
    expect(conn).not.toBeInstanceOf(other.SseConnection);
  });

  it('toReceiveMessage, .not.toReceiveMessage and toHaveReceivedMessages pass and fail with their messages', async () => {
    const mock = server.websocket('/chat', { echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send({ type: 'hello' });
    await expect(conn).toReceiveMessage({ type: 'hello' });
    await client.send({ type: 'again' });
    const wrong = await failure(expect(conn).toReceiveMessage({ type: 'bye' }));
    expect(wrong).toContain(`The next message on ${conn.id} is not the expected one.`);
    expect(wrong).toContain(`Recent messages on ${conn.id} (/chat)`);
    expect(await failure(expect(conn).toReceiveMessage(undefined, { timeout: 30 }))).toContain('Received: nothing. Timed out after 30 ms');
    await expect(conn).not.toReceiveMessage(undefined, { within: 30 });
    void client.send('late');
    expect(await failure(expect(conn).not.toReceiveMessage('late', { within: 5000 }))).toContain(`Expected no message matching "late" on ${conn.id} within 5000 ms`);
    expect(conn).toHaveReceivedMessages([{ type: 'hello' }, 'late']);
    expect(await failure(() => expect(conn).toHaveReceivedMessages([{ type: 'never' }]))).toContain(`1 of 1 expected message(s) never arrived on ${conn.id}`);
  });

  it('toHaveConnections on a mock and on the server, and toBeClosed', async () => {
    const mock = server.websocket('/chat');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await expect(mock).toHaveConnections(1);
    await expect(server).toHaveConnections(1);
    const few = await failure(expect(server).toHaveConnections(2, { timeout: 30 }));
    expect(few).toContain('Expected: 2 open connection(s) on server ws://');
    expect(few).toContain(`Open connections:\n  ${conn.id} /chat`);
    expect(await failure(expect(conn).toBeClosed({ timeout: 30 }))).toContain(`Expected ${conn.id} to close.`);
    await client.close(4000);
    await expect(conn).toBeClosed({ code: 4000, reason: '' });
    expect(await failure(expect(conn).toBeClosed({ code: 1000 }))).toContain(`${conn.id} closed, but not as expected.`);
    await expect(mock).toHaveConnections(0);
  });

  it("toReceiveEvent on a Socket.IO socket, with eventOptions from the matchers' copy", async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['websocket'] });
    await connected(client);
    const socket = await io.waitForConnection();
    client.emit('join', 'general');
    await expect(socket).toReceiveEvent('join', 'general');
    client.emit('join', 'random');
    const message = await failure(expect(socket).toReceiveEvent('join', 'general'));
    expect(message).toContain('join');
    expect(message).toContain('random');
  });

  it('toBeCompleted on a GraphQL operation', async () => {
    const gql = server.graphql();
    const sink = subscribe(graphqlClient(gql.url), { query: 'subscription OnPrice { price }' });
    const op = await gql.waitForOperation();
    expect(await failure(expect(op).toBeCompleted({ timeout: 30 }))).toContain(`Expected operation OnPrice (id ${op.id}, subscription) on ${op.connection.id} to end.`);
    sink.unsubscribe();
    await expect(op).toBeCompleted({ by: 'client' });
  });

  it('toReceiveCall on a JSON-RPC connection and its mock', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { subscribe: { result: true } } });
    const client = await rpcClient(mock.url);
    await client.call('subscribe', ['prices']);
    const rpc = await mock.waitForConnection();
    await client.call('subscribe', ['news']);
    await expect(rpc).toReceiveCall('subscribe', ['prices']);
    expect(await failure(() => expect(rpc).toReceiveCall('subscribe', ['weather']))).toContain(`The next call "subscribe" on ${rpc.id} has other params.`);
  });

  it('toHaveSent on an SSE stream', async () => {
    const feed = server.sse('/feed');
    const client = new SseClient(feed.httpUrl);
    const conn = await feed.waitForConnection();
    await conn.send({ event: 'message', data: 'tick' });
    await client.next();
    expect(conn).toHaveSent({ data: 'tick' });
    expect(await failure(() => expect(conn).toHaveSent({ data: 'tock' }))).toContain('tick');
  });

  it('toHaveReplayed on a replaying connection, passing and failing', async () => {
    const mock = server.websocket({ path: '/replay', replay: { recording: session, timing: 'asap' } });
    const good = await connect(mock.url);
    expect(await good.nextJson()).toEqual({ type: 'hello' });
    await good.send({ type: 'subscribe' });
    expect(await good.nextJson()).toEqual({ type: 'subscribed' });
    await expect(await mock.waitForConnection()).toHaveReplayed();
    const bad = await connect(mock.url);
    await bad.next();
    await bad.send({ type: 'unsubscribe' });
    const message = await failure(async () => expect(await mock.waitForConnection()).toHaveReplayed());
    expect(message).toContain('{"type":"unsubscribe"}');
  });

  it("a failure message ends with the other copy's chaos seed while chaos is on", async () => {
    const chaotic = await setup.wsmock.createMockServer({ seed: 7, chaos: { drop: 0 } });
    try {
      const mock = chaotic.websocket('/chat', { echoMode: false });
      await connect(mock.url);
      const conn = await mock.waitForConnection();
      const note = 'chaos seed 7 (createMockServer({ seed: 7 }) replays it)';
      expect(await failure(expect(conn).toReceiveMessage('x', { timeout: 30 }))).toMatch(new RegExp(`${note.replace(/[()[\]{}.*+?^$|\\]/g, '\\$&')}$`));
      expect(await failure(expect(mock).toHaveConnections(2, { timeout: 30 }))).toContain(note);
      expect(await failure(expect(chaotic).toHaveConnections(2, { timeout: 30 }))).toContain(note);
      const gql = chaotic.graphql();
      subscribe(graphqlClient(gql.url), { query: 'subscription OnPrice { price }' });
      expect(await failure(expect(await gql.waitForOperation()).toBeCompleted({ timeout: 30 }))).toContain(note);
    } finally {
      await chaotic.close();
    }
  });
});
