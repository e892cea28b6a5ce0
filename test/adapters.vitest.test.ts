import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection, WebSocketMock } from '../src/index.js';
import { messageMatching, wsmockMatchers } from '../src/adapters/vitest.js';
import { connect, type TestClient } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { failure } from './helpers/failures.js';

expect.extend(wsmockMatchers);

const server = useMockServer();
afterEach(() => {
  vi.useRealTimers();
});

/** A mock with one connected client: the client and the server-side handle. */
async function pair(path = '/ws'): Promise<{ mock: WebSocketMock; client: TestClient; conn: Connection }> {
  const mock = server.websocket(path, { echoMode: false });
  const client = await connect(mock.url);
  return { mock, client, conn: await mock.waitForConnection() };
}

describe('toReceiveMessage', () => {
  it('compares a string with the text and an object with the parsed JSON, in arrival order', async () => {
    const { client, conn } = await pair();
    client.send('hello');
    client.send({ type: 'subscribe', channel: 'prices', at: 3 });
    await expect(conn).toReceiveMessage('hello');
    await expect(conn).toReceiveMessage({ type: 'subscribe', channel: 'prices', at: 3 });
  });

  it('waits for a message that has not arrived yet', async () => {
    const { client, conn } = await pair();
    const assertion = expect(conn).toReceiveMessage({ n: 1 });
    client.send({ n: 1 });
    await assertion;
  });

  it('accepts asymmetric matchers anywhere in the expected value', async () => {
    const { client, conn } = await pair();
    client.send({ type: 'subscribe', id: 'a1b2', items: [1, 2, 3], meta: { v: 2, extra: true } });
    client.send('token=abc123');
    await expect(conn).toReceiveMessage(
      expect.objectContaining({ type: 'subscribe', id: expect.any(String), meta: expect.objectContaining({ v: 2 }) }),
    );
    await expect(conn).toReceiveMessage(expect.stringContaining('abc'));
  });

  it('accepts a RegExp, bytes, a predicate and messageMatching(spec)', async () => {
    const { client, conn } = await pair();
    client.send('ping 1');
    client.send(Buffer.from([1, 2, 3]), { binary: true });
    client.send({ type: 'order', items: [{ id: 7 }] });
    client.send({ type: 'ack' });
    await expect(conn).toReceiveMessage(/^ping \d$/);
    await expect(conn).toReceiveMessage(Buffer.from([1, 2, 3]));
    await expect(conn).toReceiveMessage(messageMatching({ type: 'json', path: '$.items[0].id', value: 7 }));
    await expect(conn).toReceiveMessage((m) => m.json !== undefined && (m.json as { type: string }).type === 'ack');
  });

  it('fails with a diff of the next message and the recent journal', async () => {
    const { client, conn } = await pair();
    await conn.send({ type: 'welcome' });
    client.send({ type: 'subscribe', channel: 'news' });
    const message = await failure(expect(conn).toReceiveMessage({ type: 'subscribe', channel: 'prices' }));
    expect(message).toContain('expect(received).toReceiveMessage(expected, options)');
    expect(message).toContain(`The next message on ${conn.id} is not the expected one.`);
    expect(message).toMatch(/- Expected[\s\S]*\+ Received/);
    expect(message).toMatch(/-\s+"channel": "prices"/);
    expect(message).toMatch(/\+\s+"channel": "news"/);
    expect(message).toContain(`Recent messages on ${conn.id} (/ws):`);
    expect(message).toContain('→ out {"type":"welcome"}');
    expect(message).toContain('← in  {"type":"subscribe","channel":"news"}');
  });

  it('fails after the timeout saying what it waited for and that nothing came', async () => {
    const { conn } = await pair();
    await conn.send('are you there?');
    const message = await failure(expect(conn).toReceiveMessage('yes', { timeout: 50 }));
    expect(message).toContain('Expected: "yes"');
    expect(message).toContain(`Received: nothing. Timed out after 50 ms waiting for a message on ${conn.id}. No message arrived.`);
    expect(message).toContain('→ out are you there?');
  });

  it('fails when the connection closes before a message arrives', async () => {
    const { client, conn } = await pair();
    await client.close(4000);
    const message = await failure(expect(conn).toReceiveMessage('late'));
    expect(message).toContain(`Cannot waitForMessage: connection ${conn.id} is closed (code 4000)`);
  });

  it('shows the JSON it compared when a string was expected from a JSON frame', async () => {
    const { client, conn } = await pair();
    client.send({ a: 1 });
    const message = await failure(expect(conn).toReceiveMessage('{"a":2}'));
    expect(message).toContain('- {"a":2}');
    expect(message).toContain('+ {"a":1}');
  });
});

