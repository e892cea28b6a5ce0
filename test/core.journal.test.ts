import { describe, expect, it } from 'vitest';
import type { Message } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useServers } from './helpers/server.js';

// One journal per connection, with an optional limit; conn.messages,
// conn.received and mock.messages are views of it.
const start = useServers();

describe('journal', () => {
  it('records each frame once: conn.messages, conn.received and mock.messages are views of it', async () => {
    const server = await start();
    const mock = server.websocket('/echo');
    const a = await connect(mock.url);
    const connA = await mock.waitForConnection();
    a.send('a1');
    await a.frame();
    const b = await connect(mock.url);
    const connB = await mock.waitForConnection();
    b.send('b1');
    await b.frame();
    a.send('a2');
    await a.frame();
    expect(connA.messages.map((m) => `${m.direction} ${m.text}`)).toEqual(['in a1', 'out a1', 'in a2', 'out a2']);
    expect(connA.received.map((m) => m.text)).toEqual(['a1', 'a2']);
    expect(mock.messages.map((m) => `${m.connectionId} ${m.direction} ${m.text}`)).toEqual([
      `${connA.id} in a1`,
      `${connA.id} out a1`,
      `${connB.id} in b1`,
      `${connB.id} out b1`,
      `${connA.id} in a2`,
      `${connA.id} out a2`,
    ]);
    expect(mock.messages[0]).toBe(connA.messages[0]);
  });

  it('keeps the newest journal.limit frames per connection, dropping the oldest', async () => {
    const server = await start({ journal: { limit: 3 } });
    const mock = server.websocket('/echo');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    for (const text of ['1', '2', '3']) {
      client.send(text);
      await client.frame();
    }
    expect(conn.messages.map((m) => `${m.direction} ${m.text}`)).toEqual(['out 2', 'in 3', 'out 3']);
    expect(conn.received.map((m) => m.text)).toEqual(['3']);
    expect(mock.messages).toHaveLength(3);
    // The counters still count everything.
    expect(conn.info).toMatchObject({ messagesRecv: 3, messagesSent: 3, bytesRecv: 3, bytesSent: 3, lastMessageAt: conn.messages[2]!.at.toISOString() });
    expect(server.stats().totalMessagesSent).toBe(3);
  });

  it('says so when the frame a wait needed was dropped by the limit', async () => {
    const server = await start({ journal: { limit: 2 } });
    const mock = server.websocket('/quiet', { echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    for (const text of ['wanted', 'b', 'c']) client.send(text);
    await expect.poll(() => conn.info.messagesRecv).toBe(3);
    const error = await conn.waitForMessage({ type: 'exact', value: 'wanted' }, { timeout: 50 }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'WSMOCK_ERR_TIMEOUT' });
    expect((error as Error).message).toBe(
      `Timed out after 50 ms waiting for a message matching exact "wanted" on ${conn.id}. Received meanwhile:\n  - b\n  - c\n1 inbound frame(s) that no wait had read were dropped by journal.limit (2); the one awaited may have been among them.`,
    );
    // Frames still in the journal are found as before.
    expect((await conn.waitForMessage({ type: 'exact', value: 'c' })).text).toBe('c');
  });

  it('releases closed connections with releaseClosed, as wsmock serve does', async () => {
    const server = await start({ journal: { limit: 10, releaseClosed: true } });
    const mock = server.websocket('/echo');
    const gone = await connect(mock.url);
    gone.send('x');
    await gone.frame();
    await gone.close();
    await mock.waitForConnectionCount(0);
    expect(mock.messages).toEqual([]);
    const stays = await connect(mock.url);
    const conn = await server.waitForConnection();
    expect(conn.url).toBe('/echo');
    stays.send('y');
    await stays.frame();
    expect(mock.messages.map((m) => m.text)).toEqual(['y', 'y']);
    expect(server.stats()).toMatchObject({ totalConnections: 2, activeConnections: 1, totalMessagesRecv: 2 });
  });

  it.each([
    [{ limit: 0 }, 'journal.limit: must be an integer >= 1'],
    [{ limit: 2.5 }, 'journal.limit: must be an integer >= 1'],
    [{ limit: '10' }, 'journal.limit: must be an integer >= 1'],
    [{ releaseClosed: 'yes' }, 'journal.releaseClosed: must be true or false'],
    [{ size: 3 }, 'journal'],
  ])('refuses journal %j naming the field and the rule', async (journal, message) => {
    await expect(start({ journal } as never)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining(message) });
  });
});

