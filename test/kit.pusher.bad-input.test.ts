//
// Malformed and unwelcome Pusher frames from a raw client: each answered as
// Pusher (or Reverb) answers it, the connection kept open, and a second
// client subscribed to a channel never disturbed.
//
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PusherMock } from '../src/index.js';
import { connect, type TestClient } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
const KEY = 'app-key';
const SECRET = 'app-secret';

const sign = (text: string) => `${KEY}:${createHmac('sha256', SECRET).update(text).digest('hex')}`;

/** A raw client past connection_established, with its socket_id. */
async function socket(app: PusherMock): Promise<{ client: TestClient; socketId: string }> {
  const client = await connect(app.url);
  const { data } = await client.nextJson<{ data: string }>();
  return { client, socketId: (JSON.parse(data) as { socket_id: string }).socket_id };
}

/** A client subscribed to `watch`, and a check that it still gets what is triggered there. */
async function bystander(app: PusherMock) {
  const { client } = await socket(app);
  client.ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'watch' } }));
  await client.nextJson();
  return async () => {
    app.trigger('watch', 'still-here', { ok: true });
    expect(await client.nextJson()).toEqual({ event: 'still-here', channel: 'watch', data: '{"ok":true}' });
  };
}

const error = (code: number, message: string | RegExp, channel?: string) => ({
  event: 'pusher:error',
  ...(channel ? { channel } : {}),
  data: { code, message: typeof message === 'string' ? message : expect.stringMatching(message) },
});

