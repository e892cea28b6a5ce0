import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createMockServer, WsMockError } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

describe('Connection.send', () => {
  it('sends objects as JSON text, strings as text and bytes as binary', async () => {
    const mock = server.websocket({ path: '/push', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await conn.send({ type: 'price', value: 1 });
    await conn.send('plain');
    await conn.send(Buffer.from([0xde, 0xad]));
    await conn.send(new Uint8Array([1, 2]));
    await conn.send(new Uint8Array([3, 4]).buffer);
    await conn.send('as bytes', { binary: true });
    expect(await client.frame()).toMatchObject({ binary: false, text: '{"type":"price","value":1}' });
    expect(await client.frame()).toMatchObject({ binary: false, text: 'plain' });
    expect(await client.frame()).toMatchObject({ binary: true, data: Buffer.from([0xde, 0xad]) });
    expect(await client.frame()).toMatchObject({ binary: true, data: Buffer.from([1, 2]) });
    expect(await client.frame()).toMatchObject({ binary: true, data: Buffer.from([3, 4]) });
    expect(await client.frame()).toMatchObject({ binary: true, data: Buffer.from('as bytes') });
    const out = conn.messages.filter((m) => m.direction === 'out');
    expect(out.map((m) => m.binary)).toEqual([false, false, true, true, true, true]);
    expect(out[0]!.json).toEqual({ type: 'price', value: 1 });
    expect(out[0]!.size).toBe(26);
  });

  it('rejects WSMOCK_ERR_CONNECTION_CLOSED on a closed connection, without throwing synchronously', async () => {
    const mock = server.websocket('/c');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.close();
    await conn.waitForClose();
    let promise: Promise<void> | undefined;
    expect(() => (promise = conn.send('late'))).not.toThrow();
    const error = (await promise!.catch((e) => e)) as WsMockError;
    expect(error).toBeInstanceOf(WsMockError);
    expect(error.code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    expect(error.message).toBe(`Cannot send: connection ${conn.id} is closed (code 1000).`);
  });

  it('rejects a value that cannot be sent with WSMOCK_ERR_INVALID_ARGUMENT', async () => {
    const mock = server.websocket('/c');
    await connect(mock.url);
    const conn = await mock.waitForConnection();
    await expect(conn.send(undefined as never)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' });
  });
});

describe('Connection.close and terminate', () => {
  it('closes with the given code and reason and resolves when done', async () => {
    const mock = server.websocket('/c');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(await conn.close({ code: 4000, reason: 'bye' })).toEqual({ code: 4000, reason: 'bye', by: 'server' });
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });
    expect(conn.info.status).toBe('closed');
    expect(conn.readyState).toBe(3);
    expect(await conn.waitForClose()).toEqual({ code: 4000, reason: 'bye', by: 'server' });
  });

  it('defaults to 1000 and is safe to call twice', async () => {
    const mock = server.websocket('/c');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const [a, b] = await Promise.all([conn.close(), conn.close()]);
    expect(a).toEqual({ code: 1000, reason: '', by: 'server' });
    expect(b).toBe(a);
    expect((await client.closed).code).toBe(1000);
  });

  it('rejects close codes that may not go on the wire', async () => {
    const mock = server.websocket('/c');
    await connect(mock.url);
    const conn = await mock.waitForConnection();
    await expect(conn.close({ code: 1006 })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' });
    await expect(conn.close({ code: 4000, reason: 'x'.repeat(124) })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' });
    expect(conn.isOpen).toBe(true);
  });

  it('terminate() drops the socket without a close frame', async () => {
    const mock = server.websocket('/c');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    conn.terminate();
    expect((await client.closed).code).toBe(1006);
    expect(await conn.waitForClose()).toEqual({ code: 1006, reason: '', by: 'server' });
  });

  it('drops a client that never answers the close frame after closeTimeout', async () => {
    const own = await createMockServer({ closeTimeout: 50 });
    const mock = own.websocket('/stubborn');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    // Stop reading: the close frame is never answered. The close is still the
    // one the server started, with the code it sent.
    (client.ws as unknown as { _socket: net.Socket })._socket.pause();
    expect(await conn.close()).toEqual({ code: 1000, reason: '', by: 'server' });
    await own.close();
    client.ws.terminate();
  });
});

describe('Connection info', () => {
  it('exposes the upgrade request and the ConnectionInfo snapshot', async () => {
    const mock = server.websocket({ id: 'rooms', path: '/rooms/:room', subprotocols: ['chat.v1'] });
    const client = await connect(`${server.url}/rooms/blue?token=abc`, { protocols: ['chat.v1'] });
    const conn = await mock.waitForConnection();
    client.send('hi');
    await conn.waitForMessage();
    expect(conn.id).toMatch(/^conn-\d+$/);
    expect(conn.headers['sec-websocket-protocol']).toBe('chat.v1');
    expect(conn.info).toEqual({
      id: conn.id,
      type: 'websocket',
      mockId: 'rooms',
      path: '/rooms/:room',
      url: '/rooms/blue?token=abc',
      clientIp: '127.0.0.1',
      userAgent: '',
      subprotocol: 'chat.v1',
      connectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastMessageAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      messagesSent: 1,
      messagesRecv: 1,
      bytesSent: 2,
      bytesRecv: 2,
      status: 'connected',
      scenario: null,
      rooms: [],
      afterReset: false,
    });
    expect(server.connections.list()).toEqual([conn.info]);
    expect(server.connections.list({ mockId: 'other' })).toEqual([]);
    expect(server.connections.list({ path: '/rooms/blue' })).toHaveLength(1);
  });

  it('an idle connection reports no traffic yet; params and query it has none of are one frozen empty object, and read-only', async () => {
    const mock = server.websocket({ path: '/idle', echoMode: false });
    await connect(mock.url, { headers: { 'user-agent': 'probe/1.0' } });
    await connect(`${mock.url}?token=abc&token=xyz`);
    const [plain, queried] = [await mock.waitForConnection(), await mock.waitForConnection()];
    expect(plain.info).toMatchObject({ userAgent: 'probe/1.0', lastMessageAt: null, messagesSent: 0, messagesRecv: 0, bytesSent: 0, bytesRecv: 0 });
    expect(plain.params).toEqual({});
    expect(plain.query).toEqual({});
    expect(plain.params).toBe(queried.params);
    expect(plain.query).toBe(plain.params);
    expect(Object.isFrozen(plain.query)).toBe(true);
    expect(() => {
      (plain.query as Record<string, string>).token = 'x';
    }).toThrow(TypeError);
    expect(queried.query).toEqual({ token: 'xyz' });
    expect(queried.info.userAgent).toBe('');
    expect(Object.keys(plain)).toEqual(expect.arrayContaining(['params', 'query']));
  });

  it('emits message, sent and close events on the connection and the server', async () => {
    const mock = server.websocket('/e');
    const events: string[] = [];
    server.on('message', (c, m) => events.push(`server message ${m.text}`));
    server.on('sent', (c, m) => events.push(`server sent ${m.text}`));
    server.on('close', (c, info) => events.push(`server close ${info.code}`));
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    conn.on('message', (m) => events.push(`conn message ${m.text}`));
    conn.on('close', (info) => events.push(`conn close ${info.code}`));
    client.send('ping');
    expect(await client.next()).toBe('ping');
    await client.close(4100);
    await conn.waitForClose();
    server.removeAllListeners();
    expect(events).toEqual([
      'server message ping',
      'conn message ping',
      'server sent ping',
      'server close 4100',
      'conn close 4100',
    ]);
  });
});

describe('garbage from a client affects only that connection', () => {
  it('closes on invalid UTF-8 with 1007 and keeps serving the others', async () => {
    const mock = server.websocket('/g');
    const bad = await connect(mock.url);
    const good = await connect(mock.url);
    // A text frame whose payload is not UTF-8.
    (bad.ws as unknown as { _socket: net.Socket })._socket.write(
      Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xc3, 0x28]),
    );
    expect((await bad.closed).code).toBe(1007);
    good.send('fine');
    expect(await good.next()).toBe('fine');
    expect(server.stats().activeConnections).toBe(1);
  });

  it('survives a TCP reset in the middle of a frame', async () => {
    const mock = server.websocket('/g');
    const good = await connect(mock.url);
    const bad = await connect(mock.url);
    await vi.waitFor(() => expect(mock.connections).toHaveLength(2));
    const socket = (bad.ws as unknown as { _socket: net.Socket })._socket;
    // Header of a masked 100-byte text frame, then half of the payload, then RST.
    socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | 100, 1, 2, 3, 4]), Buffer.alloc(50)]));
    socket.resetAndDestroy();
    await vi.waitFor(() => expect(mock.connections).toHaveLength(1));
    good.send('after reset');
    expect(await good.next()).toBe('after reset');
    expect(server.stats()).toMatchObject({ totalConnections: 2, activeConnections: 1, totalMessagesRecv: 1 });
  });

  it('survives a client that drops mid-handshake', async () => {
    const mock = server.websocket('/g');
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /g HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`);
    socket.resetAndDestroy();
    const client = await connect(mock.url);
    client.send('ok');
    expect(await client.next()).toBe('ok');
  });
});
