import { describe, expect, it } from 'vitest';
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
    expect(conn.info.messagesRecv).toBe(3);
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
