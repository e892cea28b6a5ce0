//
// Faults: clients that vanish at the worst moment, shutdowns and updates under
// full load, sends racing closes, user code that throws, and a port taken
// again the moment it is freed. Each case asserts exact codes and counts.
//
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer, type WsMockError } from '../../src/index.js';
import { connect, type TestClient } from '../helpers/client.js';
import { LoadProcess, split } from './helpers/loadProcess.js';
import { seededRandom, suiteSeed } from './helpers/random.js';
import { clientFrame, drop, rawWebSocket, tcp, upgradeRequest } from './helpers/raw.js';

let server: MockServer;
let errors: Error[];
const clients: TestClient[] = [];
const children: LoadProcess[] = [];

beforeEach(async () => {
  server = await createMockServer();
  errors = [];
  server.on('error', (error) => errors.push(error));
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.close();
});

async function client(url: string): Promise<TestClient> {
  const c = await connect(url);
  clients.push(c);
  return c;
}

describe('clients that drop TCP', () => {
  it('mid-frame: each is closed with 1006, nothing is journaled, other connections are unaffected', async () => {
    const mock = server.websocket('/echo');
    const bystander = await client(mock.url);
    await mock.waitForConnection();
    const payload = Buffer.from('x'.repeat(300));
    const frame = clientFrame(0x1, payload);
    const cuts: Record<string, Buffer> = {
      'first header byte': frame.subarray(0, 1),
      'header without mask': frame.subarray(0, 4),
      'half the payload': frame.subarray(0, 100),
      'all but the last byte': frame.subarray(0, frame.length - 1),
      'a 64-bit length cut short': clientFrame(0x2, Buffer.alloc(70_000)).subarray(0, 6),
      'a first fragment, then nothing': clientFrame(0x1, Buffer.from('part'), false),
      'a first fragment and half a continuation': Buffer.concat([clientFrame(0x1, Buffer.from('part'), false), clientFrame(0x0, payload).subarray(0, 50)]),
    };
    const closes: Record<string, number> = {};
    for (const [name, bytes] of Object.entries(cuts)) {
      const socket = await rawWebSocket(server.port, '/echo');
      const conn = await mock.waitForConnection();
      const written = new Promise<void>((resolve) => socket.write(bytes, () => resolve()));
      await written;
      await drop(socket);
      closes[name] = (await conn.waitForClose({ timeout: 10_000 })).code;
      expect(conn.received).toEqual([]);
      bystander.send(`after ${name}`);
      expect(await bystander.next()).toBe(`after ${name}`);
    }
    expect(Object.values(closes)).toEqual(Object.keys(cuts).map(() => 1006));
    expect(server.stats()).toMatchObject({
      totalConnections: 1 + Object.keys(cuts).length,
      activeConnections: 1,
      totalMessagesRecv: Object.keys(cuts).length,
      totalMessagesSent: Object.keys(cuts).length,
    });
    expect(errors).toEqual([]);
  });

  it('mid-handshake: nothing is accepted or counted, and the server keeps serving', async () => {
    const mock = server.websocket('/echo');
    const held = server.websocket('/held', { handshake: { delay: '1h' } });
    const request = upgradeRequest(server.port, '/echo');
    const cuts: [string, Buffer][] = [
      ['half a request line', request.subarray(0, 8)],
      ['headers without the blank line', request.subarray(0, request.length - 2)],
      ['a handshake held by handshake.delay', upgradeRequest(server.port, held.path)],
    ];
    for (const [, bytes] of cuts) {
      const socket = await tcp(server.port);
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.write(bytes, () => resolve()));
      await drop(socket);
    }
    // A full request dropped before reading the 101: accepted or not, it must end closed.
    for (let i = 0; i < 20; i++) {
      const socket = await tcp(server.port);
      socket.on('error', () => {});
      socket.write(request);
      socket.destroy();
    }
    await vi.waitFor(() => expect(server.stats().activeConnections).toBe(0), { timeout: 10_000 });
    const accepted = server.stats().totalConnections;
    expect(accepted).toBeLessThanOrEqual(20);

    const c = await client(mock.url);
    c.send('still serving');
    expect(await c.next()).toBe('still serving');
    expect(server.stats()).toMatchObject({ totalConnections: accepted + 1, activeConnections: 1, rejectedConnections: 0 });
    expect(errors).toEqual([]);
  });

  it('mid-scenario: timers and queued replies stop, no frame is sent after the drop, no failure is reported', async () => {
    const failed: unknown[] = [];
    server.on('scenario:failed', (_c, info) => failed.push(info));
    const mock = server.websocket('/script', {
      scenario: {
        steps: [
          { type: 'send', message: { type: 'text', value: 'hello' } },
          { type: 'wait', match: { type: 'exact', value: 'go' }, timeout: 300 },
          { type: 'send', message: { type: 'text', value: 'later' }, },
          { type: 'delay', duration: '1h' },
          { type: 'send', message: { type: 'text', value: 'never' } },
        ],
      },
      matchers: [{ match: { type: 'exact', value: 'slow' }, response: { type: 'text', value: 'slow reply', delay: '1h' } }],
    });
    const sentAfterClose: string[] = [];
    server.on('sent', (conn, message) => {
      if (!conn.isOpen) sentAfterClose.push(`${conn.id}: ${message.text}`);
    });

    // Dropped while the scenario waits for "go" (its 300 ms timeout must not fire a failure).
    const waiting = await rawWebSocket(server.port, '/script');
    const first = await mock.waitForConnection();
    await vi.waitFor(() => expect(first.info.scenario?.status).toBe('waiting'));
    await drop(waiting);
    expect((await first.waitForClose({ timeout: 10_000 })).code).toBe(1006);

    // Dropped during the hour-long delay, with a delayed reply queued.
    const pausing = await client(mock.url);
    const second = await mock.waitForConnection();
    expect(await pausing.next()).toBe('hello');
    pausing.send('go');
    expect(await pausing.next()).toBe('later');
    // Replies share the connection's ordered outbox: this one would hold up
    // anything after it for an hour.
    pausing.send('slow');
    await second.waitForMessage({ type: 'exact', value: 'slow' });
    await vi.waitFor(() => expect(second.info.scenario).toMatchObject({ step: 3, status: 'running' }));
    pausing.ws.terminate();
    expect((await second.waitForClose({ timeout: 10_000 })).code).toBe(1006);

    // Outlive the first connection's wait timeout, on events: a third client's
    // own wait times out and fails, which proves the timer ran meanwhile.
    const third = await client(mock.url);
    expect(await third.next()).toBe('hello');
    await vi.waitFor(() => expect(failed).toHaveLength(1), { timeout: 10_000 });
    expect(failed).toEqual([expect.objectContaining({ status: 'failed', step: 1 })]);
    expect(first.info.scenario).toMatchObject({ status: 'waiting' });
    expect(sentAfterClose).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('shutdown and update under full load', () => {
  async function floodOf(url: string, total: number) {
    const counts = split(total, 2);
    for (const count of counts) children.push(new LoadProcess());
    await Promise.all(children.map((child, i) => child.open(url, counts[i]!, `p${i}`)));
    const closed = Promise.all((await Promise.all(children.map((child) => child.flood()))).map((f) => f.closed));
    // Full load: frames are pouring in on every connection.
    await new Promise<void>((resolve) => {
      const onMessage = () => {
        if (server.stats().totalMessagesRecv < 20_000) return;
        server.off('message', onMessage);
        resolve();
      };
      server.on('message', onMessage);
    });
    // Wrapped: returning the promise itself would make the caller await the closes.
    return { closed };
  }

  function merge(results: { codes: Record<string, number>; reasons: Record<string, number> }[]) {
    const codes: Record<string, number> = {};
    const reasons: Record<string, number> = {};
    for (const r of results) {
      for (const [k, v] of Object.entries(r.codes)) codes[k] = (codes[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
    }
    return { codes, reasons };
  }

  it('server.close() gives all 1,000 clients 1001 "server shutdown" and resolves', async () => {
    const mock = server.websocket('/load');
    const { closed } = await floodOf(mock.url, 1_000);
    await server.close();
    expect(server.state).toBe('closed');
    expect(merge(await closed)).toEqual({ codes: { 1001: 1_000 }, reasons: { 'server shutdown': 1_000 } });
    expect(server.stats().activeConnections).toBe(0);
    const exits = await Promise.all(children.map((child) => child.stop()));
    expect(exits).toEqual(children.map(() => ({ code: 0, signal: null })));
  });

  it('mock.update() closes all 1,000 clients with 1012 "mock updated" and resolves with 1,000', async () => {
    const mock = server.websocket('/load');
    const { closed } = await floodOf(mock.url, 1_000);
    expect(await mock.update({ echoMode: false })).toBe(1_000);
    expect(merge(await closed)).toEqual({ codes: { 1012: 1_000 }, reasons: { 'mock updated': 1_000 } });
    expect(server.stats()).toMatchObject({ activeConnections: 0, totalConnections: 1_000 });
    // Frames that arrive while a connection closes are counted but not echoed.
    const stats = server.stats();
    expect(stats.totalMessagesSent).toBeLessThanOrEqual(stats.totalMessagesRecv);
    const exits = await Promise.all(children.map((child) => child.stop()));
    expect(exits).toEqual(children.map(() => ({ code: 0, signal: null })));
  });
});

describe('sends racing a close', () => {
  it('every send settles: those before close() resolve, those after reject WSMOCK_ERR_CONNECTION_CLOSED', async () => {
    const mock = server.websocket('/race', { echoMode: false });
    const count = 100;
    const opened = await Promise.all(Array.from({ length: count }, () => client(mock.url)));
    const conns = await Promise.all(opened.map(() => mock.waitForConnection()));
    const outcomes = await Promise.all(
      conns.map(async (conn, i) => {
        const before = Array.from({ length: 5 }, (_, k) => conn.send(`before ${k}`));
        const closing = conn.close({ code: 4000 + (i % 10), reason: 'race' });
        const after = Array.from({ length: 5 }, (_, k) => conn.send(`after ${k}`));
        const settled = await Promise.allSettled([...before, ...after]);
        await closing;
        return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as WsMockError).code));
      }),
    );
    const expected = [...Array(5).fill('ok'), ...Array(5).fill('WSMOCK_ERR_CONNECTION_CLOSED')];
    expect(outcomes).toEqual(conns.map(() => expected));
    const codes = await Promise.all(opened.map((c) => c.closed));
    expect(codes).toEqual(opened.map((_, i) => ({ code: 4000 + (i % 10), reason: 'race' })));
    expect(opened.map((c) => c.received.length)).toEqual(opened.map(() => 5));
    expect(server.stats()).toMatchObject({ activeConnections: 0, totalMessagesSent: count * 5 });
  });

  it('sends racing a client-initiated close settle, and the frames counted as sent are the ones that resolved', async () => {
    const mock = server.websocket('/race', { echoMode: false });
    const count = 100;
    const opened = await Promise.all(Array.from({ length: count }, () => client(mock.url)));
    const conns = await Promise.all(opened.map(() => mock.waitForConnection()));
    // The client closes; the server keeps sending until its close event.
    const results = await Promise.all(
      conns.map(async (conn, i) => {
        opened[i]!.ws.close(1000, 'client leaves');
        const sends: Promise<void>[] = [];
        await new Promise<void>((resolve) => {
          const pump = () => {
            if (conn.readyState >= 2 || sends.length >= 1000) return resolve();
            sends.push(conn.send(`frame ${sends.length}`));
            setImmediate(pump);
          };
          pump();
        });
        const settled = await Promise.allSettled(sends);
        await conn.waitForClose({ timeout: 10_000 });
        const bad = settled.filter((s) => s.status === 'rejected' && (s.reason as WsMockError).code !== 'WSMOCK_ERR_CONNECTION_CLOSED');
        return { resolved: settled.filter((s) => s.status === 'fulfilled').length, bad: bad.length, sentCount: conn.info.messagesSent, code: conn.closeInfo?.code };
      }),
    );
    expect(results.filter((r) => r.bad > 0 || r.sentCount !== r.resolved || r.code !== 1000)).toEqual([]);
    expect(server.stats().totalMessagesSent).toBe(results.reduce((n, r) => n + r.resolved, 0));
  });
});

describe('user code that throws', () => {
  it('a respond that throws (sync) or rejects (async) for a seeded 10% of frames: exactly those are reported, the rest answered in order', async () => {
    const seed = suiteSeed(0x5eed);
    const random = seededRandom(seed);
    const frames = 1_000;
    const failing = new Set<number>();
    for (let n = 0; n < frames; n++) if (random() < 0.1) failing.add(n);
    const mock = server.websocket('/flaky', {
      id: 'flaky',
      matchers: [
        {
          match: { type: 'regex', value: '^\\d+$' },
          respond: (msg) => {
            const n = Number(msg.text);
            if (!failing.has(n)) return n % 2 === 0 ? `ok ${n}` : Promise.resolve(`ok ${n}`);
            if (n % 2 === 0) throw new Error(`sync ${n}`);
            return Promise.reject(new Error(`async ${n}`));
          },
        },
        { match: { type: 'exact', value: 'end' }, response: { type: 'text', value: 'end' } },
      ],
    });
    const c = await client(mock.url);
    for (let n = 0; n < frames; n++) c.send(String(n));
    c.send('end');
    const replies: string[] = [];
    for (let reply = await c.next(); reply !== 'end'; reply = await c.next()) replies.push(reply);
    const expected = [...Array(frames).keys()].filter((n) => !failing.has(n)).map((n) => `ok ${n}`);
    expect(replies, `seed ${seed}`).toEqual(expected);
    await vi.waitFor(() => expect(errors).toHaveLength(failing.size));
    expect(errors.map((e) => Number(e.message.split(' ')[1])).sort((a, b) => a - b), `seed ${seed}`).toEqual([...failing]);
    expect(failing.size).toBeGreaterThan(50);
    expect(server.stats()).toMatchObject({ totalMessagesRecv: frames + 1, totalMessagesSent: expected.length + 1, activeConnections: 1 });
  });
});

describe('port reuse', () => {
  it('the same port is taken again right after close(), 25 times, with clients connected at each close', async () => {
    await server.close();
    let port = 0;
    for (let round = 0; round < 25; round++) {
      server = await createMockServer({ port });
      if (port === 0) port = server.port;
      expect(server.port).toBe(port);
      const mock = server.websocket('/echo');
      const round_clients = await Promise.all([1, 2, 3].map(() => connect(mock.url)));
      round_clients[0]!.send(`round ${round}`);
      expect(await round_clients[0]!.next()).toBe(`round ${round}`);
      await server.close();
      expect(await Promise.all(round_clients.map((c) => c.closed))).toEqual([1, 2, 3].map(() => ({ code: 1001, reason: 'server shutdown' })));
    }
  });
});
