import { describe, expect, it } from 'vitest';
import { useMockServer } from './helpers/server.js';
import { connected, ioClient, next } from './helpers/socketio.js';

// issue 22 item 3: connection state recovery (`connectionStateRecovery`, as
// the real server's), with socket.io-client: the server drops the transport,
// the client reconnects and gets its socket back with what it missed.
const server = useMockServer();

/** A socket.io-client that reconnects at once. */
const reconnecting = () => ioClient(server.url, { transports: ['websocket'], reconnection: true, reconnectionDelay: 10, reconnectionDelayMax: 20 });

describe('issue 22 item 3: connectionStateRecovery', () => {
  it('recovers a client whose transport dropped: the same id, rooms and data, the events it missed, recovered on both sides', async () => {
    const io = server.socketio({ connectionStateRecovery: { maxDisconnectionDuration: '1m' } });
    const client = await connected(reconnecting());
    expect(client.recovered).toBe(false);
    const socket = await io.waitForConnection();
    expect(socket.recovered).toBe(false);
    // The CONNECT carries a pid; each event an offset as its last argument (the client keeps the latest).
    const connect = socket.connection.messages.find((m) => m.direction === 'out' && m.text?.startsWith('0'))!;
    expect(JSON.parse(connect.text!.slice(1))).toEqual({ sid: socket.id, pid: expect.any(String) });
    const tick = next(client, 'tick');
    await socket.emit('tick', 1);
    expect(await tick).toEqual([1, expect.any(String)]);
    socket.join('room-a');
    socket.data.name = 'ada';

    const missed: unknown[][] = [];
    client.on('missed', (...args: unknown[]) => missed.push(args));
    const reconnected = next(client, 'connect');
    socket.connection.terminate();
    await socket.connection.waitForClose();
    expect(io.emit('missed', 'to all')).toBe(0);
    io.to('room-a').emit('missed', 'to room-a');
    io.to('room-b').emit('missed', 'to room-b');
    await reconnected;

    expect(client.recovered).toBe(true);
    const again = await io.waitForConnection();
    expect(again.recovered).toBe(true);
    expect(again.id).toBe(socket.id);
    expect(client.id).toBe(socket.id);
    expect(again.rooms).toEqual([socket.id, 'room-a']);
    expect(again.data).toEqual({ name: 'ada' });
    // Delivered before `connect` fired, in order, each with its offset; not the one for another room.
    expect(missed).toEqual([
      ['to all', expect.any(String)],
      ['to room-a', expect.any(String)],
    ]);
    // And the recovered socket goes on as any other.
    const after = next(client, 'after');
    await again.emit('after', 2);
    expect((await after)[0]).toBe(2);
  });

  it('does not recover a client back after maxDisconnectionDuration, nor one that disconnected on purpose', async () => {
    const io = server.socketio({ connectionStateRecovery: { maxDisconnectionDuration: 1 } });
    const client = await connected(reconnecting());
    const socket = await io.waitForConnection();
    const tick = next(client, 'tick');
    await socket.emit('tick');
    await tick; // the client has an offset to come back with
    const reconnected = next(client, 'connect');
    socket.connection.terminate();
    // The client's reconnection delay (10 ms or more) is past the 1 ms window.
    await reconnected;
    expect(client.recovered).toBe(false);
    const fresh = await io.waitForConnection();
    expect(fresh.recovered).toBe(false);
    expect(fresh.id).not.toBe(socket.id);

    const patient = server.socketio('/patient/', { connectionStateRecovery: {} });
    const leaving = await connected(ioClient(server.url, { path: '/patient/', transports: ['websocket'] }));
    const first = await patient.waitForConnection();
    const ticked = next(leaving, 'tick');
    await first.emit('tick');
    await ticked;
    leaving.disconnect();
    leaving.connect();
    await connected(leaving);
    expect(leaving.recovered).toBe(false);
    expect((await patient.waitForConnection()).recovered).toBe(false);
  });

  for (const skipMiddlewares of [true, false]) {
    it(`a recovered socket ${skipMiddlewares ? 'skips' : 'runs'} the connect hook with skipMiddlewares: ${skipMiddlewares}`, async () => {
      const hooked: string[] = [];
      const io = server.socketio({
        connectionStateRecovery: { skipMiddlewares },
        connect: (socket) => {
          hooked.push(socket.id);
        },
      });
      const client = await connected(reconnecting());
      const socket = await io.waitForConnection();
      const tick = next(client, 'tick');
      await socket.emit('tick');
      await tick;
      const reconnected = next(client, 'connect');
      socket.connection.terminate();
      await reconnected;
      expect(client.recovered).toBe(true);
      expect(hooked).toEqual(skipMiddlewares ? [socket.id] : [socket.id, socket.id]);
    });
  }

  it('is off by default: no pid, no offsets', async () => {
    const io = server.socketio();
    const client = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const socket = await io.waitForConnection();
    const tick = next(client, 'tick');
    await socket.emit('tick', 1);
    expect(await tick).toEqual([1]);
    expect(socket.connection.messages.map((m) => m.text)).toContain(`0{"sid":"${socket.id}"}`);
  });

  it('is in the envelope and validated', () => {
    const io = server.socketio({ id: 'rec', connectionStateRecovery: { maxDisconnectionDuration: '30s', skipMiddlewares: false } });
    expect(io.toJSON()).toMatchObject({ socketio: { connectionStateRecovery: { maxDisconnectionDuration: '30s', skipMiddlewares: false } } });
    expect(() => server.socketio('/bad/', { connectionStateRecovery: { maxDisconnectionDuration: 'soon' } } as never)).toThrow(/connectionStateRecovery\.maxDisconnectionDuration/);
  });
});
