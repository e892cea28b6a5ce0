//
// The Phoenix kit's wire protocol: both serializers (vsn 2.0.0 arrays and
// binary frames, vsn 1.0.0 objects) with the real client and a raw `ws`
// client, the heartbeat, and every malformed frame answered as Phoenix
// answers it, without disturbing another connection.
//
import { describe, expect, it } from 'vitest';
import { connect, refusal } from './helpers/client.js';
import { nextEvent, outcome, phoenixSocket } from './helpers/phoenix.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

/** A raw client at the mock's WebSocket endpoint, speaking `vsn`. */
function raw(url: string, vsn = '2.0.0') {
  return connect(`${url}/websocket?vsn=${vsn}`);
}

/** A binary push of vsn 2.0.0 as the phoenix client encodes it (kind 0). */
function binaryPush(joinRef: string, ref: string, topic: string, event: string, payload: Buffer): Buffer {
  const fields = [joinRef, ref, topic, event].map((f) => Buffer.from(f));
  return Buffer.concat([Buffer.from([0, ...fields.map((f) => f.length)]), ...fields, payload]);
}

describe('issue 24: Phoenix vsn 2.0.0 serializer', () => {
  it('answers a heartbeat on topic "phoenix" with an ok reply to its ref', async () => {
    const mock = server.phoenix();
    const client = await raw(mock.url);
    expect(await client.askJson([null, '7', 'phoenix', 'heartbeat', {}])).toEqual([null, '7', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
  });

  it('keeps the real client connected across heartbeats', async () => {
    const mock = server.phoenix();
    const client = phoenixSocket(mock.url, { heartbeatIntervalMs: 20 });
    const socket = await mock.waitForConnection();
    // The client sends its next heartbeat only once the previous one was answered.
    const isHeartbeat = (m: { json?: unknown }) => (m.json as unknown[] | undefined)?.[3] === 'heartbeat';
    await socket.connection.waitForMessage(isHeartbeat);
    await socket.connection.waitForMessage(isHeartbeat);
    const replies = socket.connection.messages.filter((m) => m.direction === 'out' && (m.json as unknown[])[2] === 'phoenix');
    expect(replies[0]!.json).toEqual([null, expect.any(String), 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    expect(client.isConnected()).toBe(true);
  });

  it('joins, replies, pushes and broadcasts as arrays carrying the join ref', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { events: { hi: { reply: { status: 'ok', response: { n: 1 } } } } } } });
    const client = await raw(mock.url);
    expect(await client.askJson(['1', '1', 'room:a', 'phx_join', { x: 1 }])).toEqual(['1', '1', 'room:a', 'phx_reply', { status: 'ok', response: {} }]);
    expect(await client.askJson(['1', '2', 'room:a', 'hi', {}])).toEqual(['1', '2', 'room:a', 'phx_reply', { status: 'ok', response: { n: 1 } }]);
    const channel = await mock.waitForJoin('room:a');
    await channel.push('news', { k: 'v' });
    expect(await client.nextJson()).toEqual(['1', null, 'room:a', 'news', { k: 'v' }]);
    mock.broadcast('room:a', 'all', { b: true });
    expect(await client.nextJson()).toEqual([null, null, 'room:a', 'all', { b: true }]);
    await channel.close();
    expect(await client.nextJson()).toEqual(['1', '1', 'room:a', 'phx_close', {}]);
  });

  it('a push without a ref to an event with a configured reply gets no reply and raises no server error', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { events: { hi: { reply: { status: 'ok', response: { n: 1 } } } } } } });
    const errors: Error[] = [];
    server.on('error', (error) => errors.push(error));
    const client = await raw(mock.url);
    expect(await client.askJson(['1', '1', 'room:a', 'phx_join', {}])).toEqual(['1', '1', 'room:a', 'phx_reply', { status: 'ok', response: {} }]);
    await client.send(JSON.stringify(['1', null, 'room:a', 'hi', {}]));
    const push = await (await mock.waitForJoin('room:a')).waitForPush('hi');
    expect(push.ref).toBeNull();
    // The next frame the client gets is the heartbeat's reply: nothing answered the ref-less push.
    expect(await client.askJson([null, '9', 'phoenix', 'heartbeat', {}])).toEqual([null, '9', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    expect(errors).toEqual([]);
  });

  it('leaves: an ok reply, then phx_close; leaving a topic not joined is ok too', async () => {
    const mock = server.phoenix();
    const client = await raw(mock.url);
    await client.askJson(['1', '1', 'room:a', 'phx_join', {}]);
    expect(await client.askJson(['1', '2', 'room:a', 'phx_leave', {}])).toEqual(['1', '2', 'room:a', 'phx_reply', { status: 'ok', response: {} }]);
    expect(await client.nextJson()).toEqual(['1', '1', 'room:a', 'phx_close', {}]);
    expect((await mock.waitForJoin('room:a')).status).toBe('closed');
    expect(await client.askJson([null, '3', 'room:b', 'phx_leave', {}])).toEqual([null, '3', 'room:b', 'phx_reply', { status: 'ok', response: {} }]);
  });

  it('a second join of a topic closes the first channel, as Phoenix does', async () => {
    const mock = server.phoenix();
    const client = await raw(mock.url);
    await client.askJson(['1', '1', 'room:a', 'phx_join', {}]);
    client.send(['3', '3', 'room:a', 'phx_join', {}]);
    expect(await client.nextJson()).toEqual(['1', '1', 'room:a', 'phx_close', {}]);
    expect(await client.nextJson()).toEqual(['3', '3', 'room:a', 'phx_reply', { status: 'ok', response: {} }]);
    expect(mock.channels('room:a').map((c) => c.joinRef)).toEqual(['3']);
  });

  it('reads the client\'s binary push (kind 0) and sends binary push (0), reply (1) and broadcast (2) frames', async () => {
    const mock = server.phoenix();
    const client = await raw(mock.url);
    await client.askJson(['1', '1', 'room:a', 'phx_join', {}]);
    const channel = await mock.waitForJoin();
    await client.send(binaryPush('1', '2', 'room:a', 'file', Buffer.from([1, 2, 3])));
    const push = await channel.waitForPush('file');
    expect(push.payload).toEqual(Buffer.from([1, 2, 3]));
    expect(push.ref).toBe('2');
    await push.reply('ok', Buffer.from([9]));
    const reply = await client.frame();
    expect(reply.binary).toBe(true);
    expect([...reply.data]).toEqual([1, 1, 1, 6, 2, ...Buffer.from('12room:aok'), 9]);
    await channel.push('blob', Buffer.from([7]));
    expect([...(await client.frame()).data]).toEqual([0, 1, 6, 4, ...Buffer.from('1room:ablob'), 7]);
    mock.broadcast('room:a', 'b', Buffer.from([8]));
    expect([...(await client.frame()).data]).toEqual([2, 6, 1, ...Buffer.from('room:ab'), 8]);
  });

  it('the real client decodes binary payloads as ArrayBuffers, and sends its own', async () => {
    const mock = server.phoenix();
    const channel = phoenixSocket(mock.url).channel('room:a');
    await outcome(channel.join());
    const got = nextEvent(channel, 'bytes');
    const serverChannel = await mock.waitForJoin('room:a');
    await serverChannel.push('bytes', Buffer.from('hello'));
    expect(Buffer.from(await got).toString()).toBe('hello');
    const reply = outcome(channel.push('up', new Uint8Array([4, 5]).buffer));
    const push = await serverChannel.waitForPush('up');
    expect(push.payload).toEqual(Buffer.from([4, 5]));
    await push.reply('ok', { size: 2 });
    expect(await reply).toEqual({ status: 'ok', response: { size: 2 } });
  });
});

