//
// Proxy mocks against a real upstream: a plain `ws` server in another process
// (test/fixtures/upstream.mjs). Frames pass both ways, matchers override some,
// and the handshake follows the upstream's.
//
import { describe, expect, it } from 'vitest';
import { connect, refusal } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { closedPort, useUpstream } from './helpers/upstream.js';

const server = useMockServer();
const upstream = useUpstream();

describe('pass-through', () => {
  it('forwards text and binary both ways, journaled in four directions', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/echo` } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(await client.ask('hello')).toBe('hello');
    await client.send(Buffer.from([1, 2, 3]));
    const frame = await client.frame();
    expect(frame.binary).toBe(true);
    expect([...frame.data]).toEqual([1, 2, 3]);
    expect(conn.messages.map((m) => [m.direction, m.binary, m.text ?? [...(m.data as Buffer)]])).toEqual([
      ['in', false, 'hello'],
      ['upstream-out', false, 'hello'],
      ['upstream-in', false, 'hello'],
      ['out', false, 'hello'],
      ['in', true, [1, 2, 3]],
      ['upstream-out', true, [1, 2, 3]],
      ['upstream-in', true, [1, 2, 3]],
      ['out', true, [1, 2, 3]],
    ]);
    expect(conn.received.map((m) => m.direction)).toEqual(['in', 'in']);
    expect(server.stats().upstream).toEqual({ messagesSent: 2, messagesRecv: 2, bytesSent: 8, bytesRecv: 8, droppedAfterClose: 0 });
    expect(server.stats().totalMessagesRecv).toBe(2);
    expect(server.stats().totalMessagesSent).toBe(2);
  });

  it('a matcher answers one message while the rest pass to the upstream', async () => {
    const mock = server.websocket({
      path: '/p',
      proxy: { url: upstream.url },
      matchers: [{ match: { type: 'json', path: '$.type', value: 'ping' }, response: { type: 'json', value: { type: 'pong', from: 'mock' } } }],
    });
    const from = upstream.events.length;
    const client = await connect(mock.url);
    expect(await client.askJson({ type: 'ping' })).toEqual({ type: 'pong', from: 'mock' });
    expect(await client.askJson({ type: 'other' })).toEqual({ type: 'other' });
    await upstream.waitForEvent((e) => e.event === 'message' && e.text === '{"type":"other"}', from);
    expect(upstream.events.slice(from).filter((e) => e.event === 'message').map((e) => e.text)).toEqual(['{"type":"other"}']);
  });

  it('forward: true answers and still forwards', async () => {
    const mock = server.websocket({
      path: '/p',
      proxy: { url: upstream.url },
      matchers: [{ match: { type: 'exact', value: 'both' }, response: { type: 'text', value: 'from mock' }, forward: true }],
    });
    const client = await connect(mock.url);
    await client.send('both');
    expect(await client.next()).toBe('from mock');
    expect(await client.next()).toBe('both');
  });

  it('the upstream greets before the client sends anything', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/greet` } });
    const client = await connect(mock.url);
    expect(await client.next()).toBe('hello from upstream');
  });
});

describe('conn.upstream', () => {
  it('sends to the upstream, waits for its frames and lists them', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: upstream.url } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(conn.upstream?.url).toBe(upstream.url);
    await conn.upstream!.send({ type: 'direct' });
    const back = await conn.upstream!.waitForMessage({ type: 'json', path: '$.type', value: 'direct' });
    expect(back.direction).toBe('upstream-in');
    // The upstream's echo of a frame the test sent reaches the client too.
    expect(await client.nextJson()).toEqual({ type: 'direct' });
    expect(conn.upstream!.messages.map((m) => [m.direction, m.text])).toEqual([
      ['upstream-out', '{"type":"direct"}'],
      ['upstream-in', '{"type":"direct"}'],
    ]);
  });

  it('is null on a mock that is not a proxy', async () => {
    const mock = server.websocket({ path: '/plain' });
    await connect(mock.url);
    expect((await mock.waitForConnection()).upstream).toBeNull();
  });
});

describe('handshake', () => {
  it('the subprotocol is the one the upstream chose', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: upstream.url } });
    const client = await connect(mock.url, { protocols: ['v1', 'v2'] });
    // The fixture picks the last offered; a plain mock would pick the first it lists.
    expect(client.protocol).toBe('v2');
    const conn = await mock.waitForConnection();
    expect(conn.subprotocol).toBe('v2');
    expect(conn.upstream!.protocol).toBe('v2');
  });

  it('forwards the named headers and adds proxy.headers', async () => {
    const mock = server.websocket({
      path: '/p',
      proxy: { url: `${upstream.url}/h`, forwardHeaders: ['Authorization'], headers: { 'x-proxied-by': 'wsmock' } },
    });
    const from = upstream.events.length;
    await connect(mock.url, { headers: { authorization: 'Bearer t', 'x-secret': 'no' } });
    const seen = await upstream.waitForEvent((e) => e.event === 'connection' && e.url === '/h', from);
    expect(seen.headers).toMatchObject({ authorization: 'Bearer t', 'x-proxied-by': 'wsmock' });
    expect(seen.headers).not.toHaveProperty('x-secret');
  });

  it('forwardHeaders: true passes every header but the hop-by-hop and handshake ones', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/all`, forwardHeaders: true } });
    const from = upstream.events.length;
    await connect(mock.url, { headers: { 'x-trace': 'abc', cookie: 'session=1' } });
    const seen = await upstream.waitForEvent((e) => e.event === 'connection' && e.url === '/all', from);
    expect(seen.headers).toMatchObject({ 'x-trace': 'abc', cookie: 'session=1', host: `127.0.0.1:${upstream.port}` });
  });

  it('an upstream refusal refuses the client with its status', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/refuse` } });
    const refused = await refusal(mock.url);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'upstream_refused', status: 401, upstream: `${upstream.url}/refuse` });
    expect(server.stats().rejectedConnections).toBe(1);
  });

  it('an upstream that is not listening gives 502 upstream_unreachable naming the cause', async () => {
    const port = await closedPort();
    const mock = server.websocket({ path: '/p', proxy: { url: `ws://127.0.0.1:${port}/x` } });
    const refused = await refusal(mock.url);
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ error: 'upstream_unreachable', upstream: `ws://127.0.0.1:${port}/x`, code: 'ECONNREFUSED' });
    expect(refused.body.cause).toContain('ECONNREFUSED');
  });
});
