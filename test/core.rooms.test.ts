import { beforeAll, describe, expect, it } from 'vitest';
import { adminClient } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

// Rooms for every WebSocket mock: join, leave, broadcast to a room, filter by
// room, in-process and over the admin API.
const server = useMockServer({ admin: true });
let api: ReturnType<typeof adminClient>;
beforeAll(() => {
  api = adminClient(server.adminUrl!);
});

/** A chat mock whose clients join the room they name: `{"type":"join","room":"x"}`. */
function chat(id = 'chat') {
  return server.websocket({
    id,
    path: `/${id}`,
    matchers: [
      {
        match: { type: 'json', path: '$.type', value: 'join' },
        respond: (message, conn) => {
          conn.join((message.json as { room: string }).room);
          return { type: 'joined', rooms: conn.rooms };
        },
      },
      {
        match: { type: 'json', path: '$.type', value: 'leave' },
        respond: (message, conn) => {
          conn.leave((message.json as { room: string }).room);
          return { type: 'left', rooms: conn.rooms };
        },
      },
    ],
  });
}

async function member(mock: ReturnType<typeof chat>, ...rooms: string[]) {
  const client = await connect(mock.url);
  const conn = await mock.waitForConnection();
  for (const room of rooms) {
    client.send({ type: 'join', room });
    expect(await client.nextJson()).toMatchObject({ type: 'joined' });
  }
  return { client, conn };
}

describe('rooms', () => {
  it('a respond function joins and leaves rooms; conn.rooms and info.rooms say which', async () => {
    const mock = chat();
    const { client, conn } = await member(mock, 'general', 'random', 'general');
    expect(conn.rooms).toEqual(['general', 'random']);
    expect(conn.info.rooms).toEqual(['general', 'random']);
    client.send({ type: 'leave', room: 'general' });
    expect(await client.nextJson()).toEqual({ type: 'left', rooms: ['random'] });
    conn.leave('never-joined');
    expect(conn.rooms).toEqual(['random']);
  });

  it('broadcasts to a room only, on a mock and across the server, with except', async () => {
    const mock = chat();
    const other = chat('other');
    const a = await member(mock, 'general');
    const b = await member(mock, 'general');
    const c = await member(mock, 'random');
    const d = await member(other, 'general');
    expect(mock.broadcast({ news: 1 }, { room: 'general' })).toBe(2);
    expect(await a.client.nextJson()).toEqual({ news: 1 });
    expect(await b.client.nextJson()).toEqual({ news: 1 });
    expect(mock.broadcast('except b', { room: 'general', except: b.conn })).toBe(1);
    expect(await a.client.next()).toBe('except b');
    expect(server.connections.broadcast('everyone in general', { room: 'general' })).toBe(3);
    expect(await d.client.next()).toBe('everyone in general');
    expect(await a.client.next()).toBe('everyone in general');
    expect(await b.client.next()).toBe('everyone in general');
    expect(server.connections.broadcast('random, this mock', { room: 'random', mockId: 'chat' })).toBe(1);
    expect(await c.client.next()).toBe('random, this mock');
    // Nobody got a frame meant for another room.
    expect(c.conn.messages.filter((m) => m.direction === 'out').map((m) => m.text)).toEqual(['{"type":"joined","rooms":["random"]}', 'random, this mock']);
    expect(server.connections.list({ room: 'general' }).map((info) => info.id)).toEqual([a.conn.id, b.conn.id, d.conn.id]);
    expect(server.connections.list({ room: 'general', mockId: 'other' }).map((info) => info.id)).toEqual([d.conn.id]);
  });

  it('a closed connection is in no room and cannot join one', async () => {
    const mock = chat();
    const { client, conn } = await member(mock, 'general');
    await client.close();
    await conn.waitForClose();
    expect(conn.rooms).toEqual([]);
    expect(mock.broadcast('late', { room: 'general' })).toBe(0);
    expect(() => conn.join('general')).toThrow(expect.objectContaining({ code: 'WSMOCK_ERR_CONNECTION_CLOSED' }));
  });

  it.each([[''], [42], [null]])('refuses the room %j naming the rule', async (room) => {
    const mock = chat();
    const { conn } = await member(mock);
    expect(() => conn.join(room as string)).toThrow(expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: expect.stringContaining('room must be a non-empty string') }));
    expect(() => mock.broadcast('x', { room: room as string })).toThrow(expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' }));
    expect(() => server.connections.list({ room: room as string })).toThrow(expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' }));
    expect(conn.rooms).toEqual([]);
  });

  it('over the admin API: join, leave, filter the list, broadcast to a room', async () => {
    const mock = chat();
    const a = await member(mock);
    const b = await member(mock);
    let res = await api.post(`/websocket/connections/${a.conn.id}/rooms`, { room: 'ops room' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Joined room', connection: a.conn.id, room: 'ops room', rooms: ['ops room'] });
    expect(a.conn.rooms).toEqual(['ops room']);
    res = await api.get('/websocket/connections?room=ops%20room');
    expect(res.body.connections.map((c: { id: string; rooms: string[] }) => [c.id, c.rooms])).toEqual([[a.conn.id, ['ops room']]]);
    res = await api.post('/websocket/broadcast', { type: 'text', data: 'to ops', room: 'ops room' });
    expect(res.body).toEqual({ message: 'Broadcast sent', recipients: 1 });
    expect(await a.client.next()).toBe('to ops');
    res = await api.delete(`/websocket/connections/${a.conn.id}/rooms/ops%20room`);
    expect(res.body).toEqual({ message: 'Left room', connection: a.conn.id, room: 'ops room', rooms: [] });
    res = await api.post(`/websocket/connections/${b.conn.id}/rooms`, { room: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('room');
    res = await api.post('/websocket/connections/conn-999999/rooms', { room: 'x' });
    expect(res.status).toBe(404);
  });
});
