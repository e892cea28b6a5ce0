import { beforeAll, describe, expect, it, vi } from 'vitest';
import { adminClient } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer({ admin: true });
let api: ReturnType<typeof adminClient>;
beforeAll(() => {
  api = adminClient(server.adminUrl!);
});

async function chatAndFeed() {
  const chat = server.websocket({ id: 'chat', path: '/ws/chat' });
  const feed = server.websocket({ id: 'feed', path: '/ws/feed/:topic' });
  const a = await connect(`${server.url}/ws/chat?room=1`);
  const connA = await chat.waitForConnection();
  const b = await connect(`${server.url}/ws/feed/prices`);
  const connB = await feed.waitForConnection();
  return { chat, feed, a, b, connA, connB };
}

describe('GET /websocket/connections', () => {
  it('lists open connections with their info and the stats', async () => {
    const { connA, connB } = await chatAndFeed();
    const res = await api.get('/websocket/connections');
    expect(res.status).toBe(200);
    expect(res.body.connections.map((c: { id: string }) => c.id)).toEqual([connA.id, connB.id]);
    expect(res.body.connections[0]).toMatchObject({
      id: connA.id,
      mockId: 'chat',
      path: '/ws/chat',
      url: '/ws/chat?room=1',
      clientIp: '127.0.0.1',
      status: 'connected',
      scenario: null,
      messagesSent: 0,
    });
    expect(res.body.stats).toMatchObject({ totalConnections: 2, activeConnections: 2, connectionsByMock: { chat: 1, feed: 1 } });
  });

  it('filters by mockId and by path', async () => {
    const { connA, connB } = await chatAndFeed();
    const byMock = await api.get('/websocket/connections?mockId=feed');
    expect(byMock.body.connections.map((c: { id: string }) => c.id)).toEqual([connB.id]);
    const byTemplate = await api.get(`/websocket/connections?path=${encodeURIComponent('/ws/feed/:topic')}`);
    expect(byTemplate.body.connections.map((c: { id: string }) => c.id)).toEqual([connB.id]);
    const byPath = await api.get('/websocket/connections?path=/ws/chat');
    expect(byPath.body.connections.map((c: { id: string }) => c.id)).toEqual([connA.id]);
    const none = await api.get('/websocket/connections?mockId=nope');
    expect(none.body.connections).toEqual([]);
  });
});

