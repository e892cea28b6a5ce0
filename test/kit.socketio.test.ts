import { describe, expect, it } from 'vitest';
import { ack } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { connected, ioClient, next } from './helpers/socketio.js';

// The Socket.IO kit with the real socket.io-client: transports, the upgrade,
// events and acks both ways, binary attachments.
const server = useMockServer();

describe('transports', () => {
  it('serves io(url) with default options: long-polling first, then the upgrade to WebSocket', async () => {
    const io = server.socketio();
    const client = ioClient(server.url);
    const upgraded = new Promise<string>((resolve) => client.io.engine.once('upgrade', (transport: { name: string }) => resolve(transport.name)));
    await connected(client);
    const socket = await io.waitForConnection();
    expect(socket.id).toBe(client.id);
    expect(socket.namespace).toBe('/');
    expect(await upgraded).toBe('websocket');
    expect(client.io.engine.transport.name).toBe('websocket');
    // The upgrade joined the session: one connection, the same one, all along.
    expect(io.connections).toEqual([socket.connection]);
    expect(server.stats().totalConnections).toBe(1);
    socket.emit('after-upgrade', 1);
    expect(await next(client, 'after-upgrade')).toEqual([1]);
  });

  it('serves transports: ["websocket"], at a path of its own, io(mock.url) with the path option', async () => {
    const io = server.socketio('/rt/');
    expect(io.url).toBe(server.url);
    const client = ioClient(io.url, { path: io.path, transports: ['websocket'] });
    await connected(client);
    const socket = await io.waitForConnection();
    expect(client.io.engine.transport.name).toBe('websocket');
    client.emit('hello', 'ws');
    const { event, args } = await socket.waitForEvent();
    expect({ event, args }).toEqual({ event: 'hello', args: ['ws'] });
  });

  it('serves transports: ["polling"] only, both directions', async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['polling'] });
    await connected(client);
    const socket = await io.waitForConnection();
    expect(client.io.engine.transport.name).toBe('polling');
    client.emit('hello', { via: 'polling' });
    expect((await socket.waitForEvent('hello')).args).toEqual([{ via: 'polling' }]);
    socket.emit('reply', 'a', 2);
    expect(await next(client, 'reply')).toEqual(['a', 2]);
  });
});

describe('events and acks', () => {
  it('hands the test the client events with an ack, and settles the client callback', async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['websocket'] });
    const socket = await io.waitForConnection();
    const answer = client.emitWithAck('add', 2, 3);
    const event = await socket.waitForEvent('add');
    expect(event.args).toEqual([2, 3]);
    expect(event.ackRequested).toBe(true);
    event.ack((event.args[0] as number) + (event.args[1] as number));
    expect(await answer).toBe(5);
  });

  it('waitForEvent returns events that arrived before the call, each once, in order', async () => {
    const io = server.socketio({ events: { sync: { ack: [] } } });
    const client = ioClient(server.url, { transports: ['websocket'] });
    const socket = await io.waitForConnection();
    client.emit('a', 1);
    client.emit('b', 2);
    client.emit('a', 3);
    await client.emitWithAck('sync');
    expect(socket.events.map((e) => e.event)).toEqual(['a', 'b', 'a', 'sync']);
    expect((await socket.waitForEvent('a')).args).toEqual([1]);
    expect((await socket.waitForEvent('a')).args).toEqual([3]);
    expect((await socket.waitForEvent()).event).toBe('b');
  });

  it('emitWithAck resolves with the arguments of the client callback', async () => {
    const io = server.socketio();
    const client = ioClient(server.url);
    client.on('question', (n: number, callback: (...args: unknown[]) => void) => callback(n * 2, 'ok'));
    const socket = await io.waitForConnection();
    expect(await socket.emitWithAck('question', 21)).toEqual([42, 'ok']);
  });

  it('timeout(ms).emitWithAck rejects when the client never acks, naming the event', async () => {
    const io = server.socketio();
    ioClient(server.url, { transports: ['websocket'] });
    const socket = await io.waitForConnection();
    await expect(socket.timeout(50).emitWithAck('ignored')).rejects.toMatchObject({
      code: 'WSMOCK_ERR_TIMEOUT',
      message: expect.stringContaining('the ack of "ignored"'),
    });
  });

  it('rejects an ack wait when the client disconnects', async () => {
    const io = server.socketio();
    const client = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const socket = await io.waitForConnection();
    const pending = socket.emitWithAck('never');
    client.disconnect();
    await expect(pending).rejects.toMatchObject({ code: 'WSMOCK_ERR_CONNECTION_CLOSED' });
    expect(socket.connected).toBe(false);
    expect(socket.disconnectReason).toBe('client namespace disconnect');
    await expect(socket.emit('late')).rejects.toMatchObject({ code: 'WSMOCK_ERR_CONNECTION_CLOSED', message: expect.stringContaining('has disconnected') });
  });

  it('ack() of an event sent without a callback says so', async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['websocket'] });
    const socket = await io.waitForConnection();
    client.emit('fire-and-forget');
    const event = await socket.waitForEvent('fire-and-forget');
    expect(event.ackRequested).toBe(false);
    expect(() => event.ack()).toThrow(/asked for no ack/);
  });

  it('journals the Socket.IO packets on the connection', async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['websocket'] });
    const socket = await io.waitForConnection();
    client.emit('hello', { a: 1 });
    await socket.waitForEvent('hello');
    expect(socket.connection.received.map((m) => m.text)).toEqual(['0', '2["hello",{"a":1}]']);
    expect(socket.connection.messages.find((m) => m.direction === 'out')?.text).toBe(`0{"sid":"${socket.id}"}`);
  });
});