describe('.not.toReceiveMessage', () => {
  it('passes when nothing arrives within the window', async () => {
    const { conn } = await pair();
    const started = performance.now();
    await expect(conn).not.toReceiveMessage(undefined, { within: 60 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('fails with what arrived when a matching message arrives within the window', async () => {
    const { client, conn } = await pair();
    const assertion = expect(conn).not.toReceiveMessage(expect.objectContaining({ type: 'error' }), { within: 2_000 });
    client.send({ type: 'error', reason: 'boom' });
    const message = await failure(assertion);
    expect(message).toContain('expect(received).not.toReceiveMessage(expected, options)');
    expect(message).toContain(`Expected no message matching ObjectContaining {"type":"error"} on ${conn.id} within 2000 ms`);
    expect(message).toContain('Received: {"type":"error","reason":"boom"}');
  });

  it('ignores and leaves unconsumed the messages that do not match', async () => {
    const { client, conn } = await pair();
    client.send({ type: 'ping' });
    await expect(conn).not.toReceiveMessage({ type: 'error' }, { within: 50 });
    await expect(conn).toReceiveMessage({ type: 'ping' });
  });

  it('sees an unconsumed message that arrived before the call', async () => {
    const { client, conn } = await pair();
    client.send('early');
    await expect.poll(() => conn.received.length).toBe(1);
    const message = await failure(expect(conn).not.toReceiveMessage(undefined, { within: 1_000 }));
    expect(message).toContain('Received: "early"');
  });

  it('passes early when the connection closes during the window', async () => {
    const { client, conn } = await pair();
    const assertion = expect(conn).not.toReceiveMessage(undefined, { within: 10_000 });
    await client.close();
    await assertion;
  });

  it('waits the window on the real clock under fake timers', async () => {
    const { conn } = await pair();
    vi.useFakeTimers();
    await expect(conn).not.toReceiveMessage(undefined, { within: 30 });
  });
});

describe('toHaveReceivedMessages', () => {
  it('passes when every expectation matches some received message, in any order', async () => {
    const { client, conn } = await pair();
    client.send('ping');
    client.send({ type: 'hello', v: 2 });
    await expect.poll(() => conn.received.length).toBe(2);
    expect(conn).toHaveReceivedMessages([expect.objectContaining({ type: 'hello' }), 'ping']);
    // Nothing was consumed.
    await expect(conn).toReceiveMessage('ping');
  });

  it('lists what never arrived, with a diff and the journal', async () => {
    const { client, conn } = await pair();
    client.send('ping');
    await expect.poll(() => conn.received.length).toBe(1);
    const message = await failure(() => expect(conn).toHaveReceivedMessages(['ping', { type: 'bye' }]));
    expect(message).toContain(`1 of 2 expected message(s) never arrived on ${conn.id}:\n  {"type":"bye"}`);
    expect(message).toMatch(/- Expected[\s\S]*\+ Received/);
    expect(message).toContain('← in  ping');
  });
});

describe('toHaveConnections', () => {
  it('waits until exactly n connections are open, on a mock or on the server', async () => {
    const mock = server.websocket('/many');
    const assertion = expect(mock).toHaveConnections(2);
    const first = await connect(mock.url);
    await connect(mock.url);
    await assertion;
    await expect(server).toHaveConnections(2);
    await first.close();
    await expect(mock).toHaveConnections(1);
    await expect(mock).not.toHaveConnections(2);
  });

  it('does not consume arrivals: waitForConnection still returns them', async () => {
    const mock = server.websocket('/count');
    await connect(mock.url);
    await expect(mock).toHaveConnections(1);
    expect((await mock.waitForConnection()).mockId).toBe(mock.id);
  });

  it('fails with the count it saw', async () => {
    const mock = server.websocket('/few');
    await connect(mock.url);
    const message = await failure(expect(mock).toHaveConnections(3, { timeout: 50 }));
    expect(message).toContain(`Expected: 3 open connection(s) on mock "${mock.id}" (/few)`);
    expect(message).toContain('Received: 1. Timed out after 50 ms waiting for 3 open connection(s)');
  });
});

describe('toBeClosed', () => {
  it('waits for the close and checks the code and reason', async () => {
    const { client, conn } = await pair();
    const assertion = expect(conn).toBeClosed({ code: 4001 });
    client.ws.close(4001, 'done');
    await assertion;
    await expect(conn).toBeClosed({ code: 4001, reason: 'done' });
  });

  it('fails with a diff when the code differs', async () => {
    const { client, conn } = await pair();
    await client.close(1000);
    const message = await failure(expect(conn).toBeClosed({ code: 4001 }));
    expect(message).toContain(`${conn.id} closed, but not as expected.`);
    expect(message).toMatch(/-\s+"code": 4001/);
    expect(message).toMatch(/\+\s+"code": 1000/);
  });

  it('fails after the timeout when the connection stays open', async () => {
    const { conn } = await pair();
    const message = await failure(expect(conn).toBeClosed({ timeout: 50 }));
    expect(message).toContain(`Expected ${conn.id} to close. Timed out after 50 ms waiting for ${conn.id} to close. It is still connected.`);
  });

  it('.not checks that the connection is still open', async () => {
    const { client, conn } = await pair();
    await expect(conn).not.toBeClosed();
    await client.close(4002);
    const message = await failure(expect(conn).not.toBeClosed());
    expect(message).toContain(`Expected ${conn.id} not to be closed, it closed with code 4002.`);
  });
});

describe('a matcher used on something that is not a wsmock handle', () => {
  it('fails saying what it expected, even with .not', async () => {
    expect(await failure(expect({ id: 'conn-1' }).toReceiveMessage('x'))).toContain(
      'toReceiveMessage() works on a wsmock Connection (from mock.waitForConnection()).\nReceived: a plain object',
    );
    expect(await failure(expect('conn-1').not.toReceiveMessage('x'))).toContain('Received: string conn-1');
    expect(await failure(() => expect(null).toHaveReceivedMessages([]))).toContain('Received: null');
    expect(await failure(expect(server.websocket('/m')).toBeClosed())).toContain('Received: a WebSocketMock');
  });

  it('names a forgotten await', async () => {
    const mock = server.websocket('/pending');
    const message = await failure(expect(mock.waitForConnection({ timeout: 10 }).catch(() => {})).toReceiveMessage('x'));
    expect(message).toContain('Received: a Promise (did you forget to await it?)');
  });

  it('toHaveConnections wants a mock or a server', async () => {
    const { conn } = await pair();
    expect(await failure(expect(conn).toHaveConnections(1))).toContain(
      'toHaveConnections() works on a wsmock WebSocketMock (from server.websocket()) or MockServer.\nReceived: a Connection',
    );
  });
});
