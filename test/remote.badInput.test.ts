//
// Bad and unusual input to the remote-handle surfaces: the admin routes
// remote handles drive, and `connectMockServer()` and its handles. Real
// servers on port 0, real HTTP clients.
//
import { createServer, type RequestListener, type Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectMockServer, createMockServer, type MockServer } from '../src/index.js';
import { wsMockRejection } from './helpers/failures.js';
import { closeAllClients, connect } from './helpers/client.js';

const servers: MockServer[] = [];
const others: Server[] = [];
afterEach(async () => {
  await closeAllClients();
  await Promise.all(others.splice(0).map((other) => new Promise((resolve) => other.close(resolve))));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function adminServer(): Promise<MockServer> {
  const server = await createMockServer({ admin: true });
  servers.push(server);
  return server;
}

describe('POST /mocks/{id}/connections/next refuses a bad timeout naming it', () => {
  it.each([
    ['-1', -1, 'got -1'],
    ['a fraction', 1.5, 'got 1.5'],
    ['past the bound', 25_001, 'got 25001'],
    ['a string', '100', 'got string'],
    ['a boolean', true, 'got boolean'],
    ['an array', [100], 'got an array'],
  ])('%s', async (_label, timeout, got) => {
    const server = await adminServer();
    const mock = server.websocket('/next', { echoMode: false });
    const response = await fetch(`${server.adminUrl}/mocks/${mock.id}/connections/next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeout }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'validation_error',
      message: `Invalid request: timeout must be a whole number of milliseconds from 0 to 25000, ${got}.`,
      details: [{ path: 'timeout', message: `must be a whole number of milliseconds from 0 to 25000, ${got}` }],
    });
  });

  it('null is the default, as for query and headers', async () => {
    const server = await adminServer();
    const mock = server.websocket('/next', { echoMode: false });
    await connect(`${server.url}/next`);
    const response = await fetch(`${server.adminUrl}/mocks/${mock.id}/connections/next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeout: null, query: null }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { connection: { path: string } }).connection.path).toBe('/next');
  });
});