describe('binary attachments', () => {
  for (const transports of [['websocket'], ['polling']]) {
    it(`carries Buffers inside arguments both ways over ${transports[0]}`, async () => {
      const io = server.socketio();
      const client = ioClient(server.url, { transports });
      const socket = await io.waitForConnection();
      client.emit('upload', { name: 'a.bin', bytes: Buffer.from([1, 2, 3]) }, Buffer.from('tail'));
      const { args } = await socket.waitForEvent('upload');
      expect(args).toEqual([{ name: 'a.bin', bytes: Buffer.from([1, 2, 3]) }, Buffer.from('tail')]);
      socket.emit('download', [Buffer.from([9, 8]), { nested: Buffer.from('x') }]);
      const [payload] = (await next(client, 'download')) as [[Buffer, { nested: Buffer }]];
      expect(Buffer.from(payload[0])).toEqual(Buffer.from([9, 8]));
      expect(Buffer.from(payload[1].nested).toString()).toBe('x');
    });
  }

  it('acks with bytes both ways', async () => {
    const io = server.socketio({ events: { echo: (args) => args[0] } });
    const client = ioClient(server.url, { transports: ['websocket'] });
    client.on('sign', (data: Buffer, callback: (signed: Buffer) => void) => callback(Buffer.concat([Buffer.from(data), Buffer.from('!')])));
    const socket = await io.waitForConnection();
    expect(Buffer.from((await client.emitWithAck('echo', Buffer.from('abc'))) as Buffer).toString()).toBe('abc');
    const [signed] = await socket.emitWithAck('sign', Buffer.from('doc'));
    expect(Buffer.from(signed as Buffer).toString()).toBe('doc!');
  });
});

describe('declarative and in-process handlers', () => {
  it('emits and acks as the config says', async () => {
    server.socketio('/socket.io/', { events: { join: { emit: ['joined', { ok: true }] }, ping: { ack: ['pong', 1] } } });
    const client = ioClient(server.url);
    const joined = next(client, 'joined');
    client.emit('join', 'general');
    expect(await joined).toEqual([{ ok: true }]);
    expect(await new Promise((resolve) => client.emit('ping', (...args: unknown[]) => resolve(args)))).toEqual(['pong', 1]);
  });

  it('acks with what a function returns or resolves, and lets it use the socket', async () => {
    server.socketio('/socket.io/', {
      events: {
        join: (args, socket) => {
          socket.join(String(args[0]));
          return { rooms: socket.rooms.slice(1) };
        },
        slow: async (args) => `done ${String(args[0])}`,
      },
    });
    const client = ioClient(server.url, { transports: ['websocket'] });
    expect(await client.emitWithAck('join', 'general')).toEqual({ rooms: ['general'] });
    expect(await client.emitWithAck('slow', 7)).toBe('done 7');
  });

  it('reports a handler that throws as the server error event, and goes on serving', async () => {
    const errors: Error[] = [];
    server.on('error', (error) => errors.push(error));
    server.socketio('/socket.io/', { events: { boom: () => { throw new Error('handler broke'); }, ok: { ack: [true] } } });
    const client = ioClient(server.url, { transports: ['websocket'] });
    client.emit('boom');
    expect(await client.emitWithAck('ok')).toBe(true);
    expect(errors.map((e) => e.message)).toEqual(['handler broke']);
  });
});

describe('issue 22 item 3: a function handler acks with several arguments', () => {
  it('ack(a, b) from a function (sync or async) calls the client callback with a, b; an array stays one argument', async () => {
    server.socketio('/socket.io/', {
      events: {
        divide: ([a, b]) => (b === 0 ? ack('division by zero') : ack(null, (a as number) / (b as number))),
        later: async (args) => ack(...args, 'done'),
        list: () => [1, 2],
        none: () => ack(),
      },
    });
    const client = ioClient(server.url, { transports: ['websocket'] });
    const call = (event: string, ...args: unknown[]) => new Promise<unknown[]>((resolve) => client.emit(event, ...args, (...answer: unknown[]) => resolve(answer)));
    expect(await call('divide', 6, 3)).toEqual([null, 2]);
    expect(await call('divide', 1, 0)).toEqual(['division by zero']);
    expect(await call('later', 'x', 1)).toEqual(['x', 1, 'done']);
    expect(await call('list')).toEqual([[1, 2]]);
    expect(await call('none')).toEqual([]);
  });
});

