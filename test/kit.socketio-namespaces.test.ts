import { describe, expect, it } from 'vitest';
import { useMockServer } from './helpers/server.js';
import { connected, ioClient, next } from './helpers/socketio.js';

// Namespaces, the auth payload, refusals, rooms and broadcasts of the
// Socket.IO kit, with the real socket.io-client.
const server = useMockServer();

describe('auth and namespaces', () => {
  it('gives the socket the auth payload of the handshake and keeps per-socket data', async () => {
    const io = server.socketio({ events: { whoami: (_args, socket) => socket.data.user } });
    const client = ioClient(server.url, { auth: { token: 'abc' } });
    const socket = await io.waitForConnection();
    expect(socket.auth).toEqual({ token: 'abc' });
    socket.data.user = 'ada';
    expect(await client.emitWithAck('whoami')).toBe('ada');
  });

  it('serves the namespaces the config lists, one session for several of them', async () => {
    const io = server.socketio({ namespaces: { '/admin': { events: { stats: { ack: [{ users: 2 }] } } } } });
    const main = ioClient(server.url, { transports: ['websocket'] });
    const admin = main.io.socket('/admin', { auth: { role: 'ops' } });
    await Promise.all([connected(main), connected(admin)]);
    const adminSocket = await io.waitForConnection({ namespace: '/admin' });
    const mainSocket = await io.waitForConnection();
    expect(adminSocket.namespace).toBe('/admin');
    expect(adminSocket.auth).toEqual({ role: 'ops' });
    expect(adminSocket.id).toBe(admin.id);
    expect(adminSocket.connection).toBe(mainSocket.connection);
    expect(await admin.emitWithAck('stats')).toEqual({ users: 2 });
    io.of('/admin').emit('alert', 'disk');
    expect(await next(admin, 'alert')).toEqual(['disk']);
    expect(io.of('/admin').sockets).toEqual([adminSocket]);
    admin.disconnect();
    await expect.poll(() => adminSocket.connected).toBe(false);
    expect(adminSocket.disconnectReason).toBe('client namespace disconnect');
    expect(mainSocket.connected).toBe(true);
  });

  it('answers a namespace the config does not list with connect_error "Invalid namespace"', async () => {
    server.socketio();
    const client = ioClient(`${server.url}/nowhere`);
    await expect(connected(client)).rejects.toMatchObject({ message: 'Invalid namespace' });
  });

  it('refuses a namespace declaratively with message and data', async () => {
    server.socketio({ namespaces: { '/admin': { refuse: { message: 'admins only', data: { code: 403 } } } } });
    const client = ioClient(`${server.url}/admin`);
    await expect(connected(client)).rejects.toMatchObject({ message: 'admins only', data: { code: 403 } });
  });

  it('decides per socket with a connect hook: refusal, thrown error with data, async accept', async () => {
    const io = server.socketio({
      connect: async (socket) => {
        if (socket.auth.token === 'good') return true;
        if (socket.auth.token === 'expired') throw Object.assign(new Error('token expired'), { data: { retry: false } });
        return false;
      },
    });
    await expect(connected(ioClient(server.url, { auth: { token: 'bad' } }))).rejects.toMatchObject({ message: 'Not authorized' });
    await expect(connected(ioClient(server.url, { auth: { token: 'expired' } }))).rejects.toMatchObject({
      message: 'token expired',
      data: { retry: false },
    });
    await connected(ioClient(server.url, { auth: { token: 'good' } }));
    expect((await io.waitForConnection()).auth).toEqual({ token: 'good' });
    expect(io.sockets).toHaveLength(1);
  });

  it('holds the packets that follow a CONNECT while an async hook decides', async () => {
    let release!: () => void;
    const io = server.socketio({ connect: () => new Promise<true>((resolve) => (release = () => resolve(true))) });
    const client = ioClient(server.url, { transports: ['websocket'] });
    client.emit('early', 1);
    await expect.poll(() => release).toBeTypeOf('function');
    release();
    const socket = await io.waitForConnection();
    expect((await socket.waitForEvent('early')).args).toEqual([1]);
  });

  it('validates namespaces and event names where they are used', async () => {
    const io = server.socketio();
    expect(() => io.of('admin')).toThrow(/namespace must start with "\/"/);
    expect(() => io.emit('disconnect')).toThrow(/"disconnect" is a reserved event name/);
    ioClient(server.url);
    const socket = await io.waitForConnection();
    await expect(socket.emit('connect')).rejects.toThrow(/reserved event name/);
    await expect(socket.emitWithAck('')).rejects.toThrow(/non-empty string/);
    expect(() => server.socketio('/other', { namespaces: { admin: {} } })).toThrow(/namespaces\.admin/);
  });
});

describe('rooms and broadcasts', () => {
  async function three() {
    const io = server.socketio();
    const clients = [ioClient(server.url), ioClient(server.url), ioClient(server.url)];
    await Promise.all(clients.map(connected));
    const sockets = await Promise.all(clients.map(() => io.waitForConnection()));
    // waitForConnection returns sockets in arrival order: match them to clients by id.
    const byClient = clients.map((c) => sockets.find((s) => s.id === c.id)!);
    return { io, clients, sockets: byClient };
  }

  it('emits to all, to a room, and to all but a room', async () => {
    const { io, clients, sockets } = await three();
    sockets[0]!.join('red');
    sockets[1]!.join(['red', 'blue']);
    expect(sockets[1]!.rooms).toEqual([sockets[1]!.id, 'red', 'blue']);
    const got = clients.map((c) => {
      const events: unknown[][] = [];
      c.onAny((...args: unknown[]) => events.push(args));
      return events;
    });
    expect(io.emit('all', 1)).toBe(3);
    expect(io.to('red').emit('red-only', 2)).toBe(2);
    expect(io.except('red').emit('not-red', 3)).toBe(1);
    expect(io.to('red').except('blue').emit('red-not-blue', 4)).toBe(1);
    sockets[1]!.leave('red');
    expect(io.to('red').emit('after-leave', 5)).toBe(1);
    // A final event to each client: when it arrives, everything before it has.
    await Promise.all(clients.map((c) => new Promise((resolve) => c.once('end', resolve))).concat([Promise.resolve(io.emit('end'))]));
    expect(got).toEqual([
      [['all', 1], ['red-only', 2], ['red-not-blue', 4], ['after-leave', 5], ['end']],
      [['all', 1], ['red-only', 2], ['end']],
      [['all', 1], ['not-red', 3], ['end']],
    ]);
  });

  it('socket.to(room) and socket.broadcast leave the sender out', async () => {
    const { clients, sockets } = await three();
    for (const socket of sockets) socket.join('room');
    const heard = clients.map((c) => next(c, 'news'));
    expect(sockets[0]!.to('room').emit('news', 'a')).toBe(2);
    expect(await Promise.all(heard.slice(1))).toEqual([['a'], ['a']]);
    const again = next(clients[0]!, 'hello');
    expect(sockets[1]!.broadcast.emit('hello')).toBe(2);
    expect(await again).toEqual([]);
  });

  it('disconnect() ends one namespace socket ("io server disconnect"); disconnect(true) the session', async () => {
    const { io, clients, sockets } = await three();
    const reason = next(clients[0]!, 'disconnect');
    sockets[0]!.disconnect();
    expect(await reason).toEqual(['io server disconnect', undefined]);
    expect(sockets[0]!.connected).toBe(false);
    expect(io.sockets).toHaveLength(2);
    const closed = sockets[1]!.connection.waitForClose();
    sockets[1]!.disconnect(true);
    await closed;
    expect(io.emit('left')).toBe(1);
  });
});
