import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WsMockError } from '../src/index.js';
import WS, { matchers } from '../src/compat/jest-websocket-mock/index.js';

// wsmock/jest-websocket-mock beyond the original's own suite: the URLs it
// takes, the ports it shares and frees, and what it refuses. Real `ws` clients.

// Vitest without `globals`: the matchers are registered by hand, as docs/migrating.md says.
expect.extend(matchers);
afterEach(() => WS.clean());

function open(url: string, protocols?: string[]): Promise<WebSocket> {
  const client = new WebSocket(url, protocols);
  return new Promise((resolve, reject) => {
    client.once('open', () => resolve(client));
    client.once('error', reject);
  });
}

function closed(client: WebSocket): Promise<[number, string]> {
  return new Promise((resolve) => client.once('close', (code, reason) => resolve([code, String(reason)])));
}

function refusal(url: string, protocols?: string[], headers?: Record<string, string>): Promise<number> {
  const client = new WebSocket(url, protocols, { headers });
  client.on('error', () => undefined); // terminate() before the upgrade reports one
  return new Promise((resolve, reject) => {
    client.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      client.terminate();
    });
    client.once('open', () => reject(new Error('the handshake was accepted')));
  });
}

function thrown(fn: () => unknown): WsMockError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WsMockError);
    return err as WsMockError;
  }
  throw new Error('nothing was thrown');
}

