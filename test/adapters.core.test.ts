import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { MatcherContext } from '../src/adapters/context.js';
import { compareMessage, fallbackEquals, messageMatching, printableExpected } from '../src/adapters/expected.js';
import { compact, formatJournal, messageValue } from '../src/adapters/journal.js';
import { wsmockFixtures } from '../src/adapters/playwright.js';
import { FrameMessage, type Message } from '../src/connections/Message.js';
import { Connection, createMockServer, MockServer, WebSocketMock, WsMockError, type MockServer as Server } from '../src/index.js';
import { connect } from './helpers/client.js';

// A runner-less context: no `equals`, plain printers. The core must work with it.
const ctx: MatcherContext = {
  isNot: false,
  utils: {
    matcherHint: (name) => `expect(received).${name}()`,
    printExpected: (v) => JSON.stringify(v),
    printReceived: (v) => JSON.stringify(v),
    diff: () => null,
  },
};

const text = (t: string) => new FrameMessage('in', 'conn-1', false, t, Buffer.byteLength(t));
const bytes = (b: number[]) => new FrameMessage('in', 'conn-1', true, Buffer.from(b), b.length);

describe('compareMessage (the shared matcher core)', () => {
  it('compares strings with the text and objects with the parsed JSON', () => {
    expect(compareMessage(ctx, text('hi'), 'hi')).toEqual({ pass: true, actual: 'hi' });
    expect(compareMessage(ctx, text('{"a":1}'), { a: 1 })).toEqual({ pass: true, actual: { a: 1 } });
    expect(compareMessage(ctx, text('{"a":1}'), { a: 2 }).pass).toBe(false);
    expect(compareMessage(ctx, text('not json'), { a: 1 })).toEqual({ pass: false, actual: 'not json' });
    expect(compareMessage(ctx, text('42'), 42).pass).toBe(true);
    expect(compareMessage(ctx, text('null'), null).pass).toBe(true);
  });

  it('compares bytes with binary frames only', () => {
    expect(compareMessage(ctx, bytes([1, 2]), new Uint8Array([1, 2])).pass).toBe(true);
    expect(compareMessage(ctx, bytes([1, 2]), Buffer.from([1, 3])).pass).toBe(false);
    expect(compareMessage(ctx, text('\u0001\u0002'), Buffer.from([1, 2])).pass).toBe(false);
    expect(compareMessage(ctx, bytes([104, 105]), 'hi').pass).toBe(false);
  });

  it('tests RegExps, predicates and MatchSpecs against the message', () => {
    expect(compareMessage(ctx, text('ping 3'), /ping \d/g).pass).toBe(true);
    expect(compareMessage(ctx, text('{"t":"a"}'), (m: Message) => m.text === '{"t":"a"}').pass).toBe(true);
    expect(compareMessage(ctx, text('{"x":{"y":[5]}}'), messageMatching({ type: 'json', path: '$.x.y[0]', value: 5 })).pass).toBe(true);
    expect(compareMessage(ctx, text('{"x":{"y":[5]}}'), messageMatching({ type: 'json', path: '$..y', value: [6] })).pass).toBe(false);
  });

  it('uses asymmetric matchers without a runner-provided equals', () => {
    expect(fallbackEquals({ a: 1, b: [1, 'x'] }, { a: expect.any(Number), b: [1, expect.stringMatching(/x/)] })).toBe(true);
    expect(fallbackEquals({ a: 1, extra: 2 }, { a: 1 })).toBe(false);
    expect(fallbackEquals({ a: 1, extra: 2 }, expect.objectContaining({ a: 1 }))).toBe(true);
    expect(compareMessage(ctx, text('token=abc'), expect.stringContaining('abc')).pass).toBe(true);
  });

  it('uses the runner equals when there is one', () => {
    const calls: unknown[][] = [];
    const withEquals: MatcherContext = { ...ctx, equals: (a, b, testers) => (calls.push([a, b, testers]), true), customTesters: ['t'] };
    expect(compareMessage(withEquals, text('{"a":1}'), { b: 2 }).pass).toBe(true);
    expect(calls).toEqual([[{ a: 1 }, { b: 2 }, ['t']]]);
  });
});

describe('failure-message helpers', () => {
  it('renders values on one line, asymmetric matchers by name', () => {
    expect(compact('a')).toBe('"a"');
    expect(compact({ a: expect.objectContaining({ b: 1 }) })).toBe('{"a":"ObjectContaining {\\"b\\":1}"}');
    expect(compact(expect.any(String))).toBe('Any<String>');
    expect(compact(Buffer.from([1, 2, 3]))).toBe('<binary 3 bytes>');
    expect(compact('x'.repeat(200)).length).toBe(120);
    expect(printableExpected(messageMatching({ type: 'prefix', value: 'ack' }))).toBe('messageMatching({"type":"prefix","value":"ack"})');
  });

  it('shows the last five journal entries with their direction', () => {
    const messages = ['1', '2', '3', '4', '5', '6'].map((t, i) => new FrameMessage(i % 2 ? 'out' : 'in', 'conn-1', false, t, 1));
    expect(formatJournal('Recent', messages)).toBe('Recent (last 5 of 6):\n  → out 2\n  ← in  3\n  → out 4\n  ← in  5\n  → out 6');
    expect(formatJournal('Recent', [])).toBe('Recent: no messages yet.');
    expect(messageValue(bytes([1]))).toEqual(Buffer.from([1]));
  });
});

describe('brands', () => {
  it('recognise handles from the CommonJS build as well as from this copy', async () => {
    const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof import('../src/index.js');
    const other = await cjs.createMockServer();
    try {
      const mock = other.websocket('/x', { echoMode: false });
      const client = await connect(mock.url);
      const conn = await mock.waitForConnection();
      expect(other).toBeInstanceOf(MockServer);
      expect(mock).toBeInstanceOf(WebSocketMock);
      expect(conn).toBeInstanceOf(Connection);
      expect(conn instanceof cjs.Connection && !(mock instanceof Connection)).toBe(true);
      await client.close();
    } finally {
      await other.close();
    }
    expect({}).not.toBeInstanceOf(Connection);
  });
});

describe('Playwright fixtures', () => {
  type FixtureFn = (args: { wsmockOptions: object }, use: (server: Server) => Promise<void>) => Promise<void>;
  const testScoped = wsmockFixtures.wsmock as unknown as FixtureFn;
  const workerScoped = (wsmockFixtures.wsmockWorker as unknown as [FixtureFn, { scope: string }])[0];

  it('give the test a running server and close it afterwards', async () => {
    let seen: Server | undefined;
    await testScoped({ wsmockOptions: {} }, async (server) => {
      seen = server;
      expect(server.state).toBe('running');
      expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    });
    expect(seen!.state).toBe('closed');
    expect((wsmockFixtures.wsmockWorker as unknown as [FixtureFn, { scope: string }])[1].scope).toBe('worker');
  });

  it('fail with the cause when the server cannot start, without calling the test', async () => {
    const busy = await createMockServer();
    let used = false;
    try {
      const error = await workerScoped({ wsmockOptions: { port: busy.port } }, async () => {
        used = true;
      }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(WsMockError);
      expect((error as WsMockError).code).toBe('WSMOCK_ERR_LISTEN_FAILED');
      expect((error as WsMockError).message).toContain(`port ${busy.port} is already in use`);
      expect(used).toBe(false);
    } finally {
      await busy.close();
    }
  });
});
