import { describe, expect, it } from 'vitest';
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
    socket.emit('after-upgrade', 1);
    expect(await next(client, 'after-upgrade')).toEqual([1]);
  });

  it('serves transports: ["websocket"]', async () => {
    const io = server.socketio();
    const client = ioClient(server.url, { transports: ['websocket'] });
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
