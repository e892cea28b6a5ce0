//
// The Phoenix Channels kit with the real `phoenix` client (1.8): joins
// accepted, refused and held, pushes with replies, broadcasts, the server's
// close and crash, presence, over WebSocket and the LongPoll transport.
//
import { LongPoll, Presence } from 'phoenix';
import { describe, expect, it, vi } from 'vitest';
import { nextEvent, outcome, phoenixSocket } from './helpers/phoenix.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

describe('issue 24: Phoenix Channels over WebSocket', () => {
  it('connects at mock.url with params, and joins a channel the config accepts', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { join: { status: 'ok', response: { hello: '{{payload.nick}}', topic: '{{topic}}' } } } } });
    const client = phoenixSocket(mock.url, { params: { token: 'abc' } });
    const socket = await mock.waitForConnection();
    expect(socket.params).toEqual({ token: 'abc' });
    expect(socket.vsn).toBe('2.0.0');
    expect(socket.transport).toBe('websocket');
    const joined = outcome(client.channel('room:lobby', { nick: 'ada' }).join());
    expect(await joined).toEqual({ status: 'ok', response: { hello: 'ada', topic: 'room:lobby' } });
    const channel = await mock.waitForJoin('room:lobby');
    expect(channel.payload).toEqual({ nick: 'ada' });
    expect(channel.status).toBe('joined');
    expect((await socket.waitForJoin()).topic).toBe('room:lobby');
  });

  it('reads the client\'s authToken (a subprotocol on WebSocket, a header on LongPoll) and answers with the phoenix subprotocol', async () => {
    const mock = server.phoenix();
    const ws = phoenixSocket(mock.url, { authToken: 'sekret' });
    await outcome(ws.channel('room:a').join());
    const socket = await mock.waitForConnection();
    expect(socket.authToken).toBe('sekret');
    expect(socket.connection.subprotocol).toBe('phoenix');
    const lp = phoenixSocket(mock.url, { authToken: 'other', transport: LongPoll });
    await outcome(lp.channel('room:a').join());
    expect((await mock.waitForConnection()).authToken).toBe('other');
  });

  it('refuses a join the config refuses, and a topic no channel matches with "unmatched topic"', async () => {
    const mock = server.phoenix('/socket', { channels: { 'private:*': { join: { status: 'error', response: { reason: 'unauthorized' } } }, 'room:lobby': {} } });
    const client = phoenixSocket(mock.url);
    expect(await outcome(client.channel('private:1').join())).toEqual({ status: 'error', response: { reason: 'unauthorized' } });
    expect(await outcome(client.channel('nowhere').join())).toEqual({ status: 'error', response: { reason: 'unmatched topic' } });
    expect(await outcome(client.channel('room:lobby').join())).toEqual({ status: 'ok', response: {} });
    expect((await mock.waitForJoin('private:1')).status).toBe('refused');
  });

  it('holds a manual join for the test: ok(response) and error(response)', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { join: 'manual' } } });
    const client = phoenixSocket(mock.url);
    const first = outcome(client.channel('room:1', { a: 1 }).join());
    const second = outcome(client.channel('room:2').join());
    const one = await mock.waitForJoin('room:1');
    expect(one.status).toBe('joining');
    await one.ok({ welcome: true });
    await (await mock.waitForJoin('room:2')).error({ reason: 'full' });
    expect(await first).toEqual({ status: 'ok', response: { welcome: true } });
    expect(await second).toEqual({ status: 'error', response: { reason: 'full' } });
    await expect(one.ok()).rejects.toThrow(/not waiting for an answer: it is joined/);
  });

  it('answers pushes from the events config, and holds the others for reply()', async () => {
    const mock = server.phoenix('/socket', {
      channels: { 'room:*': { events: { new_msg: { reply: { status: 'ok', response: { echo: '{{payload.body}}' } } }, boom: { reply: { status: 'error', response: { reason: 'no' } } } } } },
    });
    const client = phoenixSocket(mock.url);
    const channel = client.channel('room:lobby');
    await outcome(channel.join());
    expect(await outcome(channel.push('new_msg', { body: 'hi' }))).toEqual({ status: 'ok', response: { echo: 'hi' } });
    expect(await outcome(channel.push('boom', {}))).toEqual({ status: 'error', response: { reason: 'no' } });
    const held = outcome(channel.push('ask', { q: 1 }));
    const server_channel = await mock.waitForJoin('room:lobby');
    const push = await server_channel.waitForPush('ask');
    expect(push.payload).toEqual({ q: 1 });
    await push.reply('ok', { a: 2 });
    expect(await held).toEqual({ status: 'ok', response: { a: 2 } });
    await expect(push.reply('ok')).rejects.toThrow(/answered already/);
    expect(server_channel.pushes.map((p) => p.event)).toEqual(['new_msg', 'boom', 'ask']);
  });

  it('runs in-process join and event handlers', async () => {
    const mock = server.phoenix('/socket', {
      channels: {
        'room:*': {
          join: (channel) => ((channel.payload as { pass?: string }).pass === 'x' ? { status: 'ok' } : { status: 'error', response: { reason: 'bad pass' } }),
          events: { add: async (push) => ({ status: 'ok', response: { sum: (push.payload as number[]).reduce((a, b) => a + b, 0) } }) },
        },
      },
    });
    const client = phoenixSocket(mock.url);
    expect(await outcome(client.channel('room:1', { pass: 'y' }).join())).toEqual({ status: 'error', response: { reason: 'bad pass' } });
    const channel = client.channel('room:2', { pass: 'x' });
    expect((await outcome(channel.join())).status).toBe('ok');
    expect(await outcome(channel.push('add', [1, 2, 3]))).toEqual({ status: 'ok', response: { sum: 6 } });
  });

  it('pushes to a channel and broadcasts to every channel joined on a topic', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { events: { shout: { broadcast: true } } } } });
    const a = phoenixSocket(mock.url).channel('room:lobby');
    const b = phoenixSocket(mock.url).channel('room:lobby');
    const other = phoenixSocket(mock.url).channel('room:other');
    await Promise.all([outcome(a.join()), outcome(b.join()), outcome(other.join())]);
    const got = [nextEvent(a, 'news'), nextEvent(b, 'news')];
    expect(mock.broadcast('room:lobby', 'news', { n: 1 })).toBe(2);
    expect(await Promise.all(got)).toEqual([{ n: 1 }, { n: 1 }]);
    const shouted = [nextEvent(a, 'shout'), nextEvent(b, 'shout')];
    a.push('shout', { loud: true });
    expect(await Promise.all(shouted)).toEqual([{ loud: true }, { loud: true }]);
    const direct = nextEvent(other, 'private');
    await (await mock.waitForJoin('room:other')).push('private', { only: 'you' });
    expect(await direct).toEqual({ only: 'you' });
  });

  it('close() sends phx_close (no rejoin); crash() sends phx_error and the client rejoins', async () => {
    const mock = server.phoenix('/socket');
    const client = phoenixSocket(mock.url);
    const closing = client.channel('room:a');
    const crashing = client.channel('room:b');
    await Promise.all([outcome(closing.join()), outcome(crashing.join())]);
    const closed = new Promise((resolve) => closing.onClose(resolve));
    const a = await mock.waitForJoin('room:a');
    await a.close();
    await closed;
    expect(a.status).toBe('closed');
    const errored = vi.fn();
    crashing.onError(errored);
    const b = await mock.waitForJoin('room:b');
    await b.crash();
    const rejoined = await mock.waitForJoin('room:b');
    expect(rejoined).not.toBe(b);
    expect(rejoined.status).toBe('joined');
    expect(errored).toHaveBeenCalled();
    await expect(b.push('x', {})).rejects.toThrow(/is closed/);
  });

  it('syncs the client Presence with track() and untrack()', async () => {
    const mock = server.phoenix('/socket');
    mock.presence('room:lobby').track('ada', { device: 'phone' });
    const channel = phoenixSocket(mock.url).channel('room:lobby');
    const presence = new Presence(channel);
    const synced = () => new Promise<void>((resolve) => presence.onSync(() => resolve()));
    let sync = synced();
    await outcome(channel.join());
    await sync;
    expect(presence.list((key, { metas }) => ({ key, device: metas[0].device }))).toEqual([{ key: 'ada', device: 'phone' }]);
    sync = synced();
    expect(mock.presence('room:lobby').track('bob', { device: 'laptop' })).toBe(1);
    await sync;
    expect(presence.list((key) => key).sort()).toEqual(['ada', 'bob']);
    sync = synced();
    mock.presence('room:lobby').untrack('ada');
    await sync;
    expect(presence.list((key) => key)).toEqual(['bob']);
    expect(Object.keys(mock.presence('room:lobby').list())).toEqual(['bob']);
  });
});