describe('GET /websocket/connections/{id}', () => {
  it('returns one ConnectionInfo', async () => {
    const { connA } = await chatAndFeed();
    const res = await api.get(`/websocket/connections/${connA.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(connA.info);
  });

  it('answers 404 not_found for an unknown id and for a closed connection', async () => {
    const { a, connA } = await chatAndFeed();
    const unknown = await api.get('/websocket/connections/conn-999');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found' });
    expect(unknown.body.message).toContain('conn-999');
    a.ws.close();
    await connA.waitForClose();
    const closed = await api.get(`/websocket/connections/${connA.id}`);
    expect(closed.status).toBe(404);
  });
});

describe('DELETE /websocket/connections/{id}', () => {
  it('closes with 1000 "closed by API" by default and leaves others open', async () => {
    const { a, b, connA } = await chatAndFeed();
    const res = await api.delete(`/websocket/connections/${connA.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Connection closed', connection: connA.id });
    expect(await a.closed).toEqual({ code: 1000, reason: 'closed by API' });
    expect(b.isOpen).toBe(true);
    expect((await api.get(`/websocket/connections/${connA.id}`)).status).toBe(404);
  });

  it('takes code and reason from the body', async () => {
    const { a, connA } = await chatAndFeed();
    const res = await api.delete(`/websocket/connections/${connA.id}`, { code: 4001, reason: 'kicked' });
    expect(res.status).toBe(200);
    expect(await a.closed).toEqual({ code: 4001, reason: 'kicked' });
  });

  it('takes code and reason from the query', async () => {
    const { a, connA } = await chatAndFeed();
    const res = await api.delete(`/websocket/connections/${connA.id}?code=4002&reason=bye`);
    expect(res.status).toBe(200);
    expect(await a.closed).toEqual({ code: 4002, reason: 'bye' });
  });

  it('refuses an invalid close code or reason with 400 and leaves the connection open', async () => {
    const { a, connA } = await chatAndFeed();
    for (const body of [{ code: 1005 }, { code: 'x' }, { code: 2000 }, { reason: 'r'.repeat(124) }, { reason: 5 }]) {
      const res = await api.delete(`/websocket/connections/${connA.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('validation_error');
    }
    const query = await api.delete(`/websocket/connections/${connA.id}?code=abc`);
    expect(query.status).toBe(400);
    expect(query.body.details).toEqual([{ path: 'code', message: expect.stringContaining('1000') }]);
    expect(a.isOpen).toBe(true);
    expect(connA.isOpen).toBe(true);
  });

  it('answers 404 for an unknown connection', async () => {
    const res = await api.delete('/websocket/connections/conn-404');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });
});

describe('POST /websocket/connections/{id}/send', () => {
  it('delivers text, json and binary frames to the client', async () => {
    const { a, connA } = await chatAndFeed();
    const text = await api.post(`/websocket/connections/${connA.id}/send`, { type: 'text', data: 'hello' });
    expect(text.status).toBe(200);
    expect(text.body).toEqual({ message: 'Message sent', connection: connA.id, type: 'text' });
    expect(await a.frame()).toMatchObject({ binary: false, text: 'hello' });

    const json = await api.post(`/websocket/connections/${connA.id}/send`, { type: 'json', data: { type: 'price', value: 1 } });
    expect(json.body.type).toBe('json');
    const jsonFrame = await a.frame();
    expect(jsonFrame.binary).toBe(false);
    expect(JSON.parse(jsonFrame.text)).toEqual({ type: 'price', value: 1 });

    const jsonString = await api.post(`/websocket/connections/${connA.id}/send`, { type: 'json', data: 'quoted' });
    expect(jsonString.status).toBe(200);
    expect(await a.next()).toBe('"quoted"');

    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = await api.post(`/websocket/connections/${connA.id}/send`, { type: 'binary', data: bytes.toString('base64') });
    expect(binary.status).toBe(200);
    const frame = await a.frame();
    expect(frame.binary).toBe(true);
    expect(frame.data.equals(bytes)).toBe(true);

    expect(connA.messages.filter((m) => m.direction === 'out')).toHaveLength(4);
  });

  it('answers 400 invalid_type, invalid_base64 and validation_error, sending nothing', async () => {
    const { a, connA } = await chatAndFeed();
    const cases: [unknown, string][] = [
      [{ type: 'xml', data: 'x' }, 'invalid_type'],
      [{ data: 'x' }, 'invalid_type'],
      [{ type: 'binary', data: 'not base64!' }, 'invalid_base64'],
      [{ type: 'binary', data: 'abc' }, 'invalid_base64'],
      [{ type: 'binary', data: 12 }, 'validation_error'],
      [{ type: 'text' }, 'validation_error'],
      [{ type: 'text', data: { not: 'a string' } }, 'validation_error'],
      [['text', 'x'], 'validation_error'],
    ];
    for (const [body, error] of cases) {
      const res = await api.post(`/websocket/connections/${connA.id}/send`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toBe(error);
      expect(res.body.message).toEqual(expect.any(String));
    }
    const malformed = await api.post(`/websocket/connections/${connA.id}/send`, '{"type": "text", "data": ', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('invalid_json');
    expect(connA.messages).toHaveLength(0);
    expect(a.received).toHaveLength(0);
  });

  it('answers 404 not_found for an unknown id and for a connection that has closed', async () => {
    const { a, connA } = await chatAndFeed();
    const unknown = await api.post('/websocket/connections/conn-404/send', { type: 'text', data: 'x' });
    expect(unknown.status).toBe(404);
    a.ws.close();
    await connA.waitForClose();
    const closed = await api.post(`/websocket/connections/${connA.id}/send`, { type: 'text', data: 'x' });
    expect(closed.status).toBe(404);
    expect(closed.body.error).toBe('not_found');
  });
});

describe('POST /websocket/broadcast', () => {
  it('sends to every open connection, or those of one mock or path', async () => {
    const { a, b } = await chatAndFeed();
    const all = await api.post('/websocket/broadcast', { type: 'text', data: 'to all' });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ message: 'Broadcast sent', recipients: 2 });
    expect(await a.next()).toBe('to all');
    expect(await b.next()).toBe('to all');

    const feedOnly = await api.post('/websocket/broadcast', { type: 'json', data: { tick: 1 }, mockId: 'feed' });
    expect(feedOnly.body.recipients).toBe(1);
    expect(await b.nextJson()).toEqual({ tick: 1 });

    const byPath = await api.post('/websocket/broadcast', { type: 'binary', data: 'AQID', path: '/ws/chat' });
    expect(byPath.body.recipients).toBe(1);
    const frame = await a.frame();
    expect(frame.binary).toBe(true);
    expect([...frame.data]).toEqual([1, 2, 3]);
    expect(a.received).toHaveLength(2);
    expect(b.received).toHaveLength(2);
  });

  it('answers 404 for an unknown mockId and 400 for a bad payload', async () => {
    await chatAndFeed();
    expect((await api.post('/websocket/broadcast', { type: 'text', data: 'x', mockId: 'nope' })).status).toBe(404);
    expect((await api.post('/websocket/broadcast', { type: 'nope', data: 'x' })).body.error).toBe('invalid_type');
    expect((await api.post('/websocket/broadcast', { type: 'binary', data: '***' })).body.error).toBe('invalid_base64');
    expect((await api.post('/websocket/broadcast', { type: 'text', data: 'x', mockId: 3 })).body.error).toBe('validation_error');
  });
});

describe('GET /websocket/stats', () => {
  it('agrees with what the clients did, closed connections included', async () => {
    const { a, b, connA, connB } = await chatAndFeed();
    await a.send('hello');
    await a.frame(); // the echo
    await b.send(Buffer.from([1, 2, 3]));
    await b.frame();
    b.ws.close();
    await connB.waitForClose();
    const res = await api.get('/websocket/stats');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      totalConnections: 2,
      activeConnections: 1,
      rejectedConnections: 0,
      totalMessagesSent: 2,
      totalMessagesRecv: 2,
      totalBytesSent: 8,
      totalBytesRecv: 8,
      connectionsByMock: { chat: 1, feed: 0 },
      byType: {
        websocket: { totalConnections: 2, activeConnections: 1, totalMessagesSent: 2, totalMessagesRecv: 2, totalBytesSent: 8, totalBytesRecv: 8 },
        sse: { totalConnections: 0, activeConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, totalBytesSent: 0, totalBytesRecv: 0 },
      },
      faults: {},
      upstream: { messagesSent: 0, messagesRecv: 0, bytesSent: 0, bytesRecv: 0, droppedAfterClose: 0 },
      violations: 0,
      violationsByMock: {},
    });
    expect(res.body).toEqual(server.stats());
    await vi.waitFor(() => expect(connA.info.messagesRecv).toBe(1));
  });
});
