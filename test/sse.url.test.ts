//
// Issue 22 item 2: a mock's `url` is what its clients open. For an SSE mock
// that is `http(s)://host:port/path`, so `new EventSource(feed.url)` works as
// written; `httpUrl` is on every mock. The same URL in the admin listing.
//
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { adminClient } from './helpers/admin.js';
import { useServers } from './helpers/server.js';
import { closeSseClients, SseClient } from './helpers/sse.js';

const start = useServers();
afterEach(() => closeSseClients());

describe('issue 22 item 2: an SSE mock url is the http(s) URL EventSource opens', () => {
  it('new EventSource(feed.url) receives the feed; url and httpUrl are the same http:// URL', async () => {
    const server = await start();
    const feed = server.sse('/prices', { events: [{ event: 'price', data: { price: 12 } }] });
    expect(feed.url).toBe(`http://127.0.0.1:${server.port}/prices`);
    expect(feed.httpUrl).toBe(feed.url);
    const client = new SseClient(feed.url, ['price']);
    expect(await client.next()).toEqual({ type: 'price', data: '{"price":12}', lastEventId: '' });
    const conn = await feed.waitForConnection();
    expect(conn.type).toBe('sse');
  });

  it('with tls: true, feed.url is https:// and EventSource opens it trusting server.tls.ca', async () => {
    const server = await start({ tls: true });
    const feed = server.sse('/secure', { events: [{ data: 'over tls' }] });
    expect(feed.url).toBe(`https://127.0.0.1:${server.port}/secure`);
    const dispatcher = new Agent({ connect: { ca: server.tls!.ca } });
    try {
      const client = new SseClient(feed.url, [], { fetch: (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher }) as never });
      expect(await client.next()).toEqual({ type: 'message', data: 'over tls', lastEventId: '' });
      client.close();
    } finally {
      await dispatcher.close();
    }
  });

  it('every mock has httpUrl: the http form of its path on the same listener; WebSocket mocks keep ws:// url', async () => {
    const server = await start();
    const chat = server.websocket('/chat');
    const gql = server.graphql('/graphql');
    const rpc = server.jsonrpc('/rpc', { methods: {} });
    const io = server.socketio('/socket.io/');
    expect(chat.url).toBe(`ws://127.0.0.1:${server.port}/chat`);
    expect(chat.httpUrl).toBe(`http://127.0.0.1:${server.port}/chat`);
    expect(gql.httpUrl).toBe(`http://127.0.0.1:${server.port}/graphql`);
    expect(rpc.httpUrl).toBe(`http://127.0.0.1:${server.port}/rpc`);
    // Socket.IO's url is the server's origin (what io() takes); httpUrl is its long-polling endpoint.
    expect(io.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(io.httpUrl).toBe(`http://127.0.0.1:${server.port}/socket.io/`);
  });

  it('the admin listing (GET /mocks) gives each mock its url and httpUrl; GET /mocks/{id} stays the bare envelope', async () => {
    const server = await start({ admin: true });
    server.sse('/feed', { id: 'feed' });
    server.websocket('/ws', { id: 'ws' });
    const api = adminClient(server.adminUrl!);
    const listing = await api.get('/mocks');
    expect(listing.status).toBe(200);
    const byId = Object.fromEntries((listing.body.mocks as { id: string; url: string; httpUrl: string }[]).map((m) => [m.id, m]));
    expect(byId.feed).toMatchObject({ type: 'sse', url: `http://127.0.0.1:${server.port}/feed`, httpUrl: `http://127.0.0.1:${server.port}/feed` });
    expect(byId.ws).toMatchObject({ type: 'websocket', url: `ws://127.0.0.1:${server.port}/ws`, httpUrl: `http://127.0.0.1:${server.port}/ws` });
    // The listing's url is what a client opens: EventSource on it gets the stream.
    const client = new SseClient(byId.feed!.url);
    await client.opened();
    const single = await api.get('/mocks/feed');
    expect(single.body).not.toHaveProperty('url');
    expect((await api.put('/mocks/feed', single.body)).status).toBe(200);
  });
});
