//
// conn.fail(): the server sends a frame every client must reject (RFC 6455
// §7.1.7), so the client fails the connection: `error`, then `close` with
// wasClean false. Checked with real clients: `ws`, undici's WebSocket (in
// process), Node's own global WebSocket (in a child process: Node 20 has it
// behind a flag), jsdom 20 (what jest-environment-jsdom 29 ships) and jsdom
// 29; Chromium is in core.fail.browser.test.ts. The server side: what goes on
// the wire, the bound when a client never closes, and what is recorded.
//
import { execFile } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { promisify } from 'node:util';
import { JSDOM } from 'jsdom';
import { JSDOM as JSDOM20 } from 'jsdom20';
import { WebSocket as UndiciWebSocket } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WsMockError, type CloseInfo, type Connection } from '../src/index.js';
import { connect } from './helpers/client.js';
import { root } from './helpers/pack.js';
import { useMockServer, useServers } from './helpers/server.js';
import { closeSseClients, SseClient } from './helpers/sse.js';
import { connected, ioClient, next } from './helpers/socketio.js';

const run = promisify(execFile);
const server = useMockServer();
const start = useServers();

/** What a WHATWG-style client fired, in order. */
type Seen = Array<{ type: 'message'; data: string } | { type: 'error' } | { type: 'close'; code: number; reason: string; wasClean: boolean }>;

interface DomLikeSocket {
  addEventListener(type: string, listener: (event: any) => void): void;
  close(): void;
}