describe('issue 24: bad Pusher frames, answered as Pusher does', () => {
  it('not JSON, not an object, no event, a binary frame, an unknown pusher: event: pusher:error 4200, the connection stays', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET });
    const stillFine = await bystander(app);
    const { client } = await socket(app);
    const cases: [string | Buffer, string | RegExp][] = [
      ['{nope', 'Invalid message format: the frame is not JSON'],
      ['[1,2]', 'Invalid message format: the frame is not a JSON object'],
      ['{"data":{}}', 'Invalid message format: "event" must be a non-empty string'],
      ['{"event":"client-x","channel":7}', 'Invalid message format: "channel" must be a string'],
      [Buffer.from('{"event":"pusher:ping"}'), 'Invalid message format: binary frames are not part of the protocol'],
      ['{"event":"pusher:launch"}', 'Invalid message format: unknown event "pusher:launch"'],
      ['{"event":"pusher:subscribe","data":{}}', /^Invalid message format: pusher:subscribe needs data.channel, a channel name .*; got nothing$/],
      ['{"event":"pusher:subscribe","data":{"channel":"has space"}}', /got "has space"$/],
      ['{"event":"pusher:unsubscribe","data":"not json"}', /^Invalid message format: pusher:unsubscribe needs data.channel/],
      ['{"event":"pusher:signin","data":{}}', 'Invalid message format: pusher:signin needs data.auth and data.user_data (a JSON string)'],
    ];
    for (const [frame, message] of cases) {
      await client.send(frame, { binary: Buffer.isBuffer(frame) });
      expect(await client.nextJson()).toEqual(error(4200, message));
    }
    // An event that is neither pusher: nor client- is ignored, as Pusher and Reverb ignore it.
    client.ws.send('{"event":"my-event","channel":"watch"}');
    client.ws.send('{"event":"pusher:ping"}');
    expect(await client.nextJson()).toEqual({ event: 'pusher:pong', data: {} });
    expect(client.isOpen).toBe(true);
    await stillFine();
  });

  it('private and presence subscriptions: no auth, a bad key, a bad signature, bad channel_data: pusher:error 4009 on the channel', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET });
    const stillFine = await bystander(app);
    const { client, socketId } = await socket(app);
    const subscribe = (data: object) => client.askJson({ event: 'pusher:subscribe', data });
    expect(await subscribe({ channel: 'private-a' })).toEqual(error(4009, 'Auth value for subscription to private-a is required', 'private-a'));
    expect(await subscribe({ channel: 'private-a', auth: 'other-key:abc' })).toEqual(error(4009, "Invalid key in subscription auth data: 'other-key'", 'private-a'));
    expect(await subscribe({ channel: 'private-a', auth: `${KEY}:deadbeef` })).toEqual(
      error(4009, `Invalid signature: Expected HMAC SHA256 hex digest of ${socketId}:private-a, but got deadbeef`, 'private-a'),
    );
    // Signed for another socket: a signature is bound to the connection it was made for.
    expect(await subscribe({ channel: 'private-a', auth: sign(`1.1:private-a`) })).toEqual(error(4009, /^Invalid signature/, 'private-a'));
    expect(await subscribe({ channel: 'presence-r', auth: sign(`${socketId}:presence-r`) })).toEqual(
      error(4009, 'channel_data is required on a presence channel: a JSON string with a user_id', 'presence-r'),
    );
    const noUser = JSON.stringify({ user_info: {} });
    expect(await subscribe({ channel: 'presence-r', auth: sign(`${socketId}:presence-r:${noUser}`), channel_data: noUser })).toEqual(
      error(4009, 'channel_data must hold a user_id (a string or a number)', 'presence-r'),
    );
    const numeric = JSON.stringify({ user_id: 42 });
    const joined = await subscribe({ channel: 'presence-r', auth: sign(`${socketId}:presence-r:${numeric}`), channel_data: numeric });
    expect(joined).toEqual({ event: 'pusher_internal:subscription_succeeded', channel: 'presence-r', data: JSON.stringify({ presence: { ids: ['42'], hash: { 42: null }, count: 1 } }) });
    expect(await subscribe({ channel: '#server-to-user-42' })).toEqual(error(4009, 'Subscription to #server-to-user-42 needs a sign-in as that user', '#server-to-user-42'));
    expect(app.channels).toEqual({ watch: 1, 'presence-r': 1 });
    await stillFine();
  });

  it('client events: on a public channel 4301, from a non-member 4009, over the size limit 4301, turned off 4301; never forwarded', async () => {
    const app = server.pusher({ key: KEY, maxEventSize: 16 });
    const stillFine = await bystander(app);
    const { client } = await socket(app);
    const send = (frame: object) => client.askJson(frame);
    expect(await send({ event: 'client-x', channel: 'watch', data: {} })).toEqual(error(4301, 'Client event rejected - only supported on private and presence channels', 'watch'));
    expect(await send({ event: 'client-x', channel: 'private-room', data: {} })).toEqual(error(4009, 'The client is not a member of the specified channel.', 'private-room'));
    await send({ event: 'pusher:subscribe', data: { channel: 'private-room', auth: 'anything' } });
    expect(await send({ event: 'client-x', channel: 'private-room', data: { text: 'far too long for it' } })).toEqual(
      error(4301, 'Client event rejected: its data is 30 bytes, over the limit of 16', 'private-room'),
    );
    expect(await send({ event: 'client-x' })).toEqual(error(4200, /^Invalid message format: a client event needs "channel"/));
    await app.update({ clientEvents: false });
    const again = await socket(app);
    expect(await again.client.askJson({ event: 'client-x', channel: 'private-room', data: {} })).toEqual(error(4301, 'The app does not have client messaging enabled.', 'private-room'));
    expect(app.messages.filter((m) => m.direction === 'out' && (m.json as { event?: string }).event === 'client-x')).toEqual([]);
  });

  it('a frame over maxMessageSize closes that connection with 1009; the others go on', async () => {
    const app = server.pusher({ key: KEY, maxMessageSize: 256 });
    const stillFine = await bystander(app);
    const { client } = await socket(app);
    client.ws.send(JSON.stringify({ event: 'client-x', channel: 'private-a', data: 'x'.repeat(300) }));
    expect(await client.closed).toMatchObject({ code: 1009 });
    await stillFine();
  });

  it('the auth endpoint: GET is 405, a bad socket_id or channel_name 400, a refused channel 403, a body over 64 KiB 400', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET, channels: { 'private-secret*': { refuse: true } } });
    const post = (body: string, type = 'application/x-www-form-urlencoded') => fetch(app.authUrl, { method: 'POST', headers: { 'content-type': type }, body });
    const get = await fetch(app.authUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const badSocket = await post('socket_id=abc&channel_name=private-a');
    expect(badSocket.status).toBe(400);
    expect(await badSocket.json()).toMatchObject({ error: 'invalid_socket_id' });
    expect((await post('socket_id=1.2&channel_name=bad%20name')).status).toBe(400);
    expect((await post('socket_id=1.2&channel_name=private-secret-1')).status).toBe(403);
    expect((await post('{"socket_id":', 'application/json')).status).toBe(400);
    expect((await post(`socket_id=1.2&pad=${'x'.repeat(70_000)}`)).status).toBe(400);
    const ok = await post('socket_id=1.2&channel_name=private-a');
    expect(await ok.json()).toEqual({ auth: sign('1.2:private-a') });
  });

  it('an unknown key of many UTF-8 bytes: the whole message in pusher:error, the close reason cut to 123 bytes at a character', async () => {
    const app = server.pusher({ key: KEY });
    const key = 'é'.repeat(100);
    const client = await connect(app.url.replace(/app-key$/, encodeURIComponent(key)));
    expect(await client.nextJson()).toEqual(error(4001, `App key ${key} does not exist.`));
    const closed = await client.closed;
    expect(closed.code).toBe(4001);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    expect(`App key ${key} does not exist.`.startsWith(closed.reason)).toBe(true);
  });
});