describe('issue 22 item 6: pushing to one socket returns a promise, fan-out returns the recipient count', () => {
  it('socket.emit resolves once written (attachments included) and rejects, never throws, once disconnected', async () => {
    const io = server.socketio();
    const client = await connected(ioClient(server.url, { transports: ['websocket'] }));
    const socket = await io.waitForConnection();
    const arrived = next(client, 'bytes');
    const sent = socket.emit('bytes', Buffer.from([1, 2]), 'tail');
    expect(sent).toBeInstanceOf(Promise);
    await expect(sent).resolves.toBeUndefined();
    expect((await arrived)[1]).toBe('tail');
    const bad = socket.emit('connect');
    await expect(bad).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' });
    socket.disconnect();
    await expect(socket.emit('late')).rejects.toMatchObject({ code: 'WSMOCK_ERR_CONNECTION_CLOSED' });
  });

  it('io.emit, io.to(room).emit and socket.broadcast.emit return how many sockets they reached, synchronously', async () => {
    const io = server.socketio();
    const [a, b] = [ioClient(server.url, { transports: ['websocket'] }), ioClient(server.url, { transports: ['websocket'] })];
    await Promise.all([connected(a), connected(b)]);
    const first = await io.waitForConnection();
    await io.waitForConnection();
    first.join('vip');
    expect(io.emit('all')).toBe(2);
    expect(io.to('vip').emit('some')).toBe(1);
    expect(first.broadcast.emit('others')).toBe(1);
    expect(io.to('nobody').emit('none')).toBe(0);
  });

  it('socket.disconnect() resolves once written (with close: true, once the session closed); disconnectSockets() returns the count', async () => {
    const io = server.socketio();
    const [a, b, c] = [0, 1, 2].map(() => ioClient(server.url, { transports: ['websocket'] }));
    await Promise.all([a, b, c].map((client) => connected(client!)));
    const [first, second] = [await io.waitForConnection(), await io.waitForConnection(), await io.waitForConnection()];
    const gone = next([a, b, c].find((client) => client!.id === first.id)!, 'disconnect');
    await expect(first.disconnect()).resolves.toBeUndefined();
    expect(first.connected).toBe(false);
    expect((await gone)[0]).toBe('io server disconnect');
    await second.disconnect(true);
    expect(second.connection.closeInfo).toMatchObject({ by: 'server' });
    expect(io.of('/').disconnectSockets()).toBe(1);
    expect(io.of('/').disconnectSockets()).toBe(0);
  });
});

describe('issue 22 item 7: a handler whose answer fails acks the documented error, the server goes on', () => {
  /** A client argument nested 5,000 deep: JSON.parse reads it, JSON.stringify overflows on the way back. */
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;

  for (const kind of ['async', 'sync'] as const) {
    it(`an ${kind} handler acking with a client argument nested 5,000 deep answers { error } to that client only`, async () => {
      const errors: Error[] = [];
      server.on('error', (error) => errors.push(error));
      const io = server.socketio('/socket.io/', {
        events: { echo: kind === 'async' ? async (args) => args[0] : (args) => args[0], ok: { ack: ['fine'] } },
      });
      const bystander = await connected(ioClient(server.url, { transports: ['websocket'] }));
      const raw = await connect(`${server.url}/socket.io/?EIO=4&transport=websocket`);
      await raw.next(); // open
      expect(await raw.ask('40')).toMatch(/^40\{"sid"/);
      expect(await raw.ask(`427["echo",${deep}]`)).toBe('437[{"error":"Maximum call stack size exceeded"}]');
      expect(errors.map((e) => e.message)).toEqual(['Maximum call stack size exceeded']);
      // The process, the session and every other client go on.
      expect(raw.isOpen).toBe(true);
      expect(await bystander.emitWithAck('ok')).toBe('fine');
      expect(io.sockets).toHaveLength(2);
    });
  }

  it('a handler that throws or rejects acks { error: message }; one not asked for an ack only reports', async () => {
    const errors: string[] = [];
    server.on('error', (error) => errors.push(error.message));
    server.socketio('/socket.io/', {
      events: {
        boom: () => {
          throw new Error('handler broke');
        },
        later: async () => {
          throw new Error('async handler broke');
        },
        big: () => 10n,
      },
    });
    const client = ioClient(server.url, { transports: ['websocket'] });
    expect(await client.emitWithAck('boom')).toEqual({ error: 'handler broke' });
    expect(await client.emitWithAck('later')).toEqual({ error: 'async handler broke' });
    expect(await client.emitWithAck('big')).toEqual({ error: expect.stringMatching(/BigInt/) });
    client.emit('boom');
    expect(await client.emitWithAck('later')).toEqual({ error: 'async handler broke' });
    expect(errors).toEqual(['handler broke', 'async handler broke', expect.stringMatching(/BigInt/), 'handler broke', 'async handler broke']);
  });
});
