import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer, connect as netConnect, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { connectMockServer, createMockServer, type RemoteMock, type RemoteMockServer } from '../src/index.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { groupOf } from '../src/mocks/Mock.js';
import { closeAllClients, connect } from './helpers/client.js';
import { startServe, type Serving } from './helpers/cli.js';
import { wsMockRejection } from './helpers/failures.js';

expect.extend(wsmockMatchers);

const TOKEN = 'remote-secret';
let serving: Serving;
let remote: RemoteMockServer;
const defined: RemoteMock[] = [];

beforeAll(async () => {
  serving = await startServe(['--port', '0', '--admin-port', '0', '--admin-token', TOKEN]);
  remote = await connectMockServer(serving.adminUrl!, { token: TOKEN });
}, 30_000);
afterEach(async () => {
  await closeAllClients();
  await Promise.all(defined.splice(0).map((mock) => mock.remove().catch(() => {})));
});
afterAll(async () => {
  await remote?.close();
  await serving?.stop();
});

/** A remote WebSocket mock removed after the test. */
async function remoteMock(path: string, config: Record<string, unknown> = {}): Promise<RemoteMock> {
  const mock = await remote.websocket(path, config);
  defined.push(mock);
  return mock;
}

describe('issue 27: remote handles define and change mocks on a wsmock serve child process', () => {
  it('remote.websocket() defines a mock a real client talks to; update, disable, enable and remove change it', async () => {
    const chat = await remoteMock('/r/chat', { matchers: [{ match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } }] });
    expect(chat.url).toBe(`${serving.wsUrl}/r/chat`);
    expect(chat.path).toBe('/r/chat');
    const client = await connect(chat.url);
    client.send('ping');
    expect(await client.next()).toBe('pong');

    await chat.update({ matchers: [{ match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'PONG' } }] });
    expect(await client.closed).toEqual({ code: 1012, reason: 'mock updated' });
    const again = await connect(chat.url);
    again.send('ping');
    expect(await again.next()).toBe('PONG');

    await chat.disable();
    expect(chat.enabled).toBe(false);
    await again.closed;
    await expect(connect(chat.url)).rejects.toMatchObject({ status: 503 });
    await chat.enable();
    expect(chat.enabled).toBe(true);
    await (await connect(chat.url)).close();

    await remote.mocks.remove(chat.id);
    expect((await remote.mocks.list()).map((m) => m.id)).not.toContain(chat.id);
    const gone = await wsMockRejection(chat.remove());
    expect(gone.code).toBe('WSMOCK_ERR_MOCK_NOT_FOUND');
    const unknown = await wsMockRejection(remote.mocks.get(chat.id));
    expect(unknown.message).toContain(`No mock with id "${chat.id}"`);
  });

  it('remote.mocks.define() takes the envelope of any kit; remote.sse() and remote.mock(type) are sugar for it', async () => {
    const sse = await remote.sse('/r/events', { events: [{ event: 'hello', data: 'hi {{connection.query.user}}' }] });
    defined.push(sse);
    expect(sse.httpUrl).toBe(`${serving.wsUrl.replace(/^ws/, 'http')}/r/events`);
    const controller = new AbortController();
    const response = await fetch(`${sse.httpUrl}?user=ann`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += Buffer.from((await reader.read()).value!).toString('utf8');
    expect(text).toContain('event: hello\ndata: hi ann\n');
    const stream = await sse.waitForConnection({ query: { user: 'ann' } });
    expect(stream.type).toBe('sse');
    await expect(stream.refresh()).resolves.toMatchObject({ messages: [expect.objectContaining({ direction: 'out' })] });
    controller.abort();
    const io = await remote.mocks.define({ type: 'socketio', id: 'r-io', socketio: { path: '/r/socket.io' } });
    defined.push(io);
    expect(io).toMatchObject({ id: 'r-io', type: 'socketio', path: '/r/socket.io' });
    expect((await remote.mocks.get('r-io')).url).toContain(serving.wsUrl.replace(/^ws/, ''));
  });

  it('the sugar of every built-in kit defines its mock at the in-process default path', async () => {
    const made = await Promise.all([
      remote.socketio(),
      remote.graphql(),
      remote.jsonrpc('/r/rpc', { methods: { add: { result: 3 } } }),
      remote.pusher({ key: 'app-key' }),
      remote.actioncable(),
      remote.phoenix(),
      remote.supabase(),
      remote.mqtt(),
      remote.stomp('/r/stomp'),
      remote.signalr(),
    ]);
    defined.push(...made);
    expect(made.map((m) => [m.type, m.path])).toEqual([
      ['socketio', '/socket.io/'],
      ['graphql', '/graphql'],
      ['jsonrpc', '/r/rpc'],
      ['pusher', '/app/:key'],
      ['actioncable', '/cable'],
      ['phoenix', '/socket'],
      ['supabase', '/realtime/v1'],
      ['mqtt', '/mqtt'],
      ['stomp', '/r/stomp'],
      ['signalr', '/hub'],
    ]);
  });

  it('refuses a function anywhere in the config with WSMOCK_ERR_INVALID_CONFIG naming the field and its declarative form', async () => {
    const err = await wsMockRejection(
      remote.websocket('/r/fn', {
        matchers: [{ match: { type: 'exact', value: 'a' }, respond: () => 'b' }, { match: () => true, response: { type: 'text', value: 'c' } }],
        onConnection: () => {},
      }),
    );
    expect(err.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(err.issues?.map((i) => i.path)).toEqual(['matchers[0].respond', 'matchers[1].match', 'onConnection']);
    expect(err.message).toContain('matchers[0].respond: is a function, which cannot be sent to a server in another process; use `response: {');
    expect(err.message).toContain("use a match spec: `{ type: 'json', path: '$.type', value: 'join' }`");
    const regex = await wsMockRejection(remote.websocket('/r/re', { matchers: [{ match: { type: 'regex', value: /^a/ }, response: { type: 'text', value: 'x' } }] }));
    expect(regex.message).toContain('matchers[0].match.value: is a RegExp, which JSON cannot carry; use its source as a string: "^a"');
    const mock = await remoteMock('/r/fn-update');
    const update = await wsMockRejection(mock.update({ defaultResponse: () => 'x' }));
    expect(update.issues).toEqual([{ path: 'defaultResponse', message: expect.stringContaining('is a function') }]);
    // The server's own validation comes back as the same error, with its paths.
    const invalid = await wsMockRejection(remote.websocket('no-slash'));
    expect(invalid.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(invalid.issues?.[0]?.path).toBe('websocket.path');
  });
});

describe('issue 27: remote connections, waits and the server', () => {
  it('waitForConnection takes each client by its query parameter, even when two waits race', async () => {
    const feed = await remoteMock('/r/feed', { echoMode: false });
    const [one, two] = [feed.waitForConnection({ query: { worker: '1' } }), feed.waitForConnection({ query: { worker: '2' } })];
    await connect(`${feed.url}?worker=2`);
    await connect(`${feed.url}?worker=1`, { headers: { 'x-tenant': 'acme' } });
    expect((await one).query).toEqual({ worker: '1' });
    expect((await one).headers['x-tenant']).toBe('acme');
    expect((await two).query).toEqual({ worker: '2' });
    const byHeader = feed.waitForConnection({ headers: { 'X-Tenant': 'other' }, timeout: 300 });
    const err = await wsMockRejection(byHeader);
    expect(err.code).toBe('WSMOCK_ERR_TIMEOUT');
    expect(err.message).toBe(
      `Timed out after 300 ms waiting for a connection on mock "${feed.id}" (${serving.adminUrl}) with header x-tenant: "other". All 2 connection(s) that arrived were already returned by earlier calls.`,
    );
  });

  it('waitForMessage counts a frame that arrived before the call, consumes in order, and evaluates predicates here', async () => {
    const feed = await remoteMock('/r/race', { echoMode: false });
    const client = await connect(feed.url);
    const conn = await feed.waitForConnection();
    client.send({ type: 'a' });
    client.send({ type: 'b' });
    client.send('plain');
    // The frames are on the server before any wait is made; a wait with no time to spare still reads them.
    await expect.poll(async () => (await remote.connections.list({ mockId: feed.id }))[0]?.messagesRecv).toBe(3);
    expect((await conn.waitForMessage(undefined, { timeout: 0 })).json).toEqual({ type: 'a' });
    client.send({ type: 'c' });
    client.send({ type: 'd' });
    client.send('plain');
    expect((await conn.waitForMessage({ type: 'json', path: '$.type', value: 'd' })).json).toEqual({ type: 'd' });
    // 'b', the first 'plain' and 'c' were skipped on the way and are consumed; the predicate runs in this process.
    expect((await conn.waitForMessage((m) => m.text === 'plain')).text).toBe('plain');
    const late = conn.waitForMessage(undefined, { timeout: 5000 });
    client.send(Buffer.from([1, 2, 3]), { binary: true });
    const binary = await late;
    expect(binary.binary).toBe(true);
    expect([...(binary.data as Buffer)]).toEqual([1, 2, 3]);
    const timeout = await wsMockRejection(conn.waitForMessage({ type: 'exact', value: 'never' }, { timeout: 200 }));
    expect(timeout.code).toBe('WSMOCK_ERR_TIMEOUT');
    expect(timeout.message).toContain(`on ${conn.id} (${serving.adminUrl})`);
  });

  it('send, messages, close and waitForClose, stats, connections.list, broadcast', async () => {
    const feed = await remoteMock('/r/conn', { echoMode: false });
    const client = await connect(`${feed.url}?who=me`);
    const other = await connect(`${feed.url}?who=other`);
    const conn = await feed.waitForConnection({ query: { who: 'me' } });
    await conn.send({ hello: 'you' });
    await conn.send('text');
    await conn.send(Buffer.from('bytes'));
    expect(await client.nextJson()).toEqual({ hello: 'you' });
    expect(await client.next()).toBe('text');
    expect((await client.frame()).binary).toBe(true);
    expect((await conn.refresh()).messages.map((m) => [m.direction, m.binary])).toEqual([
      ['out', false],
      ['out', false],
      ['out', true],
    ]);
    const listed = await remote.connections.list({ mockId: feed.id });
    expect(listed.map((c) => c.url).sort()).toEqual(['/r/conn?who=me', '/r/conn?who=other']);
    expect((await remote.stats()).connectionsByMock[feed.id]).toBe(2);
    expect(await feed.broadcast({ news: 1 })).toBe(2);
    expect(await other.nextJson()).toEqual({ news: 1 });
    expect(await remote.connections.broadcast('all', { mockId: feed.id })).toBe(2);
    expect(await other.next()).toBe('all');
    expect(await conn.join('vip')).toEqual(['vip']);
    expect(await feed.broadcast('for vips', { room: 'vip' })).toBe(1);
    expect(await client.nextJson()).toEqual({ news: 1 });
    expect(await client.next()).toBe('all');
    expect(await client.next()).toBe('for vips');
    expect(await conn.leave('vip')).toEqual([]);
    expect(await conn.close({ code: 4000, reason: 'bye' })).toEqual({ code: 4000, reason: 'bye', by: 'server' });
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });
    // After the close (which `wsmock serve` forgets), the handle still reads its journal and its close.
    expect((await conn.refresh()).transcript()).toContain('× close 4000 "bye" by server');
    const closedWait = await wsMockRejection(conn.waitForMessage(undefined, { timeout: 1000 }));
    expect(closedWait.code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    // A handle got by id is kept for after its close too.
    const byId = await remote.connections.get(listed.find((c) => c.url.endsWith('other'))!.id);
    expect(byId.query).toEqual({ who: 'other' });
    const second = await feed.waitForConnection({ query: { who: 'other' } });
    const closing = second.waitForClose({ timeout: 5000 });
    other.ws.close(4100, 'client went');
    expect(await closing).toEqual({ code: 4100, reason: 'client went', by: 'client' });
    expect(await byId.waitForClose()).toEqual({ code: 4100, reason: 'client went', by: 'client' });
    expect((await byId.refresh()).received).toEqual([]);
  });
});