// The journal keeps frames in columns and makes a frame's Message when it is
// first read: what users see of it must be what it was when every frame was
// an object from the start.
describe('issue 23: a Message is made when its frame is read', () => {
  it('reads back every field, and the same object on every later read and in every view', async () => {
    const server = await start();
    const mock = server.websocket('/echo');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const before = Date.now();
    await client.send('{"type":"hi"}');
    await client.frame();
    await client.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.frame();
    const [textIn, textOut, bytesIn, bytesOut] = conn.messages as [Message, Message, Message, Message];
    expect(textIn).toMatchObject({ direction: 'in', connectionId: conn.id, binary: false, data: '{"type":"hi"}', text: '{"type":"hi"}', size: 13, json: { type: 'hi' } });
    expect(textOut).toMatchObject({ direction: 'out', binary: false, data: '{"type":"hi"}', size: 13 });
    expect(bytesIn).toMatchObject({ direction: 'in', binary: true, data: Buffer.from([1, 2, 3]), text: undefined, json: undefined, size: 3 });
    expect(bytesOut).toMatchObject({ direction: 'out', binary: true, data: Buffer.from([1, 2, 3]), size: 3 });
    expect(textIn.at).toBeInstanceOf(Date);
    expect(textIn.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(bytesOut.at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(conn.messages[0]).toBe(textIn);
    expect(conn.received).toEqual([textIn, bytesIn]);
    expect(conn.received[1]).toBe(bytesIn);
    expect(mock.messages[3]).toBe(bytesOut);
    expect(JSON.parse(JSON.stringify(textIn))).toEqual({ direction: 'in', connectionId: conn.id, binary: false, data: '{"type":"hi"}', text: '{"type":"hi"}', json: { type: 'hi' }, size: 13, at: textIn.at.toISOString() });
  });

  it('gives a frame sent as JSON the value it was serialised from, not a parse of it', async () => {
    const server = await start();
    const mock = server.websocket('/quiet', { echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const value = { type: 'welcome', at: new Date(0) };
    await conn.send(value);
    await client.frame();
    expect(conn.messages[0]!.json).toBe(value);
    expect(conn.messages[0]!.text).toBe('{"type":"welcome","at":"1970-01-01T00:00:00.000Z"}');
  });

  it('gives listeners and waits the object later reads return', async () => {
    const server = await start();
    const mock = server.websocket('/echo');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const heard: Message[] = [];
    conn.on('message', (message) => heard.push(message));
    conn.on('sent', (message) => heard.push(message));
    await client.send('one');
    await client.frame();
    expect(heard).toHaveLength(2);
    expect(conn.messages[0]).toBe(heard[0]);
    expect(conn.messages[1]).toBe(heard[1]);
    const waited = conn.waitForMessage({ type: 'exact', value: 'two' });
    await client.send('two');
    const two = await waited;
    expect(conn.received[1]).toBe(two);
  });

  it('keeps the newest frames in order through a long run past the limit', async () => {
    const server = await start({ journal: { limit: 5 } });
    const mock = server.websocket('/quiet', { echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    // Past 1,024 dropped frames the journal compacts its columns.
    for (let i = 0; i < 2100; i++) void client.send(`f${i}`);
    await expect.poll(() => conn.info.messagesRecv, { timeout: 10_000 }).toBe(2100);
    const kept = conn.received;
    expect(kept.map((m) => m.text)).toEqual(['f2095', 'f2096', 'f2097', 'f2098', 'f2099']);
    // mock.messages orders the frames of its connections by their position among all frames.
    expect(mock.messages.map((m) => m.text)).toEqual(kept.map((m) => m.text));
    expect((await conn.waitForMessage({ type: 'exact', value: 'f2097' })).text).toBe('f2097');
    expect(conn.received).toEqual(kept);
  });
});

describe('issue 23: per-frame cost (a Message only for who reads it)', () => {
  it('an echo mock nobody listens to journals, counts and echoes text and binary frames as they came', async () => {
    const server = await start();
    const mock = server.websocket('/echo');
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send('héllo');
    expect((await client.frame()).text).toBe('héllo');
    await client.send(Buffer.from([1, 2, 3]));
    const back = await client.frame();
    expect(back.binary).toBe(true);
    expect([...back.data]).toEqual([1, 2, 3]);
    expect(conn.messages.map((m) => [m.direction, m.binary, m.size])).toEqual([
      ['in', false, 6],
      ['out', false, 6],
      ['in', true, 3],
      ['out', true, 3],
    ]);
    expect(conn.messages[0]!.data).toBe('héllo');
    expect(conn.messages[1]!.data).toBe('héllo');
    expect(Buffer.isBuffer(conn.messages[2]!.data)).toBe(true);
    const stats = server.stats();
    expect([stats.totalMessagesRecv, stats.totalMessagesSent, stats.totalBytesRecv, stats.totalBytesSent]).toEqual([2, 2, 9, 9]);
  });

  it("the server's message and sent listeners get Messages equal to the journal's entries (same time and data)", async () => {
    const server = await start();
    const mock = server.websocket('/echo');
    const heard: Message[] = [];
    server.on('message', (_conn, message) => void heard.push(message));
    server.on('sent', (_conn, message) => void heard.push(message));
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    await client.send('one');
    await client.frame();
    const fields = (m: Message) => [m.direction, m.connectionId, m.binary, m.data, m.size, m.at.getTime()];
    expect(heard.map(fields)).toEqual(conn.messages.map(fields));
    expect(heard.map((m) => m.direction)).toEqual(['in', 'out']);
  });
});