/** Records a client's message, error and close events; resolves with them on close. */
function record(client: DomLikeSocket): Promise<Seen> {
  const seen: Seen = [];
  client.addEventListener('message', (e) => seen.push({ type: 'message', data: String(e.data) }));
  client.addEventListener('error', () => seen.push({ type: 'error' }));
  return new Promise((resolve) =>
    client.addEventListener('close', (e) => {
      seen.push({ type: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
      resolve(seen);
    }),
  );
}

const windows: Array<{ close(): void }> = [];
afterEach(() => {
  for (const window of windows.splice(0)) window.close();
  closeSseClients();
});

/** jsdom 20's WebSocket, in a window closed after the test. */
function jsdom20Client(url: string): DomLikeSocket {
  const { window } = new JSDOM20('', { url: 'http://localhost/' });
  windows.push(window);
  return new window.WebSocket(url) as DomLikeSocket;
}

/** The in-process clients, each as its users make it. */
const clients: Array<[string, (url: string) => DomLikeSocket]> = [
  ['ws', (url) => new WebSocket(url) as unknown as DomLikeSocket],
  ["undici's WebSocket", (url) => new UndiciWebSocket(url) as unknown as DomLikeSocket],
  ['jsdom 20 (jest-environment-jsdom 29)', jsdom20Client],
  [
    'jsdom 29',
    (url) => {
      const { window } = new JSDOM('', { url: 'http://localhost/' });
      windows.push(window);
      return new window.WebSocket(url) as DomLikeSocket;
    },
  ],
];

/** Sends `hello`, then fails the connection; resolves with what the server recorded. */
async function helloThenFail(conn: Connection): Promise<CloseInfo> {
  await conn.ping(); // the client is open: it has processed the handshake
  void conn.send('hello');
  return conn.fail();
}

// Node 20 has the global WebSocket behind a flag; 22 and later without one.
const FLAGS = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket', '--no-warnings'] : [];
const GLOBAL_CLIENT = `
const seen = [];
const ws = new WebSocket(process.argv[1]);
ws.onmessage = (e) => seen.push({ type: 'message', data: String(e.data) });
ws.onerror = () => seen.push({ type: 'error' });
ws.onclose = (e) => {
  seen.push({ type: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
  console.log(JSON.stringify(seen));
};
`;

describe('issue 22 item 1: conn.fail() makes real clients fail the connection', () => {
  it.each(clients)('%s fires error, then close 1006 with wasClean false; the server records 1002 by the server', async (_name, make) => {
    const mock = server.websocket('/fail');
    const seen = record(make(mock.url));
    const info = await helloThenFail(await mock.waitForConnection());
    expect(info).toEqual({ code: 1002, reason: '', by: 'server' });
    expect(await seen).toEqual([
      { type: 'message', data: 'hello' },
      { type: 'error' },
      { type: 'close', code: 1006, reason: '', wasClean: false },
    ]);
  });

  it('by contrast, conn.terminate() alone makes jsdom 20 close cleanly with no error (why fail() exists)', async () => {
    const mock = server.websocket('/drop');
    const seen = record(jsdom20Client(mock.url));
    const conn = await mock.waitForConnection();
    await conn.ping();
    conn.terminate();
    expect(await seen).toEqual([{ type: 'close', code: 1006, reason: '', wasClean: true }]);
  });

  it("Node's own global WebSocket fires error, then close with wasClean false (code 1006)", async () => {
    const mock = server.websocket('/fail');
    const child = run(process.execPath, [...FLAGS, '-e', GLOBAL_CLIENT, mock.url], { cwd: root, timeout: 20_000 });
    const info = await helloThenFail(await mock.waitForConnection());
    expect(info).toEqual({ code: 1002, reason: '', by: 'server' });
    expect(JSON.parse((await child).stdout)).toEqual([
      { type: 'message', data: 'hello' },
      { type: 'error' },
      { type: 'close', code: 1006, reason: '', wasClean: false },
    ]);
  });

  it('is recorded as 1002 by the server in closeInfo, waitForClose, the close events and stats()', async () => {
    const mock = server.websocket('/fail');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const serverClose = new Promise<CloseInfo>((resolve) => server.once('close', (_conn, info) => resolve(info)));
    const connClose = new Promise<CloseInfo>((resolve) => conn.once('close', resolve));
    const failed = conn.fail();
    expect(conn.isOpen).toBe(false);
    expect(conn.info.status).toBe('closing');
    const expected = { code: 1002, reason: '', by: 'server' };
    expect(await failed).toEqual(expected);
    expect(conn.closeInfo).toEqual(expected);
    expect(await conn.waitForClose()).toEqual(expected);
    expect(await connClose).toEqual(expected);
    expect(await serverClose).toEqual(expected);
    expect(await client.closed).toEqual({ code: 1006, reason: '' });
    expect(server.stats()).toMatchObject({ totalConnections: 1, activeConnections: 0 });
  });

  it('writes the frames sent before it, then a reserved-opcode frame, then shuts the socket; a client that never closes is dropped after closeTimeout', async () => {
    const quiet = await start({ closeTimeout: 300 });
    const mock = quiet.websocket('/fail');
    const port = Number(new URL(quiet.url).port);
    // A client that completes the handshake, then never answers nor closes its side.
    const socket = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen: true });
    socket.write(
      'GET /fail HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    const conn = await mock.waitForConnection();
    void conn.send('hi');
    const started = Date.now();
    const info = await conn.fail();
    await ended;
    const bytes = Buffer.concat(chunks);
    const frames = bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);
    // FIN + text "hi", then FIN + opcode 0x3 (reserved) with no payload; then the server's FIN.
    expect([...frames]).toEqual([0x81, 0x02, 0x68, 0x69, 0x83, 0x00]);
    expect(info).toEqual({ code: 1002, reason: '', by: 'server' });
    // Resolved once the server dropped the socket, closeTimeout after the client said nothing.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    socket.destroy();
  });

  it('works over TLS: the frame goes through the encrypted socket', async () => {
    const secure = await start({ tls: true });
    const mock = secure.websocket('/fail');
    const client = new WebSocket(mock.url, { ca: secure.tls!.ca });
    const seen = record(client as unknown as DomLikeSocket);
    const info = await helloThenFail(await mock.waitForConnection());
    expect(info).toEqual({ code: 1002, reason: '', by: 'server' });
    expect((await seen).map((e) => e.type)).toEqual(['message', 'error', 'close']);
  });

  it('rejects WSMOCK_ERR_CONNECTION_CLOSED on a connection already closing or closed, and sends nothing', async () => {
    const mock = server.websocket('/fail');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const closing = conn.close({ code: 4000, reason: 'bye' });
    await expect(conn.fail()).rejects.toMatchObject({ name: 'WsMockError', code: 'WSMOCK_ERR_CONNECTION_CLOSED', message: `Cannot fail: connection ${conn.id} is closing.` });
    expect(await closing).toEqual({ code: 4000, reason: 'bye', by: 'server' });
    const failed = conn.fail();
    await expect(failed).rejects.toBeInstanceOf(WsMockError);
    await expect(failed).rejects.toThrow(`Cannot fail: connection ${conn.id} is closed (code 4000 "bye").`);
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });
    expect(conn.closeInfo).toEqual({ code: 4000, reason: 'bye', by: 'server' });
  });

  it('rejects WSMOCK_ERR_UNSUPPORTED on a Server-Sent Events stream, which stays open', async () => {
    const feed = server.sse('/feed');
    const client = new SseClient(feed.httpUrl);
    const conn = await feed.waitForConnection();
    await expect(conn.fail()).rejects.toMatchObject({
      code: 'WSMOCK_ERR_UNSUPPORTED',
      message: `Cannot fail connection ${conn.id}: it is a Server-Sent Events stream, which has no frame a client must reject. Use conn.terminate() to drop it.`,
    });
    expect(conn.isOpen).toBe(true);
    await conn.send({ data: 'still here' });
    expect((await client.next()).data).toBe('still here');
  });

  it('a Socket.IO session on a WebSocket fails it: socket.io-client sees a transport error', async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['websocket'] });
    await connected(client);
    const socket = await io.waitForConnection();
    const disconnected = next(client, 'disconnect');
    expect(await socket.connection.fail()).toEqual({ code: 1002, reason: '', by: 'server' });
    expect((await disconnected)[0]).toBe('transport error');
  });

  it('a Socket.IO session on long-polling rejects WSMOCK_ERR_UNSUPPORTED and goes on', async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['polling'] });
    await connected(client);
    const socket = await io.waitForConnection();
    await expect(socket.connection.fail()).rejects.toMatchObject({ code: 'WSMOCK_ERR_UNSUPPORTED', message: expect.stringContaining('a session on HTTP long-polling') });
    expect(socket.connection.isOpen).toBe(true);
    socket.emit('still', 'here');
    expect(await next(client, 'still')).toEqual(['here']);
  });
});
