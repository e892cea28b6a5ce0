//
// Server-Sent Events with the `eventsource` client (what Node apps use):
// configured events with ids and types, `retry`, the reconnection after
// `conn.close()` with `Last-Event-ID`, pushes from the test, templating, and
// the mock lifecycle ending streams.
//
import { afterEach, describe, expect, it } from 'vitest';
import { WsMockErrorCode } from '../src/index.js';
import { useMockServer } from './helpers/server.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { closeSseClients, RawStream, SseClient } from './helpers/sse.js';
import { rejection } from './helpers/failures.js';

expect.extend(wsmockMatchers);

const server = useMockServer();
afterEach(() => closeSseClients());

describe('events on connect (eventsource client)', () => {
  it('sends the configured events in order, with their types and ids', async () => {
    const feed = server.sse('/feed', {
      events: [
        { data: 'hello' },
        { event: 'price', id: 'p1', data: { symbol: 'ACME', price: 12 } },
        { event: 'price', id: 'p2', data: { symbol: 'ACME', price: 13 } },
      ],
    });
    const client = new SseClient(feed.httpUrl, ['price']);
    expect(await client.take(3)).toEqual([
      { type: 'message', data: 'hello', lastEventId: '' },
      { type: 'price', data: '{"symbol":"ACME","price":12}', lastEventId: 'p1' },
      { type: 'price', data: '{"symbol":"ACME","price":13}', lastEventId: 'p2' },
    ]);
    const conn = await feed.waitForConnection();
    expect(conn.type).toBe('sse');
    expect(conn.lastEventId).toBeNull();
    expect(conn.events.map((e) => [e.event, e.id, e.data])).toEqual([
      [undefined, undefined, 'hello'],
      ['price', 'p1', '{"symbol":"ACME","price":12}'],
      ['price', 'p2', '{"symbol":"ACME","price":13}'],
    ]);
  });

  it('renders templates per stream: connection query, params, sequence, data set by onConnection', async () => {
    const feed = server.sse('/rooms/:room', {
      onConnection: (conn) => {
        conn.data.greeting = `hi ${conn.query.user}`;
      },
      events: [
        { event: 'joined', id: '{{sequence}}', data: { room: '{{connection.params.room}}', user: '{{connection.query.user}}' } },
        { id: '{{sequence}}', data: '{{connection.data.greeting}} (#{{sequence}})' },
      ],
    });
    const client = new SseClient(`${server.httpUrl}/rooms/blue?user=ada`, ['joined']);
    expect(await client.take(2)).toEqual([
      { type: 'joined', data: '{"room":"blue","user":"ada"}', lastEventId: '1' },
      { type: 'message', data: 'hi ada (#2)', lastEventId: '2' },
    ]);
  });

  it('sends retry first; after conn.close() the client reconnects with Last-Event-ID, which the test reads', async () => {
    const feed = server.sse('/feed', { retry: 50 });
    const client = new SseClient(feed.httpUrl, ['tick']);
    const first = await feed.waitForConnection();
    expect(first.events[0]).toMatchObject({ retry: 50, data: '' });
    await first.send({ event: 'tick', id: '41', data: 'a' });
    await first.send({ event: 'tick', id: '42', data: 'b' });
    expect((await client.take(2)).map((e) => e.lastEventId)).toEqual(['41', '42']);

    await expect(first.close()).resolves.toEqual({ code: 1000, reason: '', by: 'server' });
    await expect(first).toBeClosed({ code: 1000 });

    const second = await feed.waitForConnection();
    expect(second.lastEventId).toBe('42');
    expect(second.headers['last-event-id']).toBe('42');
    expect(second.id).not.toBe(first.id);
    // Resumption: the test continues after what the client had.
    await second.send({ event: 'tick', id: String(Number(second.lastEventId) + 1), data: 'c' });
    expect(await client.next()).toEqual({ type: 'tick', data: 'c', lastEventId: '43' });
    expect(client.opens).toBe(2);
  });
});