describe('issue 24: Phoenix vsn 1.0.0 serializer', () => {
  it('speaks objects with the real client configured for vsn 1.0.0', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:*': { events: { hi: { reply: { status: 'ok', response: { v: 1 } } } } } } });
    const client = phoenixSocket(mock.url, {
      vsn: '1.0.0',
      encode: (msg, callback) => callback(JSON.stringify(msg)),
      decode: (rawMessage, callback) => callback(JSON.parse(rawMessage as string)),
    });
    const channel = client.channel('room:lobby');
    expect((await outcome(channel.join())).status).toBe('ok');
    expect((await mock.waitForConnection()).vsn).toBe('1.0.0');
    expect(await outcome(channel.push('hi', {}))).toEqual({ status: 'ok', response: { v: 1 } });
    const news = nextEvent(channel, 'news');
    mock.broadcast('room:lobby', 'news', { n: 2 });
    expect(await news).toEqual({ n: 2 });
  });

  it('a client without vsn is answered with vsn 1.0.0 objects, as Phoenix assumes', async () => {
    const mock = server.phoenix();
    const client = await connect(`${mock.url}/websocket`);
    expect(await client.askJson({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1' })).toEqual({
      topic: 'phoenix',
      event: 'phx_reply',
      payload: { status: 'ok', response: {} },
      ref: '1',
      join_ref: null,
    });
  });
});

