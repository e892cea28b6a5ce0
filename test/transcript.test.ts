import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WsMockError, type MockServer } from '../src/index.js';
import { compileReplace } from '../src/behaviour/jsonPath.js';
import { connect } from './helpers/client.js';
import { useMockServer, useServers } from './helpers/server.js';
import { connected, ioClient, next } from './helpers/socketio.js';

const server = useMockServer();
const start = useServers();

/** A mock whose welcome carries a fresh `{{uuid}}` and `{{now}}`, its keys written out of order. */
function greeter(on: MockServer) {
  return on.websocket('/chat/:room', {
    echoMode: false,
    matchers: [
      {
        match: { type: 'json', path: '$.type', value: 'hello' },
        response: { type: 'json', value: { type: 'welcome', session: '{{uuid}}', at: '{{now}}', room: { name: 'lobby', capacity: 2 } } },
      },
    ],
  });
}

/** One conversation: JSON both ways (an id sent back), text with a time, bytes from the test, the client's close. */
async function converse(on: MockServer): Promise<string> {
  const mock = greeter(on);
  const client = await connect(`${mock.url.replace(':room', 'lobby')}?token=${crypto.randomUUID()}`);
  const conn = await mock.waitForConnection();
  const welcome = await client.askJson({ type: 'hello', name: 'ann', age: 7 });
  await client.send({ type: 'ack', session: welcome.session });
  await client.send(`seen at ${new Date().toISOString()}`);
  await conn.waitForMessage({ type: 'regex', value: '^seen' });
  await conn.send(Buffer.from([0, 1, 0xab, 0xff]));
  await client.frame();
  await client.close(4000);
  await conn.waitForClose();
  return conn.transcript();
}