describe('issue 24: Phoenix Channels over LongPoll', () => {
  it('joins, pushes and receives over the LongPoll transport', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { events: { ping: { reply: { status: 'ok', response: { pong: true } } } } } } });
    const client = phoenixSocket(mock.url, { transport: LongPoll, params: { user: 'ada' } });
    const channel = client.channel('room:lobby');
    expect((await outcome(channel.join())).status).toBe('ok');
    const socket = await mock.waitForConnection();
    expect(socket.transport).toBe('longpoll');
    expect(socket.params).toEqual({ user: 'ada' });
    expect(await outcome(channel.push('ping', {}))).toEqual({ status: 'ok', response: { pong: true } });
    const news = nextEvent(channel, 'news');
    expect(mock.broadcast('room:lobby', 'news', { n: 1 })).toBe(1);
    expect(await news).toEqual({ n: 1 });
  });

  it('a LongPoll client that disconnects closes its connection (by the client); a session without a client ends at once on close', async () => {
    const mock = server.phoenix();
    const client = phoenixSocket(mock.url, { transport: LongPoll });
    await outcome(client.channel('room:a').join());
    const socket = await mock.waitForConnection();
    client.disconnect();
    expect(await socket.connection.waitForClose()).toMatchObject({ code: 1000, reason: 'the long-poll client left' });
    expect(socket.channels).toEqual([]);
    // A session no client polls (only its first GET came) closes without waiting for a poll.
    await fetch(`${server.httpUrl}${mock.path}/longpoll?vsn=2.0.0`);
    const orphan = await mock.waitForConnection();
    const started = performance.now();
    await orphan.close();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('falls back to LongPoll when WebSockets are refused', async () => {
    const mock = server.phoenix('/socket', { handshake: { status: 403 } });
    const client = phoenixSocket(mock.url, { longPollFallbackMs: 5_000 });
    const channel = client.channel('room:lobby');
    expect((await outcome(channel.join())).status).toBe('ok');
    expect((await mock.waitForConnection()).transport).toBe('longpoll');
  });
});