describe('issue 24: Phoenix bad input', () => {
  const closesWith = async (frame: string | Buffer, reason: RegExp, vsn = '2.0.0') => {
    const mock = server.phoenix();
    const bystander = await raw(mock.url);
    await bystander.askJson(['1', '1', 'room:a', 'phx_join', {}]);
    const client = await raw(mock.url, vsn);
    await client.send(frame);
    const closed = await client.closed;
    expect(closed.code).toBe(1011);
    expect(closed.reason).toMatch(reason);
    expect(await bystander.askJson([null, '2', 'phoenix', 'heartbeat', {}])).toEqual([null, '2', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    await mock.remove();
  };

  it('a frame that is not JSON crashes the socket (1011 naming why); other sockets go on', async () => {
    await closesWith('not json', /^invalid message: the frame is not JSON$/);
  });

  it('a vsn 2.0.0 frame of the wrong arity or shape is refused the same way', async () => {
    await closesWith('["1","1","room:a"]', /must have 5 elements.*got 3/);
    await closesWith('{"topic":"room:a"}', /must be an array/);
    await closesWith('[null,null,5,"x",{}]', /topic must be a string/);
    await closesWith('[null,null,"t",null,{}]', /event must be a string/);
    await closesWith('[1,null,"t","e",{}]', /join_ref must be a string or null/);
  });

  it('a vsn 1.0.0 frame that is not an object, and a binary frame on 1.0.0, are refused', async () => {
    await closesWith('[1,2]', /must be an object/, '1.0.0');
    await closesWith(Buffer.from([0, 0, 0, 0, 0]), /vsn 1.0.0 has no binary frames/, '1.0.0');
  });

  it('a binary frame of an unknown kind, or shorter than its header says, is refused', async () => {
    await closesWith(Buffer.from([5, 1]), /must be a push \(kind 0\), got kind 5/);
    await closesWith(Buffer.from([0, 9, 0, 0, 0, 1]), /shorter than the sizes in its header/);
  });

  it('an event on a topic not joined is answered with an error reply, "unmatched topic"', async () => {
    const mock = server.phoenix('/socket', { channels: { 'room:a': {} } });
    const client = await raw(mock.url);
    expect(await client.askJson([null, '4', 'room:z', 'new_msg', {}])).toEqual([null, '4', 'room:z', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
    expect(await client.askJson([null, '5', 'phoenix', 'other', {}])).toEqual([null, '5', 'phoenix', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
    // As Phoenix's reply to an unmatched topic: the ref, no join ref (the client still matches it by ref).
    expect(await client.askJson(['9', '9', 'nowhere', 'phx_join', {}])).toEqual([null, '9', 'nowhere', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
  });

  it('a frame over maxMessageSize closes with 1009; an unsupported vsn is refused with 403 on both transports', async () => {
    const mock = server.phoenix('/socket', { maxMessageSize: 64 });
    const client = await raw(mock.url);
    await client.send(JSON.stringify(['1', '1', 'room:a', 'phx_join', { big: 'x'.repeat(100) }]));
    expect((await client.closed).code).toBe(1009);
    const refused = await refusal(`${mock.url}/websocket?vsn=3.0.0`);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'forbidden', message: 'unsupported serializer vsn "3.0.0": the mock speaks 1.0.0 and 2.0.0' });
    const poll = await fetch(`${server.httpUrl}/socket/longpoll?vsn=3.0.0`);
    expect(await poll.json()).toEqual({ status: 403 });
  });

  it('a long-poll POST with a token the mock does not know gets 410, and another method 400', async () => {
    const mock = server.phoenix();
    const post = await fetch(`${server.httpUrl}${mock.path}/longpoll?vsn=2.0.0&token=nope`, { method: 'POST', body: '[]' });
    expect(await post.json()).toEqual({ status: 410 });
    const get = await fetch(`${server.httpUrl}${mock.path}/longpoll?vsn=2.0.0&token=nope`);
    expect(await get.json()).toEqual({ status: 410 });
    expect((await fetch(`${server.httpUrl}${mock.path}/longpoll?vsn=2.0.0`, { method: 'PUT' })).status).toBe(400);
    expect(server.stats().byType.websocket?.totalConnections ?? 0).toBe(0);
  });

  it('lets a page of another origin long-poll (CORS), preflight included', async () => {
    const mock = server.phoenix();
    const origin = 'http://localhost:5173';
    const poll = await fetch(`${server.httpUrl}${mock.path}/longpoll?vsn=2.0.0`, { headers: { origin } });
    expect(poll.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await poll.json()).toEqual({ status: 410, token: expect.any(String), messages: [] });
    const preflight = await fetch(`${server.httpUrl}${mock.path}/longpoll?vsn=2.0.0`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('names each bad field of a config', () => {
    expect(() => server.phoenix('/socket', { channels: { 'room:*': { join: 'later' as never, events: { e: { reply: { status: '' } } } } } })).toThrow(
      expect.objectContaining({
        code: 'WSMOCK_ERR_INVALID_CONFIG',
        issues: expect.arrayContaining([
          expect.objectContaining({ path: 'channels.room:*.join' }),
          expect.objectContaining({ path: 'channels.room:*.events.e.reply.status', message: 'must not be empty' }),
        ]),
      }),
    );
    expect(() => server.phoenix('/socket', { channels: { a: { events: { e: { reply: { status: 'ok', response: '{{#x}}' } } } } } })).toThrow(/not a valid template/);
    expect(() => server.phoenix('/socket', { longpoll: 'yes' as never })).toThrow(/longpoll/);
  });

  it('rejects bad arguments of the handles with the rule', async () => {
    const mock = server.phoenix();
    expect(() => mock.broadcast('', 'e', {})).toThrow('topic must be a non-empty string, got ""');
    expect(() => mock.broadcast('t', '' as never)).toThrow(/event must be a non-empty string/);
    expect(() => mock.presence('t').track('', {})).toThrow(/key must be a non-empty string/);
    await expect(mock.waitForJoin(3 as never)).rejects.toThrow(/topic must be a string or a predicate/);
  });
});
