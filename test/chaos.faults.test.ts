import { describe, expect, it } from 'vitest';
import type { ChaosFault, Connection, MockServer, WebSocketMock } from '../src/index.js';
import { connect, refusal, type TestClient } from './helpers/client.js';
import { failure, rejection } from './helpers/failures.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { useServers } from './helpers/server.js';

// Seeded chaos on frames and handshakes, against a real `ws` client.
const start = useServers();

/** A mock, a client on it and the server's side of the connection. */
async function open(server: MockServer, chaos?: Parameters<WebSocketMock['chaos']>[0]): Promise<{ mock: WebSocketMock; client: TestClient; conn: Connection }> {
  const mock = server.websocket('/feed', { echoMode: false, ...(chaos !== undefined ? { chaos } : {}) });
  const client = await connect(mock.url);
  const conn = await mock.waitForConnection();
  return { mock, client, conn };
}

/** Sends every frame, then `end` (which chaos leaves alone through `except`), and reads up to `end`. */
async function exchange(conn: Connection, client: TestClient, frames: (string | Buffer)[]): Promise<{ text: string; data: Buffer; binary: boolean }[]> {
  await Promise.all([...frames.map((f) => conn.send(f)), conn.send('end')]);
  const got: { text: string; data: Buffer; binary: boolean }[] = [];
  for (;;) {
    const frame = await client.frame();
    if (!frame.binary && frame.text === 'end') return got;
    got.push(frame);
  }
}

const END = { type: 'exact', value: 'end' } as const;
const kinds = (faults: ChaosFault[]) => faults.map((f) => f.kind);

