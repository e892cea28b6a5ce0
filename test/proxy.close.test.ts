//
// Closes of a proxy connection, mirrored both ways with code and reason; an
// upstream that drops; frames the upstream sends after the client left.
//
import { describe, expect, it, vi } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { useUpstream } from './helpers/upstream.js';

const server = useMockServer();
const upstream = useUpstream();

describe('close mirroring', () => {
  it('the client closing closes the upstream with its code and reason', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/client-closes` } });
    const from = upstream.events.length;
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.ws.close(4001, 'client done');
    expect(await conn.waitForClose()).toEqual({ code: 4001, reason: 'client done', by: 'client' });
    expect(await upstream.waitForEvent((e) => e.event === 'close' && e.url === '/client-closes', from)).toMatchObject({ code: 4001, reason: 'client done' });
    await vi.waitFor(() => expect(conn.upstream!.closeInfo).toEqual({ code: 4001, reason: 'client done', by: 'server' }));
  });

  it('the upstream closing closes the client with its code and reason', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: upstream.url } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send('close:4002:upstream done');
    expect(await client.closed).toEqual({ code: 4002, reason: 'upstream done' });
    expect(await conn.waitForClose()).toEqual({ code: 4002, reason: 'upstream done', by: 'server' });
    expect(conn.upstream!.closeInfo).toEqual({ code: 4002, reason: 'upstream done', by: 'client' });
  });

  it('conn.close() closes the upstream the same way; conn.upstream.close() closes the client the same way', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/test-closes` } });
    const from = upstream.events.length;
    const first = await connect(mock.url);
    const firstConn = await mock.waitForConnection();
    await firstConn.close({ code: 4003, reason: 'test closed' });
    expect(await first.closed).toEqual({ code: 4003, reason: 'test closed' });
    expect(await upstream.waitForEvent((e) => e.event === 'close' && e.url === '/test-closes', from)).toMatchObject({ code: 4003, reason: 'test closed' });

    const second = await connect(mock.url);
    const secondConn = await mock.waitForConnection();
    expect(await secondConn.upstream!.close({ code: 4004, reason: 'upstream closed by test' })).toEqual({ code: 4004, reason: 'upstream closed by test', by: 'server' });
    expect(await second.closed).toEqual({ code: 4004, reason: 'upstream closed by test' });
  });

  it('a mock update closes client and upstream with 1012', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/updated` } });
    const from = upstream.events.length;
    const client = await connect(mock.url);
    await mock.waitForConnection();
    expect(await mock.update({ intercept: [{ match: { type: 'exact', value: 'x' }, noResponse: true }] })).toBe(1);
    expect((await client.closed).code).toBe(1012);
    expect(await upstream.waitForEvent((e) => e.event === 'close' && e.url === '/updated', from)).toMatchObject({ code: 1012, reason: 'mock updated' });
  });

  it('an upstream that drops closes the client with 1014 by default', async () => {
    const mock = server.websocket({ path: '/p', proxy: { url: upstream.url } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send('drop');
    expect(await client.closed).toEqual({ code: 1014, reason: 'upstream dropped' });
    expect(conn.upstream!.closeInfo).toEqual({ code: 1006, reason: '', by: 'network' });
    await expect(conn.upstream!.send('too late')).rejects.toMatchObject({ code: 'WSMOCK_ERR_CONNECTION_CLOSED' });
  });

  it('proxy.dropClose sets the close the client gets, or terminates it', async () => {
    const custom = server.websocket({ path: '/custom', proxy: { url: upstream.url, dropClose: { code: 4500, reason: 'backend gone' } } });
    const a = await connect(custom.url);
    await a.send('drop');
    expect(await a.closed).toEqual({ code: 4500, reason: 'backend gone' });

    const terminating = server.websocket({ path: '/terminate', proxy: { url: upstream.url, dropClose: 'terminate' } });
    const b = await connect(terminating.url);
    await b.send('drop');
    expect(await b.closed).toEqual({ code: 1006, reason: '' });
  });
});

describe('after the client left', () => {
  it('frames the upstream still sends are dropped and counted, never thrown', async () => {
    const errors: unknown[] = [];
    server.on('error', (error) => errors.push(error));
    const mock = server.websocket({ path: '/p', proxy: { url: upstream.url } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    // The connection stops being open at once; the upstream, asked after, still answers with three frames.
    const closing = conn.close({ code: 1000, reason: 'bye' });
    await conn.upstream!.send('push:3');
    await closing;
    await client.closed;
    await vi.waitFor(() => expect(server.stats().upstream.droppedAfterClose).toBe(3));
    expect(client.received).toEqual([]);
    expect(conn.messages.filter((m) => m.direction === 'out')).toEqual([]);
    expect(errors).toEqual([]);
    server.removeAllListeners('error');
  });
});
