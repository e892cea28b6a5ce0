import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMockServer, parseConfig, SocketIoMock, WsMockError, type SocketIoEnvelope } from '../src/index.js';
import { adminClient } from './helpers/admin.js';
import { useMockServer } from './helpers/server.js';
import { connected, ioClient, next } from './helpers/socketio.js';

// The Socket.IO kit's lifecycle: heartbeat, mock changes and reconnects,
// reset/remove/close, config files and the admin API, and bad input.
const server = useMockServer({ admin: true });
const http = () => server.url.replace(/^ws/, 'http');

/** A raw WebSocket to the Engine.IO endpoint, with the frames it receives. */
async function rawWs(path = '/socket.io/?EIO=4&transport=websocket') {
  const ws = new WebSocket(`${server.url}${path}`);
  const frames: string[] = [];
  const waiting: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(data.toString());
    for (const wake of waiting.splice(0)) wake();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  /** Resolves with the first frame from `from` on that `test` accepts. */
  const frame = async (test: (f: string) => boolean, from = 0): Promise<string> => {
    for (;;) {
      const found = frames.slice(from).find(test);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return { ws, frames, frame, closed };
}

describe('heartbeat', () => {
  for (const transports of [['polling', 'websocket'], ['polling']]) {
    it(`pings on pingInterval; a client that answers stays connected over several intervals (${transports.join(' then ')})`, async () => {
      const io = server.socketio({ pingInterval: 30, pingTimeout: 200 });
      const client = await connected(ioClient(server.url, { transports }));
      const socket = await io.waitForConnection();
      let pings = 0;
      await new Promise<void>((resolve) =>
        client.io.engine.on('ping', () => {
          if (++pings === 4) resolve();
        }),
      );
      expect(client.connected).toBe(true);
      expect(socket.connected).toBe(true);
      expect(socket.connection.isOpen).toBe(true);
    });
  }

  it('drops a long-polling client that stops polling (its pong never comes)', async () => {
    const io = server.socketio({ pingInterval: 20, pingTimeout: 40 });
    const res = await fetch(`${http()}/socket.io/?EIO=4&transport=polling`);
    const { sid } = JSON.parse((await res.text()).slice(1)) as { sid: string };
    const [conn] = io.connections;
    expect(await conn!.waitForClose()).toEqual({ code: 1006, reason: 'ping timeout', by: 'network' });
    const late = await fetch(`${http()}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(await late.json()).toEqual({ code: 1, message: 'Session ID unknown' });
  });

  it('announces the real server defaults in the open packet', async () => {
    server.socketio();
    const { frame } = await rawWs();
    const open = JSON.parse((await frame((f) => f.startsWith('0'))).slice(1));
    expect(open).toEqual({ sid: expect.any(String), upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 });
  });

  it('drops a client that stops answering pings after pingTimeout, with a close frame as engine.io (issue 22 item 3)', async () => {
    const io = server.socketio({ pingInterval: 20, pingTimeout: 40 });
    const other = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const { frame, closed } = await rawWs();
    await frame((f) => f.startsWith('0'));
    const conn = io.connections.find((c) => !c.received.length)!;
    await frame((f) => f === '2');
    // engine.io closes the WebSocket with a close frame without a code: 1005, not 1006.
    expect(await closed).toBe(1005);
    expect(await conn.waitForClose()).toEqual({ code: 1006, reason: 'ping timeout', by: 'network' });
    // The socket.io-client next to it answers its pings and stays.
    expect(other.connected).toBe(true);
  });

  it('closes a session that joins no namespace within connectTimeout', async () => {
    const io = server.socketio({ connectTimeout: 30 });
    const { frame, closed } = await rawWs();
    await frame((f) => f.startsWith('0'));
    const [conn] = io.connections;
    expect(await closed).toBe(1000);
    expect(await conn!.waitForClose()).toMatchObject({ code: 1000, reason: 'connect timeout', by: 'server' });
  });
});

describe('mock changes and the server lifecycle', () => {
  for (const transports of [['websocket'], ['polling']]) {
    it(`update() closes ${transports[0]} clients with 1012 and they reconnect to the new behaviour`, async () => {
      const io = server.socketio({ events: { version: { ack: [1] } } });
      const client = ioClient(server.url, { transports, reconnection: true, reconnectionDelay: 10, reconnectionDelayMax: 20 });
      await connected(client);
      const first = await io.waitForConnection();
      expect(await client.emitWithAck('version')).toBe(1);
      const reconnected = next(client, 'connect');
      expect(await io.update({ events: { version: { ack: [2] } } })).toBe(1);
      expect(first.connection.closeInfo).toMatchObject({ code: 1012, reason: 'mock updated', by: 'server' });
      expect(first.disconnectReason).toBe('transport close');
      await reconnected;
      const second = await io.waitForConnection();
      expect(second.id).toBe(client.id);
      expect(await client.emitWithAck('version')).toBe(2);
    });
  }

  it('reset() and remove() close every session and leave no socket, session or wait behind', async () => {
    const io = server.socketio();
    const polling = await connected(ioClient(server.url, { transports: ['polling'] }));
    await connected(ioClient(server.url, { transports: ['websocket'] }));
    const sid = polling.io.engine.id;
    const pendingWait = io.waitForConnection({ namespace: '/admin' }).catch((err: unknown) => err);
    const disconnected = next(polling, 'disconnect');
    await io.remove();
    expect(await pendingWait).toMatchObject({ code: 'WSMOCK_ERR_MOCK_NOT_FOUND' });
    expect(await disconnected).toEqual(['transport close', expect.anything()]);
    expect(io.sockets).toEqual([]);
    expect(server.connections.list()).toEqual([]);
    const res = await fetch(`${http()}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(res.status).toBe(404);

    const again = server.socketio();
    await connected(ioClient(server.url));
    await again.waitForConnection();
    await server.reset();
    expect(server.connections.list()).toEqual([]);
    expect(again.sockets).toEqual([]);
  });

  it('close() ends polling and WebSocket sessions and the server stops', async () => {
    const own = await createMockServer();
    const io = own.socketio();
    const clients = [ioClient(own.url, { transports: ['polling'] }), ioClient(own.url, { transports: ['websocket'] })];
    await Promise.all(clients.map(connected));
    await io.waitForConnection();
    await io.waitForConnection();
    const gone = clients.map((c) => next(c, 'disconnect'));
    await own.close();
    // The polling client may have its next GET in flight when the server stops
    // listening: it hears of the close as a failed poll instead of the close packet.
    const [polling, websocket] = await Promise.all(gone);
    expect(['transport close', 'transport error']).toContain(polling![0]);
    expect(websocket![0]).toBe('transport close');
    expect(own.connections.list()).toEqual([]);
  });

  it('lets a page of another origin poll (CORS), preflight included', async () => {
    server.socketio();
    const origin = 'http://localhost:5173';
    const handshake = await fetch(`${http()}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    expect(handshake.headers.get('access-control-allow-origin')).toBe(origin);
    expect(handshake.headers.get('access-control-allow-credentials')).toBe('true');
    const preflight = await fetch(`${http()}/socket.io/?EIO=4&transport=polling`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('a disabled mock answers polling with 503', async () => {
    const io = server.socketio();
    await io.disable();
    const res = await fetch(`${http()}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(503);
  });
});

describe('config files and the admin API', () => {
  const envelope: SocketIoEnvelope = {
    id: 'chat',
    type: 'socketio',
    socketio: {
      path: '/socket.io/',
      pingInterval: '10s',
      events: { join: { emit: ['joined', { ok: true }] }, ping: { ack: ['pong'] } },
      namespaces: { '/admin': { refuse: { message: 'admins only', data: { reason: 'config' } } } },
    },
  };

  it('defines a mock from a config file envelope (type: socketio)', async () => {
    const loaded = parseConfig(
      [
        'version: "1.0"',
        'mocks:',
        '  - id: chat',
        '    type: socketio',
        '    socketio:',
        '      path: /socket.io/',
        '      events:',
        '        ping: { ack: [pong] }',
      ].join('\n'),
      'mocks.yaml',
    );

    const mock = server.mocks.define(loaded.mocks[0]!);
    expect(mock).toBeInstanceOf(SocketIoMock);
    expect(mock.type).toBe('socketio');
    const client = ioClient(server.url);
    expect(await client.emitWithAck('ping')).toBe('pong');
  });

  it('creates, reads and replaces a Socket.IO mock over the admin API', async () => {
    const api = adminClient(server.adminUrl!);
    const created = await api.post('/mocks', envelope);
    expect(created.status).toBe(201);
    const read = await api.get('/mocks/chat');
    expect(read.body).toMatchObject({ id: 'chat', type: 'socketio', enabled: true, socketio: envelope.socketio });
    const client = ioClient(server.url);
    expect(await client.emitWithAck('ping')).toBe('pong');
    await expect(connected(ioClient(`${server.url}/admin`))).rejects.toMatchObject({ message: 'admins only', data: { reason: 'config' } });
    const bad = await api.put('/mocks/chat', { ...envelope, socketio: { path: '/socket.io/', pingTimeout: 'soon' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('socketio.pingTimeout');
  });

  it('writes in-process functions out of the envelope', () => {
    const io = server.socketio({
      id: 'mixed',
      connect: () => true,
      events: { fn: () => 1, join: { emit: ['joined'] } },
      namespaces: { '/admin': { connect: () => false, events: { x: () => 2 } } },
    });
    expect(io.toJSON()).toEqual({
      id: 'mixed',
      type: 'socketio',
      enabled: true,
      socketio: { path: '/socket.io/', events: { join: { emit: ['joined'] } }, namespaces: { '/admin': { events: {} } } },
    });
  });

  it('refuses invalid options with WSMOCK_ERR_INVALID_CONFIG naming each field', () => {
    const error = (() => {
      try {
        server.socketio({ pingInterval: -1, pingTimeout: 'later', maxPayload: 0, events: { join: { emit: [] } } } as never);
      } catch (err) {
        return err as WsMockError;
      }
      throw new Error('no error');
    })();
    expect(error.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(error.issues!.map((i) => i.path).sort()).toEqual(['events.join.emit[0]', 'maxPayload', 'pingInterval', 'pingTimeout']);
  });
});

describe('bad input', () => {
  it('answers bad Engine.IO requests as the real server does', async () => {
    server.socketio();
    const get = async (query: string, method = 'GET') => {
      const res = await fetch(`${http()}/socket.io/?${query}`, { method, ...(method === 'POST' ? { body: '40' } : {}) });
      return { status: res.status, body: await res.json() };
    };
    expect(await get('EIO=4&transport=polling&sid=nope')).toEqual({ status: 400, body: { code: 1, message: 'Session ID unknown' } });
    expect(await get('EIO=4&transport=carrier-pigeon')).toEqual({ status: 400, body: { code: 0, message: 'Transport unknown' } });
    expect(await get('EIO=4&transport=polling', 'POST')).toEqual({ status: 400, body: { code: 2, message: 'Bad handshake method' } });
    expect(await get('EIO=3&transport=polling')).toEqual({ status: 400, body: { code: 5, message: 'Unsupported protocol version' } });
    const upgrade = new WebSocket(`${server.url}/socket.io/?EIO=4&transport=websocket&sid=nope`);
    const refused = await new Promise<number>((resolve) => upgrade.once('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(refused).toBe(400);
  });

  it('closes a session that sends a bad Engine.IO packet; the others are undisturbed', async () => {
    const io = server.socketio();
    const bystander = await connected(ioClient(server.url));
    const { ws, frame, closed } = await rawWs();
    await frame((f) => f.startsWith('0'));
    ws.send('9nonsense');
    expect(await closed).toBe(1002);
    expect(bystander.connected).toBe(true);
    const socket = io.sockets[0]!;
    socket.emit('still-here');
    expect(await next(bystander, 'still-here')).toEqual([]);
  });

  it('closes a session whose Socket.IO packet does not parse, after it connected', async () => {
    const io = server.socketio();
    const bystander = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const { ws, frame, closed } = await rawWs();
    await frame((f) => f.startsWith('0'));
    ws.send('40');
    await frame((f) => f.startsWith('40{"sid"'));
    const socket = io.sockets.find((s) => s.id !== bystander.id)!;
    ws.send('42["unterminated"');
    expect(await closed).toBe(1002);
    expect(await socket.connection.waitForClose()).toMatchObject({ code: 1002, reason: 'parse error: invalid payload', by: 'server' });
    expect(socket.disconnectReason).toBe('transport close');
    io.emit('after', 1);
    expect(await next(bystander, 'after')).toEqual([1]);
  });

  it('closes a polling session whose body does not parse, and one that posts too much', async () => {
    server.socketio({ maxPayload: 100 });
    const open = async () => {
      const res = await fetch(`${http()}/socket.io/?EIO=4&transport=polling`);
      return (JSON.parse((await res.text()).slice(1)) as { sid: string }).sid;
    };
    const post = (sid: string, body: string) => fetch(`${http()}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body });
    const broken = await open();
    expect((await post(broken, '9what')).status).toBe(200);
    expect((await fetch(`${http()}/socket.io/?EIO=4&transport=polling&sid=${broken}`)).status).toBe(400);
    const greedy = await open();
    expect((await post(greedy, `4${'x'.repeat(200)}`)).status).toBe(413);
    expect((await fetch(`${http()}/socket.io/?EIO=4&transport=polling&sid=${greedy}`)).status).toBe(400);
  });
});

describe('issue 22 item 8: a polling POST aborted mid-body', () => {
  it('ends the session as "transport error" (as engine.io), not 1002 "payload too large"', async () => {
    const io = server.socketio();
    const res = await fetch(`${http()}/socket.io/?EIO=4&transport=polling`);
    const { sid } = JSON.parse((await res.text()).slice(1)) as { sid: string };
    const [conn] = io.connections;
    // Announces 100 bytes, sends 10, then drops the connection.
    const req = httpRequest(`${http()}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'text/plain', 'content-length': '100' },
    });
    req.on('error', () => {});
    req.write('4partial..', () => req.destroy());
    expect(await conn!.waitForClose()).toEqual({ code: 1006, reason: 'transport error', by: 'network' });
  });
});