describe('pushing from the test', () => {
  it('send() takes data alone (strings as they are, the rest as JSON) or an event; comment() writes a comment', async () => {
    const feed = server.sse('/feed');
    const raw = new RawStream(feed.httpUrl);
    const conn = await feed.waitForConnection();
    await conn.send('plain');
    await conn.send({ type: 'tick', n: 1 });
    await conn.send([1, 2]);
    await conn.send({ data: 'line one\nline two\r\nline three', event: 'multi', id: '9', retry: 1500 });
    await conn.comment('still here');
    await raw.contains(': still here\n\n');
    expect(raw.text).toBe(
      'data: plain\n\n' +
        'data: {"type":"tick","n":1}\n\n' +
        'data: [1,2]\n\n' +
        'event: multi\nid: 9\nretry: 1500\ndata: line one\ndata: line two\ndata: line three\n\n' +
        ': still here\n\n',
    );
    expect(conn.events.at(-2)).toMatchObject({ event: 'multi', id: '9', retry: 1500, data: 'line one\nline two\nline three' });
    expect(conn.events.at(-1)).toMatchObject({ comment: 'still here', data: '' });
    expect(conn.info).toMatchObject({ type: 'sse', messagesSent: 5, messagesRecv: 0, status: 'connected', path: '/feed' });
  });

  it('the eventsource client joins the data lines of a multi-line event with \\n', async () => {
    const feed = server.sse('/feed');
    const client = new SseClient(feed.httpUrl);
    const conn = await feed.waitForConnection();
    await conn.send('a\nb\r\nc');
    expect((await client.next()).data).toBe('a\nb\nc');
  });

  it('refuses an event or id with a line break, naming the field', async () => {
    const feed = server.sse('/feed');
    const client = new SseClient(feed.httpUrl);
    const conn = await feed.waitForConnection();
    const bad = await rejection(conn.send({ event: 'a\nb', data: 'x' }));
    expect(bad.code).toBe(WsMockErrorCode.INVALID_ARGUMENT);
    expect(bad.message).toMatch(/event must be a single line/);
    await expect(conn.comment(42 as unknown as string)).rejects.toMatchObject({ code: WsMockErrorCode.INVALID_ARGUMENT });
    // The stream is untouched.
    await conn.send('fine');
    expect((await client.next()).data).toBe('fine');
  });

  it('broadcast() reaches every open stream of the mock, once each, and returns the count', async () => {
    const feed = server.sse('/feed');
    const other = server.sse('/other');
    const a = new SseClient(feed.httpUrl, ['news']);
    const b = new SseClient(feed.httpUrl, ['news']);
    const c = new SseClient(other.httpUrl, ['news']);
    await expect(feed).toHaveConnections(2);
    await expect(other).toHaveConnections(1);
    expect(feed.broadcast({ event: 'news', id: 'n1', data: { title: 'hi' } })).toBe(2);
    expect(await a.next()).toEqual({ type: 'news', data: '{"title":"hi"}', lastEventId: 'n1' });
    expect(await b.next()).toEqual({ type: 'news', data: '{"title":"hi"}', lastEventId: 'n1' });
    await other.connections[0]!.send({ event: 'news', data: 'only c' });
    expect((await c.next()).data).toBe('only c');
  });

  it('writing to a closed stream rejects WSMOCK_ERR_CONNECTION_CLOSED, as on a WebSocket', async () => {
    const feed = server.sse('/feed');
    const client = new SseClient(feed.httpUrl);
    const conn = await feed.waitForConnection();
    client.close();
    await expect(conn.waitForClose()).resolves.toEqual({ code: 1001, reason: '', by: 'client' });
    const error = await rejection(conn.send('late'));
    expect(error.code).toBe(WsMockErrorCode.CONNECTION_CLOSED);
    expect(error.message).toContain(conn.id);
    await expect(conn.comment('late')).rejects.toMatchObject({ code: WsMockErrorCode.CONNECTION_CLOSED });
  });
});

describe('lifecycle', () => {
  it('update() ends the streams; the client reconnects and gets the new events', async () => {
    const feed = server.sse('/feed', { retry: 20, events: [{ data: 'v1' }] });
    const client = new SseClient(feed.httpUrl);
    expect((await client.next()).data).toBe('v1');
    const first = await feed.waitForConnection();
    await expect(feed.update({ events: [{ data: 'v2' }] })).resolves.toBe(1);
    await expect(first.waitForClose()).resolves.toEqual({ code: 1012, reason: 'mock updated', by: 'server' });
    expect((await client.next()).data).toBe('v2');
  });

  it('disable() ends the streams and answers 503; enable() serves again; remove() ends them and frees the path', async () => {
    const feed = server.sse('/feed', { events: [{ data: 'x' }] });
    const raw = new RawStream(feed.httpUrl);
    const conn = await feed.waitForConnection();
    await expect(feed.disable()).resolves.toBe(1);
    await raw.end();
    expect(conn.closeInfo).toEqual({ code: 1012, reason: 'mock disabled', by: 'server' });
    const refused = new RawStream(feed.httpUrl);
    await refused.end();
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'endpoint_disabled', mockId: feed.id });

    await feed.enable();
    const again = new RawStream(feed.httpUrl);
    await again.contains('data: x\n\n');
    const conn2 = await feed.waitForConnection();
    await expect(feed.remove()).resolves.toBe(1);
    await again.end();
    expect(conn2.closeInfo).toEqual({ code: 1012, reason: 'mock removed', by: 'server' });
    const gone = new RawStream(feed.httpUrl);
    await gone.end();
    expect(gone.status).toBe(404);
  });
});
