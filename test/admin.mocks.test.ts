import { beforeAll, describe, expect, it } from 'vitest';
import { adminClient, echoEnvelope } from './helpers/admin.js';
import { connect, refusal } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import type { WebSocketEnvelope, WebSocketMock } from '../src/index.js';

const server = useMockServer();
let api: ReturnType<typeof adminClient>;
beforeAll(async () => {
  api = adminClient(await server.listenAdmin());
});

describe('POST /mocks', () => {
  it('creates a mock from an envelope: 201, then clients can connect', async () => {
    const res = await api.post('/mocks', { id: 'chat', name: 'Chat', type: 'websocket', websocket: { path: '/ws/chat', idleTimeout: '5m' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: 'chat',
      action: 'created',
      mock: { id: 'chat', name: 'Chat', type: 'websocket', enabled: true, websocket: { path: '/ws/chat', idleTimeout: '5m' } },
    });
    expect(server.mocks.get('chat')?.path).toBe('/ws/chat');
    const client = await connect(`${server.url}/ws/chat`);
    await client.send('ping');
    expect(await client.next()).toBe('ping');
  });

  it('generates an id when none is given', async () => {
    const res = await api.post('/mocks', { type: 'websocket', websocket: { path: '/anon' } });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^mock-\d+$/);
    expect(server.mocks.get(res.body.id)).toBeDefined();
  });

  it('answers 400 validation_error with every field path in details, creating nothing', async () => {
    const res = await api.post('/mocks', {
      id: 'bad id!',
      type: 'websocket',
      websocket: { path: 'no-slash', maxConnections: -1, echoMode: 'yes', extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_error');
    const paths = res.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['id', 'websocket.echoMode', 'websocket.extra', 'websocket.maxConnections', 'websocket.path']);
    expect(res.body.message).toContain('websocket.path');
    expect(server.mocks.list()).toEqual([]);
  });

  it('answers 400 for a missing websocket block or wrong type', async () => {
    const missing = await api.post('/mocks', { type: 'websocket' });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ path: 'websocket', message: expect.any(String) }]);
    const wrongType = await api.post('/mocks', { type: 'http', websocket: { path: '/x' } });
    expect(wrongType.body.details).toEqual([{ path: 'type', message: expect.stringMatching(/^must be one of "websocket"(, "\w+")*$/) }]);
  });

  it('answers 409 duplicate_id and 409 path_conflict', async () => {
    expect((await api.post('/mocks', echoEnvelope('chat', '/ws/chat'))).status).toBe(201);
    const dup = await api.post('/mocks', echoEnvelope('chat', '/ws/other'));
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe('duplicate_id');
    const conflict = await api.post('/mocks', echoEnvelope('chat2', '/ws/chat'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe('path_conflict');
    expect(server.mocks.list().map((m) => m.id)).toEqual(['chat']);
  });
});

describe('GET /mocks and /mocks/{id}', () => {
  it('lists envelopes with the url and httpUrl clients open, in-process mocks included', async () => {
    server.websocket({ id: 'inproc', path: '/in', onConnection: () => {} });
    await api.post('/mocks', echoEnvelope('http', '/http'));
    const res = await api.get('/mocks');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.count).toBe(2);
    expect(res.body.mocks).toEqual([
      { id: 'inproc', type: 'websocket', enabled: true, websocket: { path: '/in' }, url: `${server.url}/in`, httpUrl: `${server.httpUrl}/in` },
      { id: 'http', type: 'websocket', enabled: true, websocket: { path: '/http' }, url: `${server.url}/http`, httpUrl: `${server.httpUrl}/http` },
    ]);
  });

  it('returns one envelope, or 404 not_found', async () => {
    await api.post('/mocks', echoEnvelope('chat', '/ws/chat'));
    const res = await api.get('/mocks/chat');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(server.mocks.get('chat')!.toJSON());
    const missing = await api.get('/mocks/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'not_found', message: expect.stringContaining('"nope"') });
  });
});

/** Two mocks with two clients each: the changed mock's clients must close, the others stay. */
async function twoMocks() {
  await api.post('/mocks', echoEnvelope('chat', '/ws/chat'));
  await api.post('/mocks', echoEnvelope('feed', '/ws/feed'));
  const chat = [await connect(`${server.url}/ws/chat`), await connect(`${server.url}/ws/chat`)];
  const feed = [await connect(`${server.url}/ws/feed`), await connect(`${server.url}/ws/feed`)];
  return { chat, feed };
}

describe('PUT /mocks/{id}', () => {
  it('replaces the config and closes exactly that mock’s clients with 1012', async () => {
    const { chat, feed } = await twoMocks();
    const res = await api.put('/mocks/chat', { type: 'websocket', name: 'v2', websocket: { path: '/ws/chat', maxConnections: 5 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'chat',
      action: 'updated',
      mock: { id: 'chat', name: 'v2', type: 'websocket', enabled: true, websocket: { path: '/ws/chat', maxConnections: 5 } },
    });
    for (const client of chat) expect(await client.closed).toEqual({ code: 1012, reason: 'mock updated' });
    expect(feed.every((c) => c.isOpen)).toBe(true);
    expect((server.mocks.get('chat') as WebSocketMock).config.maxConnections).toBe(5);
    // Reconnecting clients get the new behaviour.
    await connect(`${server.url}/ws/chat`);
  });

  it('drops fields the new envelope leaves out', async () => {
    await api.post('/mocks', { id: 'chat', type: 'websocket', websocket: { path: '/ws/chat', maxConnections: 1 } });
    await api.put('/mocks/chat', echoEnvelope('chat', '/ws/chat'));
    expect((server.mocks.get('chat')!.toJSON() as WebSocketEnvelope).websocket).toEqual({ path: '/ws/chat' });
  });

  it('answers 400 for an invalid envelope or a changed id, 404 for an unknown mock, changing nothing', async () => {
    const { chat } = await twoMocks();
    const before = server.mocks.get('chat')!.toJSON();
    const invalid = await api.put('/mocks/chat', { type: 'websocket', websocket: { path: 'x' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual([{ path: 'websocket.path', message: 'must start with "/"' }]);
    const renamed = await api.put('/mocks/chat', echoEnvelope('other', '/ws/chat'));
    expect(renamed.status).toBe(400);
    expect(renamed.body.details[0].path).toBe('id');
    const conflict = await api.put('/mocks/chat', echoEnvelope('chat', '/ws/feed'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe('path_conflict');
    expect((await api.put('/mocks/nope', echoEnvelope('nope', '/n'))).status).toBe(404);
    expect(server.mocks.get('chat')!.toJSON()).toEqual(before);
    expect(chat.every((c) => c.isOpen)).toBe(true);
  });
});

describe('PATCH /mocks/{id}', () => {
  it('merges fields, closes that mock’s clients with 1012 and keeps in-process handlers', async () => {
    const greeted: string[] = [];
    server.websocket({ id: 'chat', path: '/ws/chat', maxConnections: 3, onConnection: (c) => void greeted.push(c.id) });
    await api.post('/mocks', echoEnvelope('feed', '/ws/feed'));
    const a = await connect(`${server.url}/ws/chat`);
    const f = await connect(`${server.url}/ws/feed`);
    const res = await api.patch('/mocks/chat', { name: 'renamed', websocket: { idleTimeout: '1m' } });
    expect(res.status).toBe(200);
    expect(res.body.action).toBe('updated');
    expect(res.body.mock).toEqual({
      id: 'chat',
      name: 'renamed',
      type: 'websocket',
      enabled: true,
      websocket: { path: '/ws/chat', maxConnections: 3, idleTimeout: '1m' },
    });
    expect(await a.closed).toEqual({ code: 1012, reason: 'mock updated' });
    expect(f.isOpen).toBe(true);
    await connect(`${server.url}/ws/chat`);
    expect(greeted).toHaveLength(2);
  });

  it('removes a field set to null', async () => {
    await api.post('/mocks', { id: 'chat', type: 'websocket', websocket: { path: '/ws/chat', maxConnections: 3 } });
    const res = await api.patch('/mocks/chat', { websocket: { maxConnections: null } });
    expect(res.status).toBe(200);
    expect(res.body.mock.websocket).toEqual({ path: '/ws/chat' });
  });

  it('answers 400 naming the field for an invalid patch, changing nothing', async () => {
    await api.post('/mocks', echoEnvelope('chat', '/ws/chat'));
    const a = await connect(`${server.url}/ws/chat`);
    for (const [patch, path] of [
      [{ websocket: { maxConnections: 'many' } }, 'websocket.maxConnections'],
      [{ websocket: { nope: 1 } }, 'websocket.nope'],
      [{ enabled: 'no' }, 'enabled'],
      [{ id: 'other' }, 'id'],
      [{ websocket: { path: null } }, 'websocket.path'],
      [{ extra: true }, 'extra'],
    ] as const) {
      const res = await api.patch('/mocks/chat', patch);
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.error).toBe('validation_error');
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(server.mocks.get('chat')!.toJSON()).toEqual({ id: 'chat', type: 'websocket', enabled: true, websocket: { path: '/ws/chat' } });
    expect(a.isOpen).toBe(true);
  });
});

describe('issue 22 item 6: the admin API suggests the field meant', () => {
  it('answers a near-miss key with "did you mean", in POST and PATCH', async () => {
    const created = await api.post('/mocks', { type: 'websocket', websocket: { path: '/typo', echomode: true } });
    expect(created.status).toBe(400);
    expect(created.body.details).toEqual([{ path: 'websocket.echomode', message: 'is not a known field; did you mean "echoMode"?' }]);
    await api.post('/mocks', echoEnvelope('chat', '/ws/chat'));
    const patched = await api.patch('/mocks/chat', { websocket: { maxConnection: 2 } });
    expect(patched.status).toBe(400);
    expect(patched.body.details).toEqual([{ path: 'websocket.maxConnection', message: 'is not a known field; did you mean "maxConnections"?' }]);
  });
});

describe('DELETE /mocks/{id} and /mocks', () => {
  it('removes one mock: 204, its clients closed with 1012, others open, path freed', async () => {
    const { chat, feed } = await twoMocks();
    const res = await api.delete('/mocks/chat');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    for (const client of chat) expect(await client.closed).toEqual({ code: 1012, reason: 'mock removed' });
    expect(feed.every((c) => c.isOpen)).toBe(true);
    expect((await refusal(`${server.url}/ws/chat`)).status).toBe(404);
    expect((await api.delete('/mocks/chat')).status).toBe(404);
  });

  it('removes every mock: 204 and every client closed with 1012', async () => {
    const { chat, feed } = await twoMocks();
    const res = await api.delete('/mocks');
    expect(res.status).toBe(204);
    for (const client of [...chat, ...feed]) expect((await client.closed).code).toBe(1012);
    expect((await api.get('/mocks')).body).toEqual({ mocks: [], total: 0, count: 0 });
  });
});

describe('POST /mocks/{id}/toggle', () => {
  it('disables (503 for new handshakes, clients closed with 1012) and enables again', async () => {
    const { chat, feed } = await twoMocks();
    const off = await api.post('/mocks/chat/toggle');
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: 'chat', action: 'toggled', mock: { enabled: false } });
    for (const client of chat) expect(await client.closed).toEqual({ code: 1012, reason: 'mock disabled' });
    expect(feed.every((c) => c.isOpen)).toBe(true);
    expect((await refusal(`${server.url}/ws/chat`)).status).toBe(503);
    const on = await api.post('/mocks/chat/toggle');
    expect(on.body.mock.enabled).toBe(true);
    await connect(`${server.url}/ws/chat`);
  });

  it('answers 409 path_conflict when another mock took the path, 404 for an unknown mock', async () => {
    await api.post('/mocks', echoEnvelope('a', '/same'));
    await api.post('/mocks/a/toggle');
    await api.post('/mocks', echoEnvelope('b', '/same'));
    const res = await api.post('/mocks/a/toggle');
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('path_conflict');
    expect(server.mocks.get('a')!.enabled).toBe(false);
    expect((await api.post('/mocks/nope/toggle')).status).toBe(404);
  });
});

describe('/mocks/{id}/websocket/connections', () => {
  it('lists that mock’s connections (the mock id is filled in)', async () => {
    await twoMocks();
    const res = await api.get('/mocks/chat/websocket/connections');
    expect(res.status).toBe(200);
    expect(res.body.mockId).toBe('chat');
    expect(res.body.count).toBe(2);
    expect(res.body.connections).toHaveLength(2);
    expect(res.body.connections.every((c: { mockId: string }) => c.mockId === 'chat')).toBe(true);
    expect((await api.get('/mocks/nope/websocket/connections')).status).toBe(404);
  });

  it('closes that mock’s connections only, with 1000 "closed by API" or the given code', async () => {
    const { chat, feed } = await twoMocks();
    const res = await api.delete('/mocks/chat/websocket/connections');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Connections closed', closed: 2, mockId: 'chat' });
    for (const client of chat) expect(await client.closed).toEqual({ code: 1000, reason: 'closed by API' });
    expect(feed.every((c) => c.isOpen)).toBe(true);
    const again = await api.delete('/mocks/feed/websocket/connections?code=4100');
    expect(again.body.closed).toBe(2);
    for (const client of feed) expect((await client.closed).code).toBe(4100);
    expect((await api.delete('/mocks/nope/websocket/connections')).status).toBe(404);
  });
});