describe('new WS(url): the URLs it takes', () => {
  it('refuses a URL that is not ws://, a wss:// URL, a host off this machine and a non-URL, saying what to write', () => {
    const http = thrown(() => new WS('http://localhost:1234'));
    expect(http.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
    expect(http.message).toBe('new WS(url): "http://localhost:1234" is not a WebSocket URL (it has http:). Use ws://localhost:1234.');
    expect(thrown(() => new WS('wss://localhost:1234')).message).toMatch(
      /^new WS\(url\): "wss:\/\/localhost:1234" is a wss:\/\/ URL, and WS serves plain ws:\/\/ .* Point the code under test at ws:\/\/localhost:<port> in tests\.$/,
    );
    expect(thrown(() => new WS('ws://example.com:1234')).message).toMatch(/names the host example\.com, but WS listens on this machine's loopback interface only\. Use localhost, 127\.0\.0\.1 or \[::1\]/);
    expect(thrown(() => new WS('localhost:1234/x y')).message).toMatch(/is not a WebSocket URL|is not a URL/);
    expect(thrown(() => new WS('not a url')).message).toBe('new WS(url): "not a url" is not a URL. Write it as ws://localhost:1234 (a path may follow).');
    expect(thrown(() => new WS('ws://localhost:0', { verifyClient: true as never })).message).toBe(
      'new WS(url, options): verifyClient must be a function, got boolean.',
    );
    expect(WS.instances).toEqual([]);
  });

  it('refuses a URL that a live WS already serves, and takes it again after WS.clean()', async () => {
    const first = await WS.create('ws://localhost:0/chat');
    const port = new URL(first.url).port;
    const again = thrown(() => new WS(`ws://localhost:${port}/chat`));
    expect(again.message).toBe(
      `new WS("ws://localhost:${port}/chat"): a live WS already serves /chat on port ${port}. ` +
        'Call WS.clean() (or close() the other one) first, as an afterEach does, or use another path or port.',
    );
    await WS.clean();
    const second = await WS.create(`ws://localhost:${port}/chat`);
    expect(second.url).toBe(`ws://localhost:${port}/chat`);
  });

  it('serves localhost on 127.0.0.1 and ::1, whichever address the client resolves it to', async () => {
    const server = await WS.create('ws://localhost:0');
    const port = new URL(server.url).port;
    const v4 = await open(`ws://127.0.0.1:${port}`);
    const v6 = await open(`ws://[::1]:${port}`);
    const viaName = await open(`ws://localhost:${port}`);
    const sockets = [await server.connected, await server.connected, await server.connected];
    expect(sockets.map((s) => s.url)).toEqual([`ws://127.0.0.1:${port}/`, `ws://[::1]:${port}/`, `ws://localhost:${port}/`]);
    v4.send('from v4');
    v6.send('from v6');
    viaName.send('by name');
    expect([await server.nextMessage, await server.nextMessage, await server.nextMessage].sort()).toEqual(['by name', 'from v4', 'from v6']);
  });

  it('shares one port between WS instances with different paths, each seeing its own clients', async () => {
    const chat = await WS.create('ws://127.0.0.1:0/chat', { jsonProtocol: true });
    const port = new URL(chat.url).port;
    const feed = await WS.create(`ws://127.0.0.1:${port}/feed`);
    const chatClient = await open(`ws://127.0.0.1:${port}/chat`);
    const feedClient = await open(`ws://127.0.0.1:${port}/feed`);
    await chat.connected;
    await feed.connected;
    chatClient.send('{"type":"join"}');
    feedClient.send('tick');
    expect(await chat.nextMessage).toEqual({ type: 'join' });
    expect(await feed.nextMessage).toBe('tick');
    expect(chat.messages).toEqual([{ type: 'join' }]);
    expect(feed.messages).toEqual(['tick']);
    expect(await refusal(`ws://127.0.0.1:${port}/other`)).toBe(404);
  });
});

describe('ports', () => {
  let holder: ChildProcess | undefined;
  afterEach(() => {
    holder?.kill();
    holder = undefined;
  });

  it('a port another process listens on is a WsMockError naming the port, from WS.create() and from connected', async () => {
    holder = spawn(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))"], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(holder.stdout!, 'data')) as [Buffer];
    const port = Number(String(line).trim());
    const error = await WS.create(`ws://127.0.0.1:${port}`).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WsMockError);
    expect((error as WsMockError).code).toBe('WSMOCK_ERR_LISTEN_FAILED');
    expect((error as WsMockError).message).toBe(
      `Cannot listen for ws://127.0.0.1:${port}/: port ${port} is already in use on 127.0.0.1 by another process. Stop that process, or give WS a free port.`,
    );
    const server = new WS(`ws://127.0.0.1:${port}/other`);
    await expect(server.connected).rejects.toThrow(`port ${port} is already in use on 127.0.0.1`);
  });

  it('a fixed port freed a moment after WS asks for it is taken (Jest gives each test file its own copy of the module, so a closing server of the previous file is another holder)', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    // Free the port only once WS has found it busy and tried again.
    let attempts = 0;
    let retried!: () => void;
    const secondAttempt = new Promise<void>((resolve) => (retried = resolve));
    const listen = net.Server.prototype.listen;
    const spy = vi.spyOn(net.Server.prototype, 'listen').mockImplementation(function (this: net.Server, ...args: unknown[]) {
      if (this !== busy && ++attempts === 2) retried();
      return listen.apply(this, args as never);
    });
    try {
      const created = WS.create(`ws://127.0.0.1:${port}`);
      await secondAttempt;
      await new Promise<void>((resolve) => busy.close(() => resolve()));
      const server = await created;
      expect(server.url).toBe(`ws://127.0.0.1:${port}/`);
      const client = await open(server.url);
      await server.connected;
      client.send('hi');
      await expect(server).toReceiveMessage('hi');
      expect(attempts).toBeGreaterThanOrEqual(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('WS.clean() frees the port before it returns, settles when everything is closed, and never throws', async () => {
    const server = await WS.create('ws://localhost:0');
    const port = Number(new URL(server.url).port);
    const client = await open(server.url);
    await server.connected;
    const clientClosed = closed(client);
    await server.close(); // already closed before clean
    const cleaning = WS.clean();
    // The port is free at once: a plain TCP server takes it before clean() settles.
    const taker = net.createServer().listen(port, '127.0.0.1');
    await once(taker, 'listening');
    await new Promise((resolve) => taker.close(resolve));
    await expect(cleaning).resolves.toBeUndefined();
    await expect(WS.clean()).resolves.toBeUndefined();
    expect(await clientClosed).toEqual([1000, '']);
  });
});

describe('what WS refuses, and what clients see', () => {
  it('close codes a real client would refuse, and objects sent without jsonProtocol, are WsMockErrors', async () => {
    const server = await WS.create('ws://localhost:0');
    expect(thrown(() => server.close({ code: 1234 })).message).toBe(
      'server.close(): close code 1234 cannot be sent to a real client (RFC 6455 §7.4). Use 1000, 1001-1014 (not 1004-1006), or an application code from 3000 to 4999.',
    );
    expect(thrown(() => server.send({ type: 'x' })).message).toBe(
      'server.send() got an object, and this WS has no jsonProtocol: pass { jsonProtocol: true } to new WS() to send JSON, or send a string.',
    );
    expect(thrown(() => server.on('open' as never, () => undefined)).message).toBe(
      `server.on(event): event must be 'connection', 'message' or 'close', got "open".`,
    );
  });

  it("server.close({ code, reason }) reaches the client; server.error() fails the connection: ws's client fires error, then closes with 1006", async () => {
    const server = await WS.create('ws://localhost:0');
    const a = await open(server.url);
    await server.connected;
    const aClosed = closed(a);
    await server.close({ code: 4001, reason: 'bye' });
    expect(await aClosed).toEqual([4001, 'bye']);

    const other = await WS.create(`ws://localhost:0/e`);
    const b = await open(other.url);
    await other.connected;
    const errors: string[] = [];
    b.on('error', (err) => errors.push(err.message));
    const bClosed = closed(b);
    await other.error();
    expect(await bClosed).toEqual([1006, '']);
    // The server sent a frame with a reserved opcode (conn.fail()): the client
    // failed the connection, as browsers', undici's and jsdom's do.
    expect(errors).toEqual(['Invalid WebSocket frame: invalid opcode 3']);
  });

  it('verifyClient and selectProtocol decide each handshake', async () => {
    const seen: string[] = [];
    const server = await WS.create('ws://localhost:0', {
      verifyClient: (info) => {
        seen.push(String(info.req.headers['x-token']));
        return info.req.headers['x-token'] === 'ok';
      },
      selectProtocol: (protocols) => (protocols.includes('v2') ? 'v2' : 'nope'),
    });
    const good = new WebSocket(server.url, ['v1', 'v2'], { headers: { 'x-token': 'ok' } });
    await once(good, 'open');
    expect(good.protocol).toBe('v2');
    expect((await server.connected).protocol).toBe('v2');
    const bad = new WebSocket(server.url, ['v2'], { headers: { 'x-token': 'no' } });
    const [, response] = (await once(bad, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(401);
    bad.on('error', () => undefined);
    bad.terminate();
    expect(await refusal(server.url, ['v1'], { 'x-token': 'ok' })).toBe(400);
    expect(seen).toEqual(['ok', 'no', 'ok']);
  });

  it('await server.send() resolves once the client has the message; await server.connected once it may send', async () => {
    const server = await WS.create('ws://localhost:0', { jsonProtocol: true });
    const client = new WebSocket(server.url);
    const received: string[] = [];
    client.on('message', (data) => received.push(String(data)));
    server.on('connection', (socket) => socket.send('welcome'));
    await server.connected;
    expect(client.readyState).toBe(WebSocket.OPEN);
    expect(received).toEqual(['welcome']);
    client.send('{"n":1}');
    await server.send({ n: 2 });
    expect(received).toEqual(['welcome', '{"n":2}']);
    await expect(server).toReceiveMessage({ n: 1 });
  });
});
