// Bad input on an ActionCable mock, answered as Rails 8.1 answers it: a
// command the server cannot execute (not JSON, an unknown command, a missing
// or bad identifier, a channel no config matches, an identifier the
// connection has not subscribed, bad message data) is logged and ignored —
// nothing is sent back, the connection stays open, no other connection
// notices — and `mock.ignored` says why. An oversize frame closes with 1009.
import { describe, expect, it } from 'vitest';
import type { ActionCableMockConfig } from '../src/index.js';
import { connect, type TestClient } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
const cable = (path: string, config: Omit<ActionCableMockConfig, 'path'> = {}) => server.actioncable(path, { pingInterval: 0, ...config });
const PROTOCOLS = ['actioncable-v1-json', 'actioncable-unsupported'];
const id = (channel: string, params: Record<string, unknown> = {}) => JSON.stringify({ channel, ...params });

async function open(url: string): Promise<TestClient> {
  const client = await connect(url, { protocols: PROTOCOLS });
  expect(await client.nextJson()).toEqual({ type: 'welcome' });
  return client;
}

/** Sends a subscribe and reads the next frame: its answer proves nothing was sent for what came before. */
async function nextAnswerIs(client: TestClient, channel: string) {
  await client.send({ command: 'subscribe', identifier: id(channel) });
  expect(await client.nextJson()).toEqual({ identifier: id(channel), type: 'confirm_subscription' });
}