describe('issue 27: the runner matchers accept remote handles', () => {
  it('toReceiveMessage, .not.toReceiveMessage, toHaveReceivedMessages, toHaveConnections, toBeClosed', async () => {
    const feed = await remoteMock('/r/matchers', { echoMode: false });
    const client = await connect(feed.url);
    const conn = await feed.waitForConnection();
    client.send({ type: 'hello', user: 'ann' });
    await expect(conn).toReceiveMessage({ type: 'hello', user: 'ann' });
    await expect(conn).not.toReceiveMessage(undefined, { within: 100 });
    client.send('second');
    await expect(conn).toReceiveMessage(expect.stringContaining('sec'));
    await expect(conn).toHaveReceivedMessages([{ type: 'hello', user: 'ann' }, 'second']);
    await expect(feed).toHaveConnections(1);
    await expect(remote).toHaveConnections(1);
    await expect(conn).not.toBeClosed();
    const failed = await expect(conn).toReceiveMessage('never', { timeout: 100 }).catch((err: Error) => err);
    expect(String(failed)).toContain('Recent messages on');
    const none = await expect(conn).toHaveReplayed({ timeout: 100 }).catch((err: Error) => err);
    expect(String(none)).toContain(`${conn.id} runs no replay or scenario`);
    await expect(expect(conn).toReceiveEvent('x')).rejects.toThrow('toReceiveEvent() works on a wsmock Socket.IO socket');
    client.ws.close(4001, 'done');
    await expect(conn).toBeClosed({ code: 4001, reason: 'done' });
    await expect(feed).toHaveConnections(0);
  });
});