/** A plain HTTP server (not a wsmock) on port 0; resolves with its URL. */
async function otherServer(listener: RequestListener): Promise<string> {
  const other = createServer(listener);
  others.push(other);
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(other.address() as { port: number }).port}`;
}

describe('connectMockServer() refuses what it cannot use, naming it, before any request', () => {
  it.each([
    ['a port out of range', 'http://127.0.0.1:99999', 'connectMockServer(adminUrl): adminUrl is not a valid URL (a host and port as in http://127.0.0.1:4290), got "http://127.0.0.1:99999"'],
    ['a space in the host', 'http://exa mple', 'connectMockServer(adminUrl): adminUrl is not a valid URL (a host and port as in http://127.0.0.1:4290), got "http://exa mple"'],
    ['a query', 'http://127.0.0.1:1/admin?x=1', 'connectMockServer(adminUrl): adminUrl must not carry a query or fragment (the routes are appended to its path), got "http://127.0.0.1:1/admin?x=1"'],
    ['a fragment', 'http://127.0.0.1:1/#top', 'connectMockServer(adminUrl): adminUrl must not carry a query or fragment (the routes are appended to its path), got "http://127.0.0.1:1/#top"'],
    ['credentials', 'http://admin:secret@127.0.0.1:1', 'connectMockServer(adminUrl): adminUrl must not carry a user name or password; pass the admin token as connectMockServer(adminUrl, { token })'],
  ])('an adminUrl with %s', async (_label, url, message) => {
    const requests = vi.spyOn(globalThis, 'fetch');
    try {
      const err = await wsMockRejection(connectMockServer(url));
      expect(err.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
      expect(err.message).toBe(message);
      // Refused up front, not after the tries of an unreachable server.
      expect(requests).not.toHaveBeenCalled();
    } finally {
      requests.mockRestore();
    }
  });

  it('null options', async () => {
    const err = await wsMockRejection(connectMockServer('http://127.0.0.1:1', null as never));
    expect(err.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
    expect(err.message).toBe('connectMockServer(adminUrl, options): options must be an object ({ token }), got null');
  });
});

describe('connectMockServer() to a server that takes requests and never answers', () => {
  it('rejects WSMOCK_ERR_CONNECTION_CLOSED naming the URL once answerTimeout has passed, without trying again', async () => {
    let requests = 0;
    // Holds every request (as a process stopped in a debugger would); closing the server ends them.
    const url = await otherServer(() => {
      requests++;
    });
    const err = await wsMockRejection(connectMockServer(url, { answerTimeout: 200 }));
    expect(err.code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    expect(err.message).toContain(url);
    expect(err.message).toContain('no answer within 200 ms');
    expect(requests).toBe(1);
  });

  it('refuses an answerTimeout that is not a whole number of milliseconds above 0', async () => {
    for (const answerTimeout of [0, -5, 1.5, '100', null]) {
      const err = await wsMockRejection(connectMockServer('http://127.0.0.1:1', { answerTimeout: answerTimeout as never }));
      expect(err.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
      expect(err.message).toBe(`connectMockServer(adminUrl, { answerTimeout }): answerTimeout must be a whole number of milliseconds above 0, got ${String(answerTimeout)}`);
    }
  });

  it('a wait is given its hold on top: a long poll the server holds past answerTimeout ends as the wait says, not as a server gone', async () => {
    const server = await adminServer();
    const feed = server.websocket('/feed', { echoMode: false });
    const remote = await connectMockServer(server.adminUrl!, { answerTimeout: 100 });
    try {
      const mock = await remote.mocks.get(feed.id);
      // No client comes: the server holds connections/next for the whole 400 ms, then answers 408.
      const err = await wsMockRejection(mock.waitForConnection({ timeout: 400 }));
      expect(err.code).toBe('WSMOCK_ERR_TIMEOUT');
      expect(err.message).toContain('Timed out after 400 ms waiting for a connection on mock');
      await connect(`${server.url}/feed?who=late`);
      expect((await mock.waitForConnection({ timeout: 5000 })).query).toEqual({ who: 'late' });
    } finally {
      await remote.close();
    }
  });
});

describe('connectMockServer() to a server that answers JSON that is not an object', () => {
  it.each([
    ['null', 'null'],
    ['42', 'number'],
    ['[]', 'an array'],
  ])('GET /version answering %s is not a wsmock', async (json, kind) => {
    const url = await otherServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(json));
    const err = await wsMockRejection(connectMockServer(url));
    expect(err.code).toBe('WSMOCK_ERR_UNSUPPORTED');
    expect(err.message).toContain(`${url} is not a wsmock admin API this client can drive: it answered HTTP 200 with JSON that is not an object (${kind}).`);
  });

  it('a later answer of null rejects the call the same way, not with a TypeError', async () => {
    const url = await otherServer((req, res) => {
      const body = req.url === '/version' ? JSON.stringify({ name: 'wsmock', version: 'x', protocol: 1 }) : 'null';
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const remote = await connectMockServer(url);
    const err = await wsMockRejection(remote.mocks.list());
    expect(err.code).toBe('WSMOCK_ERR_UNSUPPORTED');
    expect(err.message).toContain('with JSON that is not an object (null)');
    await remote.close();
  });
});

describe('remote handles refuse what JSON cannot carry as the caller\'s argument, not as an unreachable server', () => {
  it('send() and broadcast() of undefined, a function, a symbol or a BigInt name the type, as the in-process send() does', async () => {
    const server = await adminServer();
    const remote = await connectMockServer(server.adminUrl!);
    try {
      const mock = await remote.websocket('/json', { echoMode: false });
      await connect(mock.url);
      const conn = await mock.waitForConnection();
      for (const [data, type] of [[undefined, 'undefined'], [() => 1, 'function'], [Symbol('s'), 'symbol'], [1n, 'bigint']] as const) {
        const sent = await wsMockRejection(conn.send(data as never));
        expect([sent.code, sent.message]).toEqual(['WSMOCK_ERR_INVALID_ARGUMENT', `send() takes a string, an object (sent as JSON), or bytes; got ${type}`]);
        const broadcast = await wsMockRejection(mock.broadcast(data as never));
        expect([broadcast.code, broadcast.message]).toEqual(['WSMOCK_ERR_INVALID_ARGUMENT', `broadcast() takes a string, an object (sent as JSON), or bytes; got ${type}`]);
      }
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const err = await wsMockRejection(conn.send(circular));
      expect(err.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
      expect(err.message).toBe(`Cannot send on ${conn.id}: what it sends cannot be written as JSON (Converting circular structure to JSON)`);
      const nested = await wsMockRejection(remote.connections.send(conn.id, { big: 1n } as never));
      expect(nested.message).toBe(`Cannot send on ${conn.id}: what it sends cannot be written as JSON (Do not know how to serialize a BigInt)`);
      // Nothing reached the client, and the connection is still open.
      await conn.send('still here');
      await conn.refresh();
      expect(conn.messages.map((m) => m.text)).toEqual(['still here']);
    } finally {
      await remote.close();
    }
  });

  it('a wait whose filter JSON cannot carry rejects at once instead of retrying until its timeout', async () => {
    const server = await adminServer();
    const remote = await connectMockServer(server.adminUrl!);
    try {
      const mock = await remote.websocket('/filter');
      const started = Date.now();
      const err = await wsMockRejection(mock.waitForConnection({ query: { n: 1n } as never, timeout: 20_000 }));
      expect(err.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
      expect(err.message).toBe(`Cannot wait for a connection on mock "${mock.id}": what it sends cannot be written as JSON (Do not know how to serialize a BigInt)`);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await remote.close();
    }
  });
});

describe('remote handles refuse null or non-object options naming the argument, not with a TypeError', () => {
  it('waitForConnection, update, broadcast, close and the connections API', async () => {
    const server = await adminServer();
    const remote = await connectMockServer(server.adminUrl!);
    try {
      const mock = await remote.websocket('/opts', { echoMode: false });
      await connect(mock.url);
      const conn = await mock.waitForConnection();
      const cases: [Promise<unknown>, string][] = [
        [mock.waitForConnection(null as never), 'waitForConnection(options): options must be an object, got null'],
        [mock.update(null as never), 'update(config): config must be an object, got null'],
        [mock.update('fields' as never), 'update(config): config must be an object, got string'],
        [mock.update(undefined as never), 'update(config): config must be an object of the fields to change, got undefined'],
        [mock.broadcast('x', null as never), 'broadcast(data, options): options must be an object, got null'],
        [conn.close(null as never), 'close(options): options must be an object, got null'],
        [remote.connections.list(null as never), 'connections.list(filter): filter must be an object, got null'],
        [remote.connections.broadcast('x', [] as never), 'connections.broadcast(data, filter): filter must be an object, got an array'],
        [remote.connections.close(conn.id, null as never), 'close(options): options must be an object, got null'],
      ];
      for (const [call, message] of cases) {
        const err = await wsMockRejection(call);
        expect([err.code, err.message]).toEqual(['WSMOCK_ERR_INVALID_ARGUMENT', message]);
      }
      // None of them changed anything: the connection is open and nothing was sent.
      await conn.refresh();
      expect(conn.isOpen).toBe(true);
      expect(conn.messages).toEqual([]);
    } finally {
      await remote.close();
    }
  });
});