describe('issue 24: ActionCable bad input, as Rails answers it', () => {
  it('ignores frames it cannot execute, answering nothing and keeping the connection; mock.ignored says why', async () => {
    const mock = cable('/bad', { channels: { ChatChannel: {}, OkChannel: {} } });
    const client = await open(mock.url);
    const bystander = await open(mock.url);
    const frames: (string | Buffer)[] = [
      'not json',
      Buffer.from([1, 2, 3]),
      '[1,2]',
      '5',
      'null',
      '"subscribe"',
      JSON.stringify({ command: 'shout', identifier: id('ChatChannel') }),
      JSON.stringify({ identifier: id('ChatChannel') }),
      JSON.stringify({ command: 'subscribe' }),
      JSON.stringify({ command: 'subscribe', identifier: 5 }),
      JSON.stringify({ command: 'subscribe', identifier: '{oops' }),
      JSON.stringify({ command: 'subscribe', identifier: '[1]' }),
      JSON.stringify({ command: 'subscribe', identifier: '{"room":1}' }),
      JSON.stringify({ command: 'subscribe', identifier: id('NopeChannel') }),
      JSON.stringify({ command: 'unsubscribe', identifier: id('ChatChannel') }),
      JSON.stringify({ command: 'message', identifier: id('ChatChannel'), data: '{"action":"speak"}' }),
    ];
    for (const frame of frames) await client.send(frame, { binary: Buffer.isBuffer(frame) });
    await nextAnswerIs(client, 'OkChannel');
    const reasons = mock.ignored.map((i) => i.reason);
    expect(reasons).toEqual([
      'the frame is not JSON',
      'a binary frame (the protocol is JSON text)',
      'the frame is not a JSON object: [1,2]',
      'the frame is not a JSON object: 5',
      'the frame is not a JSON object: null',
      'the frame is not a JSON object: "subscribe"',
      'unknown command "shout" (the commands are "subscribe", "unsubscribe" and "message")',
      'unknown command undefined (the commands are "subscribe", "unsubscribe" and "message")',
      'the identifier must be a JSON string, got undefined',
      'the identifier must be a JSON string, got 5',
      'the identifier "{oops" is not JSON',
      'the identifier "[1]" is not a JSON object',
      'the identifier "{\\"room\\":1}" names no channel (a non-empty string "channel")',
      `no channel matches "NopeChannel" (Rails: "Subscription class not found"); list it in channels, or '*' to answer every channel`,
      `unsubscribe: no subscription with identifier ${JSON.stringify(id('ChatChannel'))}`,
      `message: no subscription with identifier ${JSON.stringify(id('ChatChannel'))}`,
    ]);
    const first = await mock.waitForConnection();
    expect(new Set(mock.ignored.map((i) => i.connectionId))).toEqual(new Set([first.id]));
    expect(first.ignored).toEqual(mock.ignored);
    expect(mock.subscriptions.map((s) => s.channel)).toEqual(['OkChannel']);
    // The other connection heard nothing and still works.
    await nextAnswerIs(bystander, 'ChatChannel');
    expect(client.received.map((f) => JSON.parse(f.text).type)).toEqual(['welcome', 'confirm_subscription']);
  });

  it('ignores a message whose data is not a JSON object string, or whose action is not a string', async () => {
    const mock = cable('/data');
    const client = await open(mock.url);
    await nextAnswerIs(client, 'ChatChannel');
    const sub = await mock.waitForSubscription();
    for (const data of [{ action: 'speak' }, 'not json', '[1]', '{"action":5}']) {
      await client.send({ command: 'message', identifier: id('ChatChannel'), data: typeof data === 'string' ? data : (data as never) });
    }
    await client.send({ command: 'message', identifier: id('ChatChannel'), data: '{"action":"  "}' });
    expect(await sub.waitForAction()).toEqual({ action: 'receive', data: { action: '  ' } });
    expect(mock.ignored.map((i) => i.reason)).toEqual([
      'message needs "data", a JSON string, got {"action":"speak"}',
      'the data of a message is not JSON: "not json"',
      'the data of a message is not a JSON object: [1]',
      'the action of a message must be a string, got 5',
    ]);
  });

  it("a subscribe to a channel no config matches gets no answer (Rails' missing channel class); '*' answers every other channel", async () => {
    const silent = cable('/silent', { channels: { ChatChannel: {} } });
    const client = await open(silent.url);
    await client.send({ command: 'subscribe', identifier: id('NopeChannel') });
    await nextAnswerIs(client, 'ChatChannel');
    await expect(silent.waitForSubscription({ channel: 'NopeChannel' }, { timeout: 50 })).rejects.toThrow(/1 arrived but did not match: ChatChannel/);

    const rejecting = cable('/rejecting', { channels: { ChatChannel: {}, '*': { subscribe: 'reject' } } });
    const other = await open(rejecting.url);
    await other.send({ command: 'subscribe', identifier: id('NopeChannel') });
    expect(await other.nextJson()).toEqual({ identifier: id('NopeChannel'), type: 'reject_subscription' });
  });

  it('a repeated subscribe of a live subscription is ignored silently; after unsubscribe the identifier subscribes again', async () => {
    const mock = cable('/again');
    const client = await open(mock.url);
    await nextAnswerIs(client, 'ChatChannel');
    await client.send({ command: 'subscribe', identifier: id('ChatChannel') });
    await client.send({ command: 'unsubscribe', identifier: id('ChatChannel') });
    await nextAnswerIs(client, 'ChatChannel');
    expect(mock.subscriptions.map((s) => s.status)).toEqual(['unsubscribed', 'confirmed']);
    expect(mock.ignored).toEqual([]);
  });

  it('an oversize frame closes that connection with 1009; the others go on', async () => {
    const mock = cable('/big', { maxMessageSize: 1024 });
    const client = await open(mock.url);
    const bystander = await open(mock.url);
    await client.send({ command: 'subscribe', identifier: id('ChatChannel', { pad: 'x'.repeat(2000) }) });
    expect((await client.closed).code).toBe(1009);
    await nextAnswerIs(bystander, 'ChatChannel');
  });

  it('refuses bad arguments to the handles, naming the argument and rule', async () => {
    const mock = cable('/args', { channels: { ChatChannel: { subscribe: 'manual' } } });
    const client = await open(mock.url);
    await client.send({ command: 'subscribe', identifier: id('ChatChannel') });
    const sub = await mock.waitForSubscription();
    expect(() => mock.broadcast('', 1)).toThrow('broadcast(stream, message): stream must be a non-empty string, got ""');
    expect(() => mock.broadcast('s', undefined)).toThrow('broadcast(stream, message): message must be a JSON value, got undefined');
    expect(() => mock.broadcast('s', { n: 1n })).toThrow(/broadcast\(stream, message\): message must be a JSON value: .*BigInt/);
    expect(() => sub.streamFrom(5 as never)).toThrow('streamFrom(stream): stream must be a non-empty string, got 5');
    await expect(sub.transmit(() => 1)).rejects.toThrow('transmit(message): message must be a JSON value, got function');
    await expect(sub.waitForAction(5 as never)).rejects.toThrow('waitForAction(action): action must be a string, got number');
    await expect(mock.waitForSubscription('ChatChannel' as never)).rejects.toThrow(/waitForSubscription\(filter\): filter must be \{ channel\?, params\? \} or a predicate/);
    const conn = await mock.waitForConnection();
    await expect(conn.disconnect({ reconnect: 'no' as never })).rejects.toThrow('disconnect({ reconnect }): reconnect must be a boolean, got string');
    await sub.reject();
    await expect(sub.confirm()).rejects.toThrow(/Cannot confirm subscription ChatChannel \{\} on conn-\d+: it was rejected\./);
    expect(() => sub.streamFrom('s')).toThrow(/Cannot stream on subscription ChatChannel \{\} on conn-\d+: it was rejected\./);
  });
});