describe('issue 27: toConformToContract on a remote connection reads its violations from the server', () => {
  it('passes while the frames fit the contract, and lists the violation once one does not', async () => {
    const contract = YAML.parse(readFileSync(new URL('./fixtures/asyncapi/serve-rpc.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
    const rpc = await remoteMock('/rpc', { echoMode: false, contract: { contract, channel: 'rpc' } });
    const client = await connect(rpc.url);
    const conn = await rpc.waitForConnection();
    await expect(conn).toConformToContract();
    client.send({ event: 'ping', reqid: 'not a number' });
    await expect(conn).toReceiveMessage({ event: 'ping', reqid: 'not a number' });
    // Synchronous in-process, awaited on a remote handle.
    const failed = await Promise.resolve(expect(conn).toConformToContract()).catch((err: Error) => err);
    expect(String(failed)).toMatch(/\$\.reqid must be integer/);
    expect(conn.violations.map((v) => [v.direction, v.message])).toEqual([['in', 'ping']]);
  });
});

describe('issue 27: toHaveReplayed on a remote connection waits for its scenario on the server', () => {
  it('passes once the scenario completes, and fails naming the step when it fails', async () => {
    const greet = await remoteMock('/r/replayed', {
      scenario: { name: 'greet', steps: [{ type: 'wait', match: { type: 'json', path: '$.type', value: 'ready' }, timeout: '5s' }, { type: 'send', message: { type: 'json', value: { type: 'welcome' } } }] },
    });
    const client = await connect(greet.url);
    const conn = await greet.waitForConnection();
    // The client's frame goes after the matcher starts waiting: the wait is held on the server.
    const replayed = expect(conn).toHaveReplayed({ timeout: 5000 });
    client.send({ type: 'ready' });
    await replayed;
    expect(await client.nextJson()).toEqual({ type: 'welcome' });
    const notReplayed = await expect(conn).not.toHaveReplayed().catch((err: Error) => err);
    expect(String(notReplayed)).toContain('Expected replay "greet" on');

    const stuck = await remoteMock('/r/stuck', { scenario: { name: 'stuck', steps: [{ type: 'wait', match: { type: 'json', path: '$.type', value: 'never' }, timeout: '200ms' }] } });
    await connect(stuck.url);
    const failing = await stuck.waitForConnection();
    const failed = await expect(failing).toHaveReplayed({ timeout: 5000 }).catch((err: Error) => err);
    expect(String(failed)).toMatch(/Replay "stuck" on \S+ failed at step 0: timed out after 200 ms waiting for a message matching/);
  });
});

/** A TCP proxy in front of the admin API whose sockets a test can cut. */
async function cuttableProxy(target: string): Promise<{
  url: string;
  cutAll: () => void;
  requests: () => Promise<void>;
  blackout: (on: boolean) => void;
  accepted: (count: number) => Promise<void>;
  close: () => Promise<void>;
}> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let onRequest: (() => void) | undefined;
  let dark = false;
  let accepted = 0;
  const onAccept = new Set<() => void>();
  const server: NetServer = createNetServer((inbound) => {
    accepted++;
    for (const check of [...onAccept]) check();
    // A network that breaks every connection it carries, without refusing any.
    if (dark) {
      inbound.destroy();
      return;
    }
    const outbound = netConnect(Number(port), hostname);
    sockets.add(inbound).add(outbound);
    inbound.on('data', () => onRequest?.());
    inbound.pipe(outbound).pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cutAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    // Resolves at the next request bytes the proxy carries.
    requests: () => new Promise<void>((resolve) => (onRequest = () => ((onRequest = undefined), resolve()))),
    blackout: (on) => {
      dark = on;
    },
    // Resolves once `count` more connections have reached the proxy.
    accepted: (count) =>
      new Promise<void>((resolve) => {
        const target = accepted + count;
        const check = () => {
          if (accepted < target) return;
          onAccept.delete(check);
          resolve();
        };
        onAccept.add(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // fetch keeps its sockets alive for reuse: end them, or close() waits for their idle timeout.
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe('issue 27: waits survive a dropped connection to the admin API', () => {
  it('a long poll cut under the client is asked again from its cursor: no frame is lost', async () => {
    const proxy = await cuttableProxy(serving.adminUrl!);
    const throughProxy = await connectMockServer(proxy.url, { token: TOKEN });
    try {
      const feed = await remoteMock('/r/cut', { echoMode: false });
      const client = await connect(feed.url);
      const conn = await (await throughProxy.mocks.get(feed.id)).waitForConnection();
      client.send('before the cut');
      const first = conn.waitForMessage(undefined, { timeout: 10_000 });
      expect((await first).text).toBe('before the cut');
      // A wait in flight: its request is held by the server when the sockets are cut.
      const polled = proxy.requests();
      const waiting = conn.waitForMessage({ type: 'exact', value: 'after the cut' }, { timeout: 10_000 });
      await polled;
      proxy.cutAll();
      client.send('during the cut');
      client.send('after the cut');
      expect((await waiting).text).toBe('after the cut');
      await conn.refresh();
      expect(conn.received.map((m) => m.text)).toEqual(['before the cut', 'during the cut', 'after the cut']);
    } finally {
      await throughProxy.close();
      await proxy.close();
    }
  });
});

describe('issue 27: waits survive a network that breaks every request for a while', () => {
  it('a wait asks again past the three quick tries until its deadline, then gets the frame', async () => {
    const proxy = await cuttableProxy(serving.adminUrl!);
    const throughProxy = await connectMockServer(proxy.url, { token: TOKEN });
    try {
      const feed = await remoteMock('/r/dark', { echoMode: false });
      const client = await connect(feed.url);
      const conn = await (await throughProxy.mocks.get(feed.id)).waitForConnection();
      proxy.blackout(true);
      proxy.cutAll();
      const waiting = conn.waitForMessage(undefined, { timeout: 15_000 });
      // Five broken tries: more than the three a plain read gets.
      await proxy.accepted(5);
      client.send('after the outage');
      proxy.blackout(false);
      expect((await waiting).text).toBe('after the outage');
    } finally {
      await throughProxy.close();
      await proxy.close();
    }
  });
});

describe('issue 27: remote bad input', () => {
  it('a server that is gone: WSMOCK_ERR_CONNECTION_CLOSED naming the URL, without hanging', async () => {
    const spare = createNetServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(spare.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const err = await wsMockRejection(connectMockServer(url));
    expect(err.code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    expect(err.message).toContain(`the wsmock admin API at ${url} cannot be reached (ECONNREFUSED)`);
  });

  it('a server that goes away during a wait ends the wait with a clear error', async () => {
    const own = await startServe(['--port', '0', '--admin-port', '0']);
    const ownRemote = await connectMockServer(own.adminUrl!);
    try {
      const mock = await ownRemote.websocket('/gone');
      const waiting = mock.waitForConnection({ timeout: 20_000 });
      await own.stop();
      const err = await wsMockRejection(waiting);
      expect(['WSMOCK_ERR_CONNECTION_CLOSED', 'WSMOCK_ERR_SERVER_CLOSED']).toContain(err.code);
      expect(err.message).toContain(own.adminUrl!);
    } finally {
      await ownRemote.close();
      await own.stop();
    }
  });

  it('a wrong token is a clear 401 error', async () => {
    const err = await wsMockRejection(connectMockServer(serving.adminUrl!, { token: 'wrong' }));
    expect(err.message).toBe(`The wsmock admin API at ${serving.adminUrl} refused the token (401 unauthorized): pass the server's admin token as connectMockServer(url, { token }).`);
  });

  it('an admin API of another version is refused, naming both versions', async () => {
    // A real admin API behind a proxy that reports another wsmock version.
    const server = await createMockServer();
    const adminUrl = await server.listenAdmin();
    const front = createHttpServer((req, res) => {
      if (req.url === '/version') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'wsmock', version: '9.0.0', protocol: 99 }));
        return;
      }
      req.pipe(httpRequest(`${adminUrl}${req.url}`, { method: req.method, headers: req.headers }, (answer) => answer.pipe(res.writeHead(answer.statusCode!, answer.headers))));
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as { port: number }).port}`;
    try {
      const err = await wsMockRejection(connectMockServer(url));
      expect(err.code).toBe('WSMOCK_ERR_UNSUPPORTED');
      expect(err.message).toMatch(/is wsmock 9\.0\.0 \(remote protocol 99\), this client is wsmock \S+ \(remote protocol 1\): run the same version on both sides/);
    } finally {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await server.close();
    }
  });

  it('a wait whose caller left takes nothing: the connection stays for the next wait', async () => {
    const server = await createMockServer({ admin: true });
    const own = await connectMockServer(server.adminUrl!);
    try {
      const mock = server.websocket('/left', { echoMode: false });
      const controller = new AbortController();
      const abandoned = fetch(`${server.adminUrl}/mocks/${mock.id}/connections/next`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ timeout: 20_000 }),
        signal: controller.signal,
      }).catch((err: Error) => err.name);
      await vi.waitFor(() => expect(groupOf(mock).waiters.size).toBe(1));
      controller.abort();
      expect(await abandoned).toBe('AbortError');
      // The server has let go of the wait before the client arrives.
      await vi.waitFor(() => expect(groupOf(mock).waiters.size).toBe(0));
      await connect(`${server.url}/left?n=1`);
      const conn = await (await own.mocks.get(mock.id)).waitForConnection({ timeout: 2000 });
      expect(conn.query).toEqual({ n: '1' });
      // A wait for a mock removed meanwhile ends with 404, not at its timeout.
      const waiting = (await own.mocks.get(mock.id)).waitForConnection({ timeout: 20_000 });
      await vi.waitFor(() => expect(groupOf(mock).waiters.size).toBe(1));
      await mock.remove();
      const err = await wsMockRejection(waiting);
      expect(err.code).toBe('WSMOCK_ERR_MOCK_NOT_FOUND');
      expect(err.message).toContain(`Mock "${mock.id}" was removed during the wait.`);
    } finally {
      await own.close();
      await server.close();
    }
  });

  it('remote.reset() resets the whole server; the admin routes refuse bad cursors and waits', async () => {
    const server = await createMockServer({ admin: true });
    const own = await connectMockServer(server.adminUrl!);
    try {
      await own.websocket('/a');
      expect((await own.mocks.list()).length).toBe(1);
      await own.reset();
      expect(await own.mocks.list()).toEqual([]);
      const bad = await fetch(`${server.adminUrl}/websocket/connections/conn-1/frames?after=x`);
      expect(bad.status).toBe(404);
      server.websocket('/b', { echoMode: false });
      await connect(`${server.url}/b`);
      const [conn] = server.connections.list();
      const wrongAfter = await fetch(`${server.adminUrl}/websocket/connections/${conn!.id}/frames?after=x`);
      expect(await wrongAfter.json()).toMatchObject({ error: 'validation_error', details: [{ path: 'after' }] });
      const tooLong = await fetch(`${server.adminUrl}/websocket/connections/${conn!.id}/frames?wait=30000`);
      expect(await tooLong.json()).toMatchObject({ error: 'validation_error', details: [{ path: 'wait', message: 'must be a whole number of milliseconds from 0 to 25000' }] });
      const badFlag = await fetch(`${server.adminUrl}/websocket/connections/${conn!.id}/frames?violations=yes`);
      expect(await badFlag.json()).toMatchObject({ error: 'validation_error', details: [{ path: 'violations', message: 'must be 1, 0, true or false' }] });
      // The same yes/no words as the other admin flags (`frames`, `wait`).
      const withViolations = await fetch(`${server.adminUrl}/websocket/connections/${conn!.id}/frames?violations=true`);
      expect(await withViolations.json()).toMatchObject({ frames: [], violations: [] });
    } finally {
      await own.close();
      await server.close();
    }
  });
});
