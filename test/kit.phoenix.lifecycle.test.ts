//
// What a Phoenix mock gets from the seam, shown with the real client:
// server.mocks, update() (the client reconnects and rejoins, over WebSocket
// and LongPoll), reset(), stats per type, the journal, the admin API and
// config files with its envelope type, and chaos on its frames.
//
import { LongPoll } from 'phoenix';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/index.js';
import { adminClient } from './helpers/admin.js';
import { nextEvent, outcome, phoenixSocket } from './helpers/phoenix.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer({ admin: true, seed: 24 });

describe('issue 24: the Phoenix mock lifecycle', () => {
  it('server.mocks lists it with its type; its envelope carries its fields', () => {
    const mock = server.phoenix('/socket', { id: 'chat', channels: { 'room:*': { join: 'manual' } }, longpoll: { window: '2s' } });
    expect(server.mocks.list()).toContain(mock);
    expect(mock.type).toBe('phoenix');
    expect(mock.toJSON()).toEqual({ id: 'chat', type: 'phoenix', enabled: true, phoenix: { path: '/socket', channels: { 'room:*': { join: 'manual' } }, longpoll: { window: '2s' } } });
  });

  for (const transport of ['websocket', 'longpoll'] as const) {
    it(`update() closes its ${transport} clients; they reconnect and rejoin under the new config`, async () => {
      const mock = server.phoenix('/socket', { channels: { 'room:*': { events: { v: { reply: { status: 'ok', response: { v: 1 } } } } } } });
      const client = phoenixSocket(mock.url, transport === 'longpoll' ? { transport: LongPoll } : {});
      const channel = client.channel('room:lobby');
      await outcome(channel.join());
      expect(await outcome(channel.push('v', {}))).toEqual({ status: 'ok', response: { v: 1 } });
      const first = await mock.waitForJoin('room:lobby');
      expect(await mock.update({ channels: { 'room:*': { events: { v: { reply: { status: 'ok', response: { v: 2 } } } } } } })).toBe(1);
      expect(first.status).toBe('closed');
      const rejoined = await mock.waitForJoin('room:lobby');
      expect(rejoined.status).toBe('joined');
      expect(await outcome(channel.push('v', {}))).toEqual({ status: 'ok', response: { v: 2 } });
      expect((await mock.waitForConnection()).transport).toBe(transport);
    });
  }

  it('reset() closes the sockets, ends long-poll sessions and fails pending waits', async () => {
    const mock = server.phoenix();
    const client = phoenixSocket(mock.url, { transport: LongPoll });
    await outcome(client.channel('room:a').join());
    const socket = await mock.waitForConnection();
    const pending = mock.waitForJoin('never').catch((err: unknown) => err);
    await server.reset();
    expect(await pending).toMatchObject({ code: 'WSMOCK_ERR_MOCK_NOT_FOUND' });
    expect(socket.connection.isOpen).toBe(false);
    expect(server.connections.list()).toEqual([]);
  });

  it('stats() counts its connections per mock and per type; the journal holds its frames both ways', async () => {
    const mock = server.phoenix();
    const channel = phoenixSocket(mock.url).channel('room:a');
    await outcome(channel.join());
    const socket = await mock.waitForConnection();
    const stats = server.stats();
    expect(stats.connectionsByMock[mock.id]).toBe(1);
    expect(stats.byType.websocket).toMatchObject({ activeConnections: 1, totalMessagesRecv: 1, totalMessagesSent: 1 });
    expect(socket.connection.messages.map((m) => [m.direction, (m.json as unknown[])[3]])).toEqual([
      ['in', 'phx_join'],
      ['out', 'phx_reply'],
    ]);
    expect(mock.messages).toHaveLength(2);
  });

  it('the admin API defines a Phoenix mock from its envelope and lists it', async () => {
    const admin = adminClient(server.adminUrl!);
    const created = await admin.post('/mocks', { id: 'px', type: 'phoenix', phoenix: { path: '/px', channels: { 'room:*': { join: { status: 'error', response: { reason: 'closed' } } } } } });
    expect(created.status).toBe(201);
    expect((await admin.get('/mocks/px')).body).toEqual({ id: 'px', type: 'phoenix', enabled: true, phoenix: { path: '/px', channels: { 'room:*': { join: { status: 'error', response: { reason: 'closed' } } } } } });
    expect((await admin.get('/mocks')).body.mocks.map((m: { id: string }) => m.id)).toContain('px');
    const client = phoenixSocket(`${server.url}/px`);
    expect(await outcome(client.channel('room:1').join())).toEqual({ status: 'error', response: { reason: 'closed' } });
    const bad = await admin.post('/mocks', { type: 'phoenix', phoenix: { path: '/py', channels: { x: { join: 'soon' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ path: 'phoenix.channels.x.join', message: 'must be "manual" or { status: "ok" | "error", response? }' }]);
  });

  it('a config file defines a Phoenix mock by its envelope type', () => {
    const yaml = 'mocks:\n  - id: p\n    type: phoenix\n    phoenix:\n      path: /socket\n      channels:\n        "room:*":\n          join: manual\n';
    expect(parseConfig(yaml, 'phoenix.yaml').mocks).toEqual([{ id: 'p', type: 'phoenix', phoenix: { path: '/socket', channels: { 'room:*': { join: 'manual' } } } }]);
  });

  it('record: true records its frames (a join, its reply, a broadcast) for server.recording(id)', async () => {
    const mock = server.phoenix('/socket', { record: true });
    const channel = phoenixSocket(mock.url).channel('room:a');
    await outcome(channel.join());
    const news = nextEvent(channel, 'news');
    mock.broadcast('room:a', 'news', { n: 1 });
    await news;
    const [recorded] = server.recording(mock.id).connections;
    expect(recorded!.frames.map((f) => [f.direction, JSON.parse(f.text!)[3]])).toEqual([
      ['client-to-server', 'phx_join'],
      ['server-to-client', 'phx_reply'],
      ['server-to-client', 'news'],
    ]);
  });

  it('its own chaos field applies to its connections: a refused handshake, and the client reconnects', async () => {
    const mock = server.phoenix('/socket', { chaos: { refuse: { first: 1, status: 503 } } });
    const channel = phoenixSocket(mock.url).channel('room:a');
    expect((await outcome(channel.join())).status).toBe('ok');
    expect(server.stats().rejectedConnections).toBeGreaterThanOrEqual(1);
  });

  it('chaos applies to its frames: a dropped broadcast never reaches the client, the next one does', async () => {
    const mock = server.phoenix();
    const channel = phoenixSocket(mock.url).channel('room:a');
    await outcome(channel.join());
    const got: unknown[] = [];
    channel.on('n', (payload) => got.push(payload));
    server.chaos({ drop: 1 });
    mock.broadcast('room:a', 'n', { i: 1 });
    server.chaos(null);
    const second = nextEvent(channel, 'n');
    mock.broadcast('room:a', 'n', { i: 2 });
    expect(await second).toEqual({ i: 2 });
    expect(got).toEqual([{ i: 2 }]);
    expect((await mock.waitForConnection()).connection.faults).toEqual([expect.objectContaining({ kind: 'drop' })]);
  });
});
