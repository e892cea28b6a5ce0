//
// SSE under requests it did not ask for and clients that misbehave: methods
// other than GET (405 with Allow), any Accept header, CORS for pages of other
// origins, a client that leaves in the middle of an event, and the timers of
// keep-alive, loop and interval (on the real clock).
//
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { WsMockErrorCode } from '../src/index.js';
import { useMockServer } from './helpers/server.js';
import { closeSseClients, RawStream, SseClient } from './helpers/sse.js';
import { rejection } from './helpers/failures.js';

const server = useMockServer();
afterEach(() => closeSseClients());

describe('requests', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s on an SSE path is 405 with Allow, and opens no stream', async (method) => {
    const feed = server.sse('/feed');
    const res = await fetch(feed.httpUrl, { method, body: method === 'DELETE' ? undefined : '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await res.json()).toEqual({ error: 'method_not_allowed', method, path: '/feed', allow: ['GET', 'HEAD', 'OPTIONS'] });
    expect(server.stats().totalConnections).toBe(0);
  });

  it('serves the stream whatever Accept says (none, */*, application/json)', async () => {
    const feed = server.sse('/feed', { events: [{ data: 'x' }] });
    for (const headers of [{}, { accept: '*/*' }, { accept: 'application/json' }] as Record<string, string>[]) {
      const raw = new RawStream(feed.httpUrl, { headers });
      await raw.contains('data: x\n\n');
      expect(raw.status).toBe(200);
      expect(raw.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(raw.headers['cache-control']).toBe('no-cache, no-transform');
    }
    expect(await feed.waitForConnectionCount(3)).toHaveLength(3);
  });

  it('allows any origin by default, one origin with credentials when configured, none with cors: false', async () => {
    const open = server.sse('/open', { headers: { 'x-feed': 'yes' } });
    const one = server.sse('/one', { cors: 'http://app.test' });
    const none = server.sse('/none', { cors: false });
    const origin = { origin: 'http://app.test' };
    const a = new RawStream(open.httpUrl, { headers: origin });
    const b = new RawStream(one.httpUrl, { headers: origin });
    const c = new RawStream(none.httpUrl, { headers: origin });
    await Promise.all([a.responded(), b.responded(), c.responded()]);
    expect(a.headers['access-control-allow-origin']).toBe('*');
    expect(a.headers['x-feed']).toBe('yes');
    expect(b.headers['access-control-allow-origin']).toBe('http://app.test');
    expect(b.headers['access-control-allow-credentials']).toBe('true');
    expect(c.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await fetch(open.httpUrl, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'last-event-id' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('last-event-id');
    expect(server.stats().totalConnections).toBe(3);
  });
});

describe('clients that leave', () => {
  it('a client that disconnects in the middle of an event is cleaned up and counted as a close; the others go on', async () => {
    const feed = server.sse('/feed');
    const leaving = new RawStream(feed.httpUrl);
    const staying = new SseClient(feed.httpUrl);
    const [first, second] = await feed.waitForConnectionCount(2);
    const conn = first!.headers['user-agent'] === undefined ? first! : second!;
    const other = conn === first ? second! : first!;
    // An event far larger than a socket buffer: the client leaves after its first bytes.
    const big = 'x'.repeat(8 * 1024 * 1024);
    // Handled at once: the write may fail while the client leaves (or finish into the socket buffers).
    const sending = conn.send(big).catch(() => undefined);
    await leaving.contains('data: xxxx');
    leaving.close();
    await expect(conn.waitForClose()).resolves.toEqual({ code: 1001, reason: '', by: 'client' });
    await sending;
    expect(leaving.text.length).toBeLessThan(big.length);
    expect((await rejection(conn.send('after'))).code).toBe(WsMockErrorCode.CONNECTION_CLOSED);
    expect(feed.connections).toEqual([other]);
    expect(server.stats()).toMatchObject({ activeConnections: 1, totalConnections: 2 });
    await other.send('still here');
    expect((await staying.next()).data).toBe('still here');
  });
});

describe('timers (real clock)', () => {
  it('keepAlive writes a comment on each open stream, and stops with the stream', async () => {
    const feed = server.sse('/feed', { keepAlive: 20 });
    const a = new RawStream(feed.httpUrl);
    await a.contains(': keep-alive\n\n: keep-alive\n\n');
    const [conn] = feed.connections;
    expect(conn!.events.filter((e) => e.comment === 'keep-alive').length).toBeGreaterThanOrEqual(2);
    await conn!.close();
    const count = conn!.events.length;
    // Time passes (a second stream gets two keep-alives of its own); the closed one writes no more.
    const b = new RawStream(feed.httpUrl);
    await b.contains(': keep-alive\n\n: keep-alive\n\n');
    expect(conn!.events.length).toBe(count);
  });

  it('loop sends the events over and over, interval apart; delay overrides interval for its event', async () => {
    const feed = server.sse('/ticks', {
      loop: true,
      interval: 25,
      events: [
        { event: 'tick', data: '{{sequence}}' },
        { event: 'tock', data: '{{sequence}}', delay: 60 },
      ],
    });
    const client = new SseClient(feed.httpUrl, ['tick', 'tock']);
    const got = await client.take(5);
    expect(got.map((e) => `${e.type} ${e.data}`)).toEqual(['tick 1', 'tock 2', 'tick 3', 'tock 4', 'tick 5']);
    const [conn] = feed.connections;
    const at = conn!.events.map((e) => e.at.getTime());
    const gaps = at.slice(1, 5).map((t, i) => t - at[i]!);
    // Timers never fire early (1 ms of rounding aside); under load they may fire late.
    expect(gaps[0]).toBeGreaterThanOrEqual(59);
    expect(gaps[1]).toBeGreaterThanOrEqual(24);
    expect(gaps[2]).toBeGreaterThanOrEqual(59);
    expect(gaps[3]).toBeGreaterThanOrEqual(24);
    await conn!.close();
    await expect(conn!.send('x')).rejects.toMatchObject({ code: WsMockErrorCode.CONNECTION_CLOSED });
  });

  it('onConnection may be async: the configured events wait for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const feed = server.sse('/feed', {
      onConnection: async (conn) => {
        await conn.send('from onConnection');
        await gate;
      },
      events: [{ data: 'configured' }],
    });
    const client = new SseClient(feed.httpUrl);
    expect((await client.next()).data).toBe('from onConnection');
    release();
    expect((await client.next()).data).toBe('configured');
  });

  it('server.close() ends every stream and releases its timers', async () => {
    const { createMockServer } = await import('../src/index.js');
    const own = await createMockServer();
    const feed = own.sse('/feed', { keepAlive: 10, loop: true, interval: 10, events: [{ data: 'x' }] });
    const raw = new RawStream(feed.httpUrl);
    await raw.contains('data: x\n\n');
    const [conn] = feed.connections;
    await own.close();
    await raw.end();
    expect(conn!.closeInfo).toEqual({ code: 1001, reason: 'server shutdown', by: 'server' });
  });

  it('a child process with an SSE stream (keep-alive, loop) exits by itself after server.close()', async () => {
    const script = fileURLToPath(new URL('./fixtures/sse-exits-by-itself.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
    // No explicit exit in the script: a timer or socket left behind would hit the timeout.
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, script], { timeout: 10_000 });
    expect(stdout.trim().split('\n')).toEqual(['starts with retry: true', 'stream ended', 'server closed']);
  });
});