describe('issue 27: conn.transcript()', () => {
  it('is the same text for the same conversation on two servers, {{uuid}} and {{now}} replaced by placeholders', async () => {
    const first = await converse(await start());
    const second = await converse(await start());
    expect(second).toBe(first);
    expect(first).toMatchInlineSnapshot(`
      "→ {"age":7,"name":"ann","type":"hello"}
      ← {"at":"<time>","room":{"capacity":2,"name":"lobby"},"session":"<uuid-1>","type":"welcome"}
      → {"session":"<uuid-1>","type":"ack"}
      → text "seen at <time>"
      ← binary 4 bytes 0001abff
      × close 4000 "" by client"
    `);
  });

  it('writes every JSON frame with its keys sorted at every depth, and non-JSON text as a quoted string', async () => {
    const mock = server.websocket({ path: '/sorted', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send('{ "z": [ { "b": 1, "a": { "d": null, "c": true } } ], "y": "x" }');
    await client.send('"a JSON string"');
    await client.send('a "plain" line\nand another');
    await client.send('');
    await conn.waitForMessage({ type: 'exact', value: '' });
    expect(conn.transcript().split('\n')).toEqual([
      '→ {"y":"x","z":[{"a":{"c":true,"d":null},"b":1}]}',
      '→ "a JSON string"',
      '→ text "a \\"plain\\" line\\nand another"',
      '→ text ""',
    ]);
  });

  it('writes binary frames as their length and hex, an empty one too', async () => {
    const mock = server.websocket({ path: '/bytes', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send(Buffer.from('hi'), { binary: true });
    await client.send(Buffer.alloc(0), { binary: true });
    await conn.waitForMessage((m) => m.size === 0);
    expect(conn.transcript()).toBe('→ binary 2 bytes 6869\n→ binary 0 bytes');
  });

  it('ends with the close: code, reason and who closed; nothing while open', async () => {
    const mock = server.websocket({ path: '/kick', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send({ type: 'hi' });
    await conn.waitForMessage();
    expect(conn.transcript()).toBe('→ {"type":"hi"}');
    await conn.close({ code: 4001, reason: 'kicked "ann"' });
    expect(conn.transcript()).toBe('→ {"type":"hi"}\n× close 4001 "kicked \\"ann\\"" by server');
  });

  it('redact writes the values of JSONPaths as <PATH>, $..id at every depth, before the UUID placeholders', async () => {
    const mock = server.websocket({ path: '/redact', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const id = crypto.randomUUID();
    await client.send({ ts: 1733240000, id, user: { id: 7, name: 'ann' }, items: [{ id: 1 }, { id: 2, ref: id }] });
    await client.send({ other: true });
    await client.send('ts: 5');
    await conn.waitForMessage({ type: 'exact', value: 'ts: 5' });
    expect(conn.transcript({ redact: ['$.ts', '$..id'] })).toMatchInlineSnapshot(`
      "→ {"id":"<$..id>","items":[{"id":"<$..id>"},{"id":"<$..id>","ref":"<uuid-1>"}],"ts":"<$.ts>","user":{"id":"<$..id>","name":"ann"}}
      → {"other":true}
      → text "ts: 5""
    `);
    // The journal is untouched.
    expect((conn.messages[0]!.json as { ts: number }).ts).toBe(1733240000);
  });

  it('placeholders: false keeps UUIDs and times as they are; the same UUID in either case is one number', async () => {
    const mock = server.websocket({ path: '/raw', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await client.send({ a, b, again: a.toUpperCase(), at: '2026-12-03T17:12:00.123+01:00' });
    await conn.waitForMessage();
    expect(conn.transcript()).toBe('→ {"a":"<uuid-1>","again":"<uuid-1>","at":"<time>","b":"<uuid-2>"}');
    expect(conn.transcript({ placeholders: false })).toBe(
      `→ {"a":"${a}","again":"${a.toUpperCase()}","at":"2026-12-03T17:12:00.123+01:00","b":"${b}"}`,
    );
  });

  it('direction keeps what the client sent (in) or what the server sent (out); the close stays', async () => {
    const mock = server.websocket({ path: '/dir', matchers: [{ response: { type: 'json', value: { reply: '{{message.n}}' } } }] });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(await client.askJson({ n: 1 })).toEqual({ reply: '1' });
    expect(await client.askJson({ n: 2 })).toEqual({ reply: '2' });
    await client.close();
    await conn.waitForClose();
    expect(conn.transcript({ direction: 'in' })).toBe('→ {"n":1}\n→ {"n":2}\n× close 1000 "" by client');
    expect(conn.transcript({ direction: 'out' })).toBe('← {"reply":"1"}\n← {"reply":"2"}\n× close 1000 "" by client');
    expect(conn.transcript({ direction: 'both' })).toBe(conn.transcript());
  });

  it.each([
    [null, 'transcript options must be an object, got null'],
    [{ redact: '$.ts' }, 'redact must be an array of JSONPaths, got "$.ts"'],
    [{ redact: ['$.ts', 3] }, 'redact[1] must be a JSONPath string, got 3'],
    [{ redact: ['ts'] }, 'redact[0] must be a JSONPath starting with "$", such as "$.type", got "ts"'],
    [{ redact: ['$.a['] }, 'redact[0] has an unclosed "[" at character 3, got "$.a["'],
    [{ direction: 'up' }, 'direction must be "in", "out" or "both", got "up"'],
    [{ placeholders: 'no' }, 'placeholders must be a boolean, got "no"'],
    // A misspelt option would otherwise be ignored, and the snapshot hold what the test meant to take out.
    [{ placeholder: false }, 'transcript options: placeholder is not an option (options: redact, direction, placeholders)'],
    [{ redacts: ['$.ts'] }, 'transcript options: redacts is not an option (options: redact, direction, placeholders)'],
  ])('rejects %j with WSMOCK_ERR_INVALID_ARGUMENT naming the field', async (options, message) => {
    const mock = server.websocket('/bad');
    await connect(mock.url);
    const conn = await mock.waitForConnection();
    for (const call of [() => conn.transcript(options as never), () => mock.transcript(options as never)]) {
      const error = (() => {
        try {
          call();
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(WsMockError);
      expect(error).toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message });
    }
  });

  it('compileReplace replaces in place, and the root itself for "$"', () => {
    const doc = { a: { id: 1, list: [{ id: 2 }] } };
    expect(compileReplace('$..id')(doc, 'x')).toBe(doc);
    expect(doc).toEqual({ a: { id: 'x', list: [{ id: 'x' }] } });
    expect(compileReplace('$')(doc, 'all')).toBe('all');
    expect(compileReplace('$')(5, 'all')).toBe('all');
    expect(compileReplace('$.a')(5, 'all')).toBe(5);
  });
});

describe('issue 27: mock.transcript()', () => {
  it('heads each connection with its order of arrival and path (no query), placeholders numbered across the whole text', async () => {
    const mock = server.websocket({ path: '/rooms/:room', echoMode: true });
    const shared = crypto.randomUUID();
    const first = await connect(`${mock.url.replace(':room', 'a')}?token=${crypto.randomUUID()}`);
    const a = await mock.waitForConnection();
    const second = await connect(mock.url.replace(':room', 'b'));
    const b = await mock.waitForConnection();
    expect(await first.askJson({ from: 'a', ref: shared })).toEqual({ from: 'a', ref: shared });
    expect(await second.askJson({ from: 'b', ref: shared, own: crypto.randomUUID() })).toMatchObject({ from: 'b' });
    await first.close();
    await a.waitForClose();
    expect(b.isOpen).toBe(true);
    expect(mock.transcript()).toMatchInlineSnapshot(`
      "connection 1 /rooms/a
        → {"from":"a","ref":"<uuid-1>"}
        ← {"from":"a","ref":"<uuid-1>"}
        × close 1000 "" by client
      connection 2 /rooms/b
        → {"from":"b","own":"<uuid-2>","ref":"<uuid-1>"}
        ← {"from":"b","own":"<uuid-2>","ref":"<uuid-1>"}"
    `);
    expect(mock.transcript({ direction: 'in', redact: ['$.ref'] })).toMatchInlineSnapshot(`
      "connection 1 /rooms/a
        → {"from":"a","ref":"<$.ref>"}
        × close 1000 "" by client
      connection 2 /rooms/b
        → {"from":"b","own":"<uuid-1>","ref":"<$.ref>"}"
    `);
  });

  it('is empty for a mock nobody connected to', () => {
    expect(server.websocket('/nobody').transcript()).toBe('');
  });

  it("transcribes a Socket.IO mock's raw Engine.IO frames as text", async () => {
    const io = server.socketio('/socket.io/', { events: { hello: { emit: ['welcome', { ok: true }] } } });
    const client = ioClient(server.url, { transports: ['websocket'] });
    await connected(client);
    const welcome = next(client, 'welcome');
    client.emit('hello', 'ann');
    await welcome;
    client.disconnect();
    const socket = await io.waitForConnection();
    await socket.connection.waitForClose();
    const lines = io.transcript().split('\n');
    // The Engine.IO session's journal holds the Socket.IO packets: CONNECT (`0`, which is JSON), its answer, the events, DISCONNECT.
    expect(lines.slice(0, 2)).toEqual(['connection 1 /socket.io/', '  → 0']);
    expect(lines[2]).toMatch(/^ {2}← text "0\{\\"sid\\":\\"[\w-]+\\"\}"$/);
    expect(lines.slice(3)).toEqual([
      '  → text "2[\\"hello\\",\\"ann\\"]"',
      '  ← text "2[\\"welcome\\",{\\"ok\\":true}]"',
      '  → 1',
      '  × close 1005 "" by client',
    ]);
  });
});

describe('transcripts of frames a client made odd', () => {
  it('a JSON frame nested 100,000 deep is written whole, not a stack overflow; redaction says it skipped it', async () => {
    const mock = server.websocket({ path: '/deep', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const nested = `${'{"a":'.repeat(depth)}{"ts":1}${'}'.repeat(depth)}`;
    await client.send(deep);
    await client.send(nested);
    await client.send({ ts: 5, b: 1 });
    await conn.waitForMessage({ type: 'json', path: '$.b', value: 1 });
    expect(conn.transcript().split('\n')).toEqual([`→ ${deep}`, `→ ${nested}`, '→ {"b":1,"ts":5}']);
    expect(mock.transcript().split('\n')).toEqual(['connection 1 /deep', `  → ${deep}`, `  → ${nested}`, '  → {"b":1,"ts":5}']);
    // jsonpath-plus walks a frame recursively: past 500 levels the frame is written as it is, saying so.
    expect(conn.transcript({ redact: ['$..ts'] }).split('\n')).toEqual([
      `→ json nested deeper than 500 levels, not redacted: ${deep}`,
      `→ json nested deeper than 500 levels, not redacted: ${nested}`,
      '→ {"b":1,"ts":"<$..ts>"}',
    ]);
    // 500 levels are still redacted.
    const atLimit = server.websocket({ path: '/limit', echoMode: false });
    const second = await connect(atLimit.url);
    const limitConn = await atLimit.waitForConnection();
    await second.send(`${'{"a":'.repeat(499)}{"ts":1}${'}'.repeat(499)}`);
    await limitConn.waitForMessage();
    expect(limitConn.transcript({ redact: ['$..ts'] })).toBe(`→ ${'{"a":'.repeat(499)}{"ts":"<$..ts>"}${'}'.repeat(499)}`);
  });

  it('a binary frame over 1 KiB is written as its length and SHA-256, so a transcript stays readable and bounded', async () => {
    const mock = server.websocket({ path: '/big', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const kib = Buffer.alloc(1024, 0xab);
    const big = Buffer.alloc(1_000_000, 7);
    await client.send(kib, { binary: true });
    await client.send(big, { binary: true });
    await conn.waitForMessage((m) => m.size === big.length);
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(conn.transcript().split('\n')).toEqual([`→ binary 1024 bytes ${kib.toString('hex')}`, `→ binary 1000000 bytes sha256 ${sha(big)}`]);
  });
});
