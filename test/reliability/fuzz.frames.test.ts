//
// Fuzzing the mock port: random sequences of frames (text, JSON, binary,
// invalid UTF-8, oversize, empty, deeply nested) against a mock that uses
// every matcher type. The server must never crash, a bystander connection
// must never notice, and every counter must add up to the frames accepted.
//
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer, type WebSocketMock } from '../../src/index.js';
import { connect, type TestClient } from '../helpers/client.js';
import { suiteSeed } from './helpers/random.js';

const MAX = 16 * 1024;
const RUNS = 150;

type Frame =
  | { kind: 'text'; data: string }
  | { kind: 'binary'; data: Uint8Array }
  | { kind: 'invalid-utf8'; data: Buffer }
  | { kind: 'huge'; size: number; binary: boolean };

const text = (data: string): Frame => ({ kind: 'text', data });
const nested = (depth: number, open: string, close: string, inner = '1') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map(text),
  fc.json({ maxDepth: 4 }).map(text),
  fc.constantFrom('PING', 'join', '{"type":"join","room":"a"}', '{"type":"sub","items":[{"n":1},{"n":5}]}', '{"a":{"b":"c"}}', 'cmd:x', 'x.end', '').map(text),
  fc.record({ kind: fc.constant('binary' as const), data: fc.uint8Array({ maxLength: 300 }) }),
  fc
    .tuple(fc.uint8Array({ maxLength: 20 }), fc.constantFrom(0xff, 0xc0, 0xed), fc.uint8Array({ maxLength: 20 }))
    .map(([a, bad, b]) => ({ kind: 'invalid-utf8' as const, data: Buffer.concat([Buffer.from(a), Buffer.from([bad, 0xff]), Buffer.from(b)]) })),
  fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: MAX + 1, max: MAX * 4 }), binary: fc.boolean() }),
  // Nesting deep enough to overflow a recursive walker, still under maxMessageSize.
  fc.integer({ min: 500, max: 3_000 }).map((d) => text(nested(d, '[', ']'))),
  fc.integer({ min: 500, max: 2_000 }).map((d) => text(nested(d, '{"n":', '}'))),
);

/** What the server must do with a frame: count it, or close the connection with a code. */
function expectation(frame: Frame): { accepted: true; size: number } | { accepted: false; code: number } {
  switch (frame.kind) {
    case 'text':
      return { accepted: true, size: Buffer.byteLength(frame.data) };
    case 'binary':
      return { accepted: true, size: frame.data.length };
    case 'invalid-utf8':
      return { accepted: false, code: 1007 };
    case 'huge':
      return { accepted: false, code: 1009 };
  }
}

function sendFrame(ws: WebSocket, frame: Frame): void {
  switch (frame.kind) {
    case 'text':
      return ws.send(frame.data);
    case 'binary':
      return ws.send(frame.data, { binary: true });
    case 'invalid-utf8':
      // ws validates UTF-8 only on receipt, so a client may send anything.
      return ws.send(frame.data, { binary: false });
    case 'huge':
      return ws.send(Buffer.alloc(frame.size, 0x61), { binary: frame.binary });
  }
}

/** Reads frames until "PONG" (every reply before it has been written: replies keep their order). */
async function untilPong(client: TestClient): Promise<void> {
  while ((await client.next()) !== 'PONG');
}

describe('fuzz: random frames against every matcher type', () => {
  let server: MockServer;
  let mock: WebSocketMock;
  let bystander: TestClient;
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await createMockServer();
    server.on('error', (error) => errors.push(error));
    mock = server.websocket({
      id: 'fuzz',
      path: '/fuzz',
      maxMessageSize: MAX,
      matchers: [
        { match: { type: 'exact', value: 'PING' }, response: { type: 'text', value: 'PONG' } },
        { match: { type: 'json', path: '$.type', value: 'join' }, response: { type: 'json', value: { joined: '{{message.room}}', seq: '{{sequence}}' } } },
        { match: { type: 'json', path: '$.type', value: 'leave' }, noResponse: true },
        { match: { type: 'json', path: '$..items[?(@.n > 2)]' }, response: { type: 'text', value: 'filtered {{message.type}}' } },
        { match: { type: 'json', path: '$..n', value: 7 }, response: { type: 'text', value: 'seven' } },
        { match: { type: 'json', path: '$.a.b' }, response: { type: 'json', value: { b: '{{message.a.b}}', raw: '{{message}}' } } },
        { match: { type: 'exact', value: 'join' }, response: { type: 'text', value: 'exact' } },
        { match: { type: 'prefix', value: 'cmd:' }, responses: [{ type: 'text', value: 'one' }, { type: 'binary', value: 'dHdv' }] },
        { match: { type: 'suffix', value: '.end' }, response: { type: 'text', value: '{{connection.id}} {{connectionCount}}' } },
        { match: { type: 'contains', value: 'zz' }, response: { type: 'text', value: '{{message}}' } },
        { match: { type: 'regex', value: '^a+b$' }, response: { type: 'text', value: 'regex' } },
        { match: { type: 'prefix', value: 'PK', messageType: 'binary' }, response: { type: 'text', value: 'zip' } },
        { match: (msg) => msg.binary && msg.size > 200, respond: (msg) => ({ size: msg.size }) },
        { match: { type: 'regex', value: '\\d{3}', messageType: 'text' }, respond: async (msg) => `digits ${msg.text?.length}` },
      ],
      defaultResponse: { type: 'json', value: { unmatched: '{{message}}', first: '{{message.0}}' } },
    });
    bystander = await connect(mock.url);
    await mock.waitForConnection(); // the bystander's: each run takes the next one
  });

  afterAll(async () => {
    await bystander?.close();
    await server?.close();
  });

  it(`never crashes, never disturbs another connection, and counts exactly the accepted frames (${RUNS} runs)`, async () => {
    const seed = suiteSeed(20_250_801);
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 1, maxLength: 12 }), async (frames) => {
        const before = server.stats();
        const client = await connect(mock.url);
        const conn = await mock.waitForConnection();
        const fatal = frames.findIndex((f) => !expectation(f).accepted);
        const delivered = fatal === -1 ? frames : frames.slice(0, fatal);
        for (const frame of fatal === -1 ? frames : frames.slice(0, fatal + 1)) sendFrame(client.ws, frame);
        if (fatal === -1) {
          client.send('PING');
          await untilPong(client);
          await client.close();
        } else {
          const { code } = await client.closed;
          expect(code).toBe((expectation(frames[fatal]!) as { code: number }).code);
        }
        await conn.waitForClose({ timeout: 5_000 });
        const sizes = delivered.map((f) => (expectation(f) as { size: number }).size);
        const extra = fatal === -1 ? 1 : 0; // the PING
        expect(conn.received.map((m) => m.size)).toEqual([...sizes, ...(extra ? [4] : [])]);
        const after = server.stats();
        expect(after.totalMessagesRecv - before.totalMessagesRecv).toBe(delivered.length + extra);
        expect(after.totalBytesRecv - before.totalBytesRecv).toBe(sizes.reduce((a, b) => a + b, 0) + extra * 4);
        expect(after.totalMessagesSent - before.totalMessagesSent).toBe(conn.info.messagesSent);
        expect(after.activeConnections).toBe(1);
        // The bystander never noticed.
        bystander.send('PING');
        expect(await bystander.next()).toBe('PONG');
      }),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
    expect(errors).toEqual([]);
    expect(server.stats().totalConnections).toBe(RUNS + 1);
  });
});
