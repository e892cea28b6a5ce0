import { describe, expect, it, vi } from 'vitest';
import { connect, type TestClient } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

/** What a client received: text frames as strings, binary frames as Buffers. */
const values = (client: TestClient) => client.received.map((frame) => (frame.binary ? frame.data : frame.text));

describe('broadcast', () => {
  it('two clients receive a broadcast triggered by a third party', async () => {
    const feed = server.websocket({ id: 'feed', path: '/feed', echoMode: false });
    const alice = await connect(feed.url);
    const bob = await connect(feed.url);
    await vi.waitFor(() => expect(feed.connections).toHaveLength(2));
    // The third party: a publisher connection whose message the test relays.
    const publisher = server.websocket({ path: '/publish', echoMode: false });
    const pub = await connect(publisher.url);
    const pubConn = await publisher.waitForConnection();
    pub.send({ type: 'tick', price: 42 });
    const message = await pubConn.waitForMessage();
    expect(feed.broadcast(message.json as object)).toBe(2);
    expect(await alice.nextJson()).toEqual({ type: 'tick', price: 42 });
    expect(await bob.nextJson()).toEqual({ type: 'tick', price: 42 });
    expect(pub.received).toEqual([]);
  });

  it('server-wide broadcast filters by mock and path, and skips `except`', async () => {
    const a = server.websocket({ id: 'a', path: '/a', echoMode: false });
    const b = server.websocket({ id: 'b', path: '/b/:x', echoMode: false });
    const a1 = await connect(a.url);
    const a2 = await connect(a.url);
    const b1 = await connect(`${server.url}/b/1`);
    await vi.waitFor(() => expect(server.stats().activeConnections).toBe(3));
    const [first] = a.connections;
    expect(server.connections.broadcast('all')).toBe(3);
    expect(server.connections.broadcast('only a', { mockId: 'a' })).toBe(2);
    expect(server.connections.broadcast('only b', { path: '/b/:x' })).toBe(1);
    expect(server.connections.broadcast(Buffer.from([7]), { except: first! })).toBe(2);
    expect(a.broadcast('a except', { except: [first!.id] })).toBe(1);
    await vi.waitFor(() => expect(values(a1)).toEqual(['all', 'only a']));
    await vi.waitFor(() => expect(values(a2)).toEqual(['all', 'only a', Buffer.from([7]), 'a except']));
    await vi.waitFor(() => expect(values(b1)).toEqual(['all', 'only b', Buffer.from([7])]));
  });
});

describe('stats', () => {
  it('is exact after a mix of open and closed connections', async () => {
    const echo = server.websocket({ id: 'echo', path: '/echo' });
    const quiet = server.websocket({ id: 'quiet', path: '/quiet', echoMode: false });
    const idle = server.websocket({ id: 'idle', path: '/idle' });
    const e1 = await connect(echo.url);
    const e2 = await connect(echo.url);
    const q1 = await connect(quiet.url);
    e1.send('hello'); // 5 bytes in, 5 out
    expect(await e1.next()).toBe('hello');
    e2.send(Buffer.from([1, 2, 3]), { binary: true }); // 3 in, 3 out
    expect(await e2.frame()).toMatchObject({ binary: true, data: Buffer.from([1, 2, 3]) });
    q1.send('1234567'); // 7 in, nothing out
    await vi.waitFor(() => expect(server.stats().totalMessagesRecv).toBe(3));
    await e1.close();
    await q1.close();
    await vi.waitFor(() => expect(server.stats().activeConnections).toBe(1));
    await fetch(`${server.httpUrl}/missing`).catch(() => {});
    expect(server.stats()).toEqual({
      totalConnections: 3,
      activeConnections: 1,
      rejectedConnections: 0,
      totalMessagesSent: 2,
      totalMessagesRecv: 3,
      totalBytesSent: 8,
      totalBytesRecv: 15,
      connectionsByMock: { echo: 1, quiet: 0, idle: 0 },
      byType: {
        websocket: { totalConnections: 3, activeConnections: 1, totalMessagesSent: 2, totalMessagesRecv: 3, totalBytesSent: 8, totalBytesRecv: 15 },
        sse: { totalConnections: 0, activeConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, totalBytesSent: 0, totalBytesRecv: 0 },
      },
      faults: {},
      upstream: { messagesSent: 0, messagesRecv: 0, bytesSent: 0, bytesRecv: 0, droppedAfterClose: 0 },
      violations: 0,
      violationsByMock: {},
    });
    expect(idle.connections).toEqual([]);
  });

  it('reset() zeroes the counters and keeps listening', async () => {
    const mock = server.websocket('/r');
    const client = await connect(mock.url);
    client.send('x');
    await client.next();
    await server.reset();
    expect(server.stats()).toEqual({
      totalConnections: 0,
      activeConnections: 0,
      rejectedConnections: 0,
      totalMessagesSent: 0,
      totalMessagesRecv: 0,
      totalBytesSent: 0,
      totalBytesRecv: 0,
      connectionsByMock: {},
      byType: {
        websocket: { totalConnections: 0, activeConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, totalBytesSent: 0, totalBytesRecv: 0 },
        sse: { totalConnections: 0, activeConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, totalBytesSent: 0, totalBytesRecv: 0 },
      },
      faults: {},
      upstream: { messagesSent: 0, messagesRecv: 0, bytesSent: 0, bytesRecv: 0, droppedAfterClose: 0 },
      violations: 0,
      violationsByMock: {},
    });
    const again = server.websocket('/r');
    const next = await connect(again.url);
    next.send('y');
    expect(await next.next()).toBe('y');
  });
});