describe('chaos on frames', () => {
  it('drop: 1 with only loses exactly the targeted messages', async () => {
    const server = await start({ seed: 1 });
    const { client, conn } = await open(server, { drop: 1, only: { type: 'json', path: '$.type', value: 'tick' } });
    const sent = Array.from({ length: 10 }, (_, i) => JSON.stringify(i % 2 ? { type: 'tick', i } : { type: 'news', i }));
    const got = await exchange(conn, client, sent);
    expect(got.map((f) => JSON.parse(f.text).i)).toEqual([0, 2, 4, 6, 8]);
    expect(conn.faults.map((f) => [f.kind, f.direction, f.frameIndex])).toEqual([1, 3, 5, 7, 9].map((i) => ['drop', 'out', i]));
    expect(server.stats().faults).toEqual({ drop: 5 });
  });

  it('reorder keeps every frame, each window a permutation of what was sent', async () => {
    const server = await start({ seed: 3 });
    const { client, conn } = await open(server, { reorder: { window: 4 }, except: END });
    const sent = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const got = (await exchange(conn, client, sent)).map((f) => f.text);
    for (let w = 0; w < 3; w++) expect([...got.slice(w * 4, w * 4 + 4)].sort()).toEqual([...sent.slice(w * 4, w * 4 + 4)].sort());
    expect(got).not.toEqual(sent);
    const reorders = conn.faults.filter((f) => f.kind === 'reorder');
    expect(reorders).toHaveLength(3);
    expect(reorders.map((f) => (f.detail.order as number[]).map((i) => `m${i}`))).toEqual([got.slice(0, 4), got.slice(4, 8), got.slice(8)]);
  });

  it('corrupt keeps a text frame valid UTF-8 (one character replaced) and flips one byte of a binary frame', async () => {
    const server = await start({ seed: 5 });
    const { client, conn } = await open(server, { corrupt: 1, except: END });
    const texts = Array.from({ length: 20 }, (_, i) => `héllo wörld ✓ 😀 ${i}`);
    const bytes = Buffer.from([0, 1, 2, 3, 250, 251, 252, 253]);
    const got = await exchange(conn, client, [...texts, bytes]);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    got.slice(0, 20).forEach((frame, i) => {
      const text = decoder.decode(frame.data);
      const before = Array.from(texts[i]!);
      const after = Array.from(text);
      expect(after).toHaveLength(before.length);
      expect(after.filter((c, k) => c !== before[k])).toHaveLength(1);
    });
    const binary = got[20]!;
    expect(binary.binary).toBe(true);
    expect([...binary.data].filter((b, k) => b !== bytes[k])).toHaveLength(1);
    expect(kinds(conn.faults)).toEqual(Array(21).fill('corrupt'));
  });

  it('truncate cuts a frame short, keeping its start', async () => {
    const server = await start({ seed: 7 });
    const { client, conn } = await open(server, { truncate: 1, except: END });
    const sent = Array.from({ length: 10 }, (_, i) => `abcdefghij-${i}`);
    const got = await exchange(conn, client, sent);
    got.forEach((frame, i) => {
      expect(frame.text.length).toBeLessThan(sent[i]!.length);
      expect(sent[i]!.startsWith(frame.text)).toBe(true);
    });
    expect(conn.faults.map((f) => f.detail.to)).toEqual(got.map((f) => f.text.length));
  });

  it('duplicate delivers a frame twice', async () => {
    const server = await start({ seed: 9 });
    const { client, conn } = await open(server, { duplicate: 1, except: END });
    const got = await exchange(conn, client, ['a', 'b', 'c']);
    expect(got.map((f) => f.text)).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });

  it('delay with a jitter range holds each frame within the range and keeps their order', async () => {
    const server = await start({ seed: 11 });
    const { client, conn } = await open(server, { delay: { min: '2ms', max: 12 } });
    const sent = Array.from({ length: 10 }, (_, i) => `d${i}`);
    const got = await exchange(conn, client, sent);
    expect(got.map((f) => f.text)).toEqual(sent);
    const delays = conn.faults.filter((f) => f.kind === 'delay');
    expect(delays).toHaveLength(11);
    for (const f of delays) expect(f.detail.ms).toBeGreaterThanOrEqual(2), expect(f.detail.ms).toBeLessThanOrEqual(12);
    expect(new Set(delays.map((f) => f.detail.ms)).size).toBeGreaterThan(1);
  });

  it('direction in: the mock’s stages do not see a dropped client frame; the journal still has it', async () => {
    const server = await start({ seed: 13 });
    const mock = server.websocket('/echo', { chaos: { direction: 'in', drop: 1, only: { type: 'exact', value: 'lost' } } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('lost');
    client.send('kept');
    expect(await client.next()).toBe('kept');
    expect(conn.received.map((m) => m.text)).toEqual(['lost', 'kept']);
    expect(conn.faults.map((f) => [f.kind, f.direction, f.frameIndex])).toEqual([['drop', 'in', 0]]);
  });

  it('direction in: the stages see a truncated or delayed client frame; the journal keeps what arrived', async () => {
    const server = await start({ seed: 14 });
    const mock = server.websocket('/echo', { chaos: { direction: 'in', truncate: 1, delay: { min: 1, max: 5 } } });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('abcdefgh');
    const echoed = await client.next();
    expect('abcdefgh'.startsWith(echoed) && echoed.length < 8).toBe(true);
    expect(conn.received.map((m) => m.text)).toEqual(['abcdefgh']);
    expect(conn.faults.map((f) => [f.kind, f.direction])).toEqual([['truncate', 'in'], ['delay', 'in']]);
  });

  it('drops delayed frames when the connection closes: their send() rejects, no timer is left', async () => {
    const server = await start({ seed: 18 });
    const { client, conn } = await open(server, { delay: '10s' });
    const pending = rejection(conn.send('late'));
    await client.close();
    expect((await pending).code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
  });

  it('keeps the newest journal.limit faults on a connection', async () => {
    const server = await start({ seed: 16, journal: { limit: 3 } });
    const { client, conn } = await open(server, { duplicate: 1, except: END });
    await exchange(conn, client, ['1', '2', '3', '4', '5']);
    expect(conn.faults.map((f) => f.frameIndex)).toEqual([2, 3, 4]);
    expect(server.stats().faults).toEqual({ duplicate: 5 });
  });

  it('disconnects after a number of frames, with a close code or abruptly (no close frame: 1006)', async () => {
    const server = await start({ seed: 15 });
    const polite = server.websocket('/polite', { chaos: { disconnect: { afterFrames: 2, mode: { code: 4000, reason: 'chaos' } } } });
    const a = await connect(polite.url);
    const aConn = await polite.waitForConnection();
    void aConn.send('1').catch(() => {});
    void aConn.send('2').catch(() => {});
    expect(await a.closed).toEqual({ code: 4000, reason: 'chaos' });
    expect(a.received.map((f) => f.text)).toEqual(['1', '2']);

    const rude = server.websocket('/rude', { chaos: { disconnect: { afterFrames: 1, mode: 'abrupt' } } });
    const b = await connect(rude.url);
    const bConn = await rude.waitForConnection();
    await bConn.send('1');
    expect((await b.closed).code).toBe(1006);
    expect((await bConn.waitForClose()).code).toBe(1006);
    expect(kinds(bConn.faults)).toEqual(['disconnect']);
  });

  it('disconnects after a time from the open', async () => {
    const server = await start({ seed: 17 });
    const mock = server.websocket('/timed', { chaos: { disconnect: { afterMs: 5, mode: 'abrupt' } } });
    const client = await connect(mock.url);
    expect((await client.closed).code).toBe(1006);
    const conn = (await mock.waitForConnection());
    expect(conn.faults.map((f) => [f.kind, f.detail.cause])).toEqual([['disconnect', 'afterMs']]);
  });
});

describe('chaos on handshakes', () => {
  it('refuses the first n handshakes with 503 (or the status given), then accepts', async () => {
    const server = await start({ seed: 19 });
    const events: string[] = [];
    server.on('chaos', (e) => events.push(`${e.kind}:${e.mockId}`));
    const mock = server.websocket('/r', { id: 'r', chaos: { refuse: { first: 2 } } });
    expect((await refusal(mock.url)).status).toBe(503);
    expect((await refusal(mock.url)).body).toMatchObject({ error: 'chaos_refused', status: 503 });
    await connect(mock.url);
    expect(events).toEqual(['refuse:r', 'refuse:r']);
    expect(server.stats()).toMatchObject({ rejectedConnections: 2, faults: { refuse: 2 } });
    mock.chaos({ refuse: { first: 1, status: 429 } });
    expect((await refusal(mock.url)).status).toBe(429);
  });

  it('refuses with a probability drawn from the seed: the same handshakes refused every run', async () => {
    const run = async () => {
      const server = await start({ seed: 21 });
      const mock = server.websocket('/p', { chaos: { refuse: { probability: 0.5 } } });
      const outcome: string[] = [];
      for (let i = 0; i < 12; i++) {
        const client = await connect(mock.url).catch(() => undefined);
        outcome.push(client ? 'ok' : 'refused');
        await client?.close();
      }
      return outcome;
    };
    const first = await run();
    expect(first).toContain('ok');
    expect(first).toContain('refused');
    expect(await run()).toEqual(first);
  });

  it('holds a handshake for handshakeDelay', async () => {
    const server = await start({ seed: 23 });
    const faults: ChaosFault[] = [];
    server.on('chaos', (e) => faults.push(e));
    const mock = server.websocket('/slow', { chaos: { handshakeDelay: { min: 1, max: 10 } } });
    await connect(mock.url);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ kind: 'handshakeDelay', direction: 'handshake', frameIndex: null });
    expect(faults[0]!.detail.ms).toBeGreaterThanOrEqual(1);
  });
});

describe('chaos at run time', () => {
  it('mock.chaos() applies to the next frame without closing the client; null turns it off', async () => {
    const server = await start({ seed: 25 });
    const { mock, client, conn } = await open(server);
    await conn.send('a');
    expect(await client.next()).toBe('a');
    mock.chaos({ drop: 1 });
    await conn.send('b');
    mock.chaos(null);
    await conn.send('c');
    expect(await client.next()).toBe('c');
    expect(conn.isOpen).toBe(true);
    expect(client.received.map((f) => f.text)).toEqual(['a', 'c']);
    expect(mock.toJSON().websocket.chaos).toBeNull();
  });

  it('server.chaos() is every mock’s default; a mock’s own keys win and its null opts out', async () => {
    const server = await start({ seed: 27 });
    const plain = await open(server);
    const optedOut = server.websocket('/out', { echoMode: false, chaos: null });
    const outClient = await connect(optedOut.url);
    const outConn = await optedOut.waitForConnection();
    server.chaos({ drop: 1, except: END });
    expect(server.chaosOptions).toEqual({ drop: 1, except: END });
    expect(await exchange(plain.conn, plain.client, ['x', 'y'])).toEqual([]);
    await outConn.send('kept');
    expect(await outClient.next()).toBe('kept');
    plain.mock.chaos({ drop: 0 });
    expect((await exchange(plain.conn, plain.client, ['z'])).map((f) => f.text)).toEqual(['z']);
    server.chaos(null);
    expect(server.chaosOptions).toBeNull();
  });

  it('reaches a protocol kit’s mock through the server default, and reset() goes back to the created default', async () => {
    const server = await start({ seed: 29, chaos: { duplicate: 1 } });
    const rpc = server.jsonrpc('/rpc', { methods: { add: { result: '{{params[0]}}' } } });
    const client = await connect(rpc.url);
    client.send({ jsonrpc: '2.0', id: 1, method: 'add', params: [5] });
    expect(await client.nextJson()).toEqual({ jsonrpc: '2.0', id: 1, result: 5 });
    expect(await client.nextJson()).toEqual({ jsonrpc: '2.0', id: 1, result: 5 });
    server.chaos({ drop: 1 });
    await server.reset();
    expect(server.chaosOptions).toEqual({ duplicate: 1 });
  });

  it('update() with another chaos recompiles and closes the clients like any update', async () => {
    const server = await start({ seed: 31 });
    const { mock, client, conn } = await open(server, { drop: 1 });
    await mock.update({ chaos: null });
    expect((await client.closed).code).toBe(1012);
    expect(conn.isOpen).toBe(false);
    const again = await connect(mock.url);
    const next = await mock.waitForConnection();
    await next.send('through');
    expect(await again.next()).toBe('through');
  });

  it('ends matcher failures with the seed while chaos is on', async () => {
    expect.extend(wsmockMatchers);
    const server = await start({ seed: 77 });
    const { mock, client, conn } = await open(server, { drop: 0 });
    client.send('hello');
    const note = 'chaos seed 77 (createMockServer({ seed: 77 }) replays it)';
    expect(await failure(expect(conn).toReceiveMessage('bye'))).toMatch(new RegExp(`${note.replace(/[()[\]{}.]/g, '\\$&')}$`));
    expect(await failure(expect(mock).toHaveConnections(3, { timeout: 20 }))).toContain(note);
    expect(await failure(() => expect(server).toHaveConnections(2, { timeout: 20 }))).toContain(note);
    mock.chaos(null);
    client.send('again');
    expect(await failure(expect(conn).toReceiveMessage('bye'))).not.toContain('chaos seed');
  });

  it('ends every wait failure with the seed while chaos is on', async () => {
    const server = await start({ seed: 1234, chaos: { drop: 0 } });
    const { conn } = await open(server);
    const err = await rejection(conn.waitForMessage(undefined, { timeout: 20 }));
    expect(err.message).toMatch(/chaos seed 1234 \(createMockServer\(\{ seed: 1234 \}\) replays it\)$/);
    server.chaos(null);
    const quiet = await rejection(conn.waitForMessage(undefined, { timeout: 20 }));
    expect(quiet.message).not.toContain('chaos seed');
  });
});

describe('chaos options', () => {
  it.each([
    [{ drop: 1.5 }, 'chaos.drop', 'probability'],
    [{ disconnect: { probability: -0.1, mode: 'abrupt' } }, 'chaos.disconnect.probability', 'probability'],
    [{ reorder: { window: 1 } }, 'chaos.reorder.window', '2 or more'],
    [{ delay: { min: 20, max: 10 } }, 'chaos.delay', 'min'],
    [{ dorp: 0.1 }, 'chaos.dorp', 'not a known field'],
    [{ refuse: { status: 200 } }, 'chaos.refuse.status', '400'],
  ])('refuses %j naming the field', async (chaos, field, words) => {
    const server = await start();
    let err: any;
    try {
      server.websocket('/bad', { chaos: chaos as never });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(err.issues.map((i: { path: string }) => i.path).join(' ')).toContain(field);
    expect(err.message).toContain(words);
  });

  it('leaves the running chaos unchanged after bad input', async () => {
    const server = await start({ chaos: { drop: 0.5 } });
    expect(() => server.chaos({ drop: 2 })).toThrow(/drop/);
    expect(server.chaosOptions).toEqual({ drop: 0.5 });
    const mock = server.websocket('/m', { chaos: { duplicate: 0.1 } });
    expect(() => mock.chaos({ reorder: { window: 0 } })).toThrow(/reorder\.window/);
    expect(mock.config.chaos).toEqual({ duplicate: 0.1 });
    await expect(start({ chaos: { truncate: -1 } })).rejects.toThrow(/chaos\.truncate/);
  });
});
