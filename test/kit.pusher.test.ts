//
// The Pusher kit against the real client: pusher-js 8 (its Node build, over
// its bundled faye-websocket), the mock's own auth endpoint and the `pusher`
// server library signing as a backend does.
//
import PusherServer from 'pusher';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { disconnectPusherClients, next, inState, pusherClient, subscribed } from './helpers/pusher.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(disconnectPusherClients);
const KEY = 'app-key';
const SECRET = 'app-secret';

/** A backend's `pusher` library for the mock's app: what signs private and presence subscriptions in a real app. */
const backend = (secret = SECRET) => new PusherServer({ appId: '1', key: KEY, secret, cluster: 'mt1' });

describe('issue 24: Pusher protocol 7 with pusher-js', () => {
  it('connection_established gives a socket_id (\\d+.\\d+) and the activity timeout; pusher:ping is answered with pusher:pong', async () => {
    const app = server.pusher({ key: KEY, activityTimeout: 30 });
    const client = pusherClient(app);
    await inState(client, 'connected');
    const conn = await app.waitForConnection();
    expect(client.connection.socket_id).toMatch(/^\d+\.\d+$/);
    expect(conn.socketId).toBe(client.connection.socket_id);
    const greeting = conn.connection.messages[0]!;
    expect(JSON.parse(greeting.text!)).toEqual({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: conn.socketId, activity_timeout: 30 }) });
    expect(conn.connection.query).toMatchObject({ protocol: '7', client: 'js', version: '8.6.0' });
    client.connection.send_event('pusher:ping', {});
    await conn.connection.waitForMessage((m) => (m.json as { event?: string } | undefined)?.event === 'pusher:ping');
    await vi.waitFor(() => expect(conn.connection.messages.at(-1)?.text).toBe(JSON.stringify({ event: 'pusher:pong', data: {} })));
  });

  it('a public channel: subscribe, trigger (data JSON-encoded on the wire), socket_id leaves the sender out, unsubscribe', async () => {
    const app = server.pusher({ key: KEY });
    const [a, b] = [pusherClient(app), pusherClient(app)];
    const [chA, chB] = await Promise.all([subscribed(a, 'orders'), subscribed(b, 'orders')]);
    const sub = await app.waitForSubscription('orders');
    expect(sub.channel).toBe('orders');
    expect(sub.member).toBeUndefined();
    expect(app.channels).toEqual({ orders: 2 });
    const [gotA, gotB] = [next(chA, 'shipped'), next(chB, 'shipped')];
    expect(app.trigger('orders', 'shipped', { id: 7 })).toBe(2);
    expect(await gotA).toEqual({ id: 7 });
    expect(await gotB).toEqual({ id: 7 });
    const wire = app.messages.filter((m) => m.direction === 'out' && (m.json as { event?: string } | undefined)?.event === 'shipped').map((m) => m.text);
    expect(wire).toEqual([JSON.stringify({ event: 'shipped', channel: 'orders', data: '{"id":7}' }), JSON.stringify({ event: 'shipped', channel: 'orders', data: '{"id":7}' })]);

    const onlyB = next(chB, 'edited');
    expect(app.trigger('orders', 'edited', 'plain text', { socket_id: a.connection.socket_id })).toBe(1);
    expect(await onlyB).toBe('plain text');

    a.unsubscribe('orders');
    await vi.waitFor(() => expect(app.channels).toEqual({ orders: 1 }));
    expect(app.trigger(['orders', 'nobody-here'], 'tick', {})).toBe(1);
  });

  it('a private channel authorised by the mock\'s own auth endpoint (authEndpoint: mock.authUrl), with the secret checked', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET });
    const client = pusherClient(app);
    const channel = await subscribed(client, 'private-orders.7');
    const sub = await app.waitForSubscription('private-orders.7');
    const frame = sub.connection.connection.received.find((m) => (m.json as { event?: string } | undefined)?.event === 'pusher:subscribe')!;
    expect((frame.json as { data: { auth: string } }).data.auth).toBe(backend().authorizeChannel(sub.socketId, 'private-orders.7').auth);
    const got = next(channel, 'order.shipped');
    app.trigger('private-orders.7', 'order.shipped', { id: 7 });
    expect(await got).toEqual({ id: 7 });
  });

  it('a private channel signed by the pusher server library as a backend does; a wrong secret gets pusher:error 4009', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET });
    const signWith = (secret: string) => ({
      channelAuthorization: {
        customHandler: ({ socketId, channelName }: { socketId: string; channelName: string }, callback: (error: Error | null, data: unknown) => void) =>
          callback(null, backend(secret).authorizeChannel(socketId, channelName)),
      },
    });
    const good = pusherClient(app, signWith(SECRET) as never);
    await subscribed(good, 'private-accounts');
    const bad = pusherClient(app, signWith('not-the-secret') as never);
    const refused = next(bad.subscribe('private-accounts'), 'pusher:error');
    const connectionError = next(bad.connection, 'error');
    expect(await refused).toEqual({ code: 4009, message: expect.stringMatching(/^Invalid signature: Expected HMAC SHA256 hex digest of \d+\.\d+:private-accounts, but got [0-9a-f]{64}$/) });
    expect(await connectionError).toEqual({ type: 'PusherError', data: { code: 4009, message: expect.stringContaining('Invalid signature') } });
    expect(app.channels).toEqual({ 'private-accounts': 1 });
  });

  it('presence: subscription_succeeded lists the members, member_added and member_removed reach the others, mock.members() agrees', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET, channels: { 'presence-room.*': { members: [{ user_id: 'bot', user_info: { name: 'Bot' } }] } } });
    const as = (id: string, name: string) => pusherClient(app, { channelAuthorization: { endpoint: app.authUrl, transport: 'ajax', params: { user_id: id, user_info: JSON.stringify({ name }) } } } as never);
    const ada = as('ada', 'Ada');
    const room = (await subscribed(ada, 'presence-room.1')) as import('pusher-js').PresenceChannel;
    expect((await app.waitForSubscription('presence-room.1')).member).toEqual({ user_id: 'ada', user_info: { name: 'Ada' } });
    expect(room.members.count).toBe(2);
    expect(room.members.me).toEqual({ id: 'ada', info: { name: 'Ada' } });
    const added = next(room, 'pusher:member_added');
    const bob = as('bob', 'Bob');
    await subscribed(bob, 'presence-room.1');
    expect(await added).toEqual({ id: 'bob', info: { name: 'Bob' } });
    expect(app.members('presence-room.1')).toEqual([
      { user_id: 'bot', user_info: { name: 'Bot' } },
      { user_id: 'ada', user_info: { name: 'Ada' } },
      { user_id: 'bob', user_info: { name: 'Bob' } },
    ]);
    const removed = next(room, 'pusher:member_removed');
    bob.disconnect();
    expect(await removed).toEqual({ id: 'bob', info: { name: 'Bob' } });
    expect(app.members('presence-room.1').map((m) => m.user_id)).toEqual(['bot', 'ada']);
  });

  it('client events reach the other members of a private channel, never the sender, and waitForClientEvent sees them', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET });
    const [a, b] = [pusherClient(app), pusherClient(app)];
    const [chA, chB] = await Promise.all([subscribed(a, 'private-chat'), subscribed(b, 'private-chat')]);
    const seenByA: string[] = [];
    chA.bind_global((event: string) => seenByA.push(event));
    const atB = next(chB, 'client-typing');
    expect(chA.trigger('client-typing', { who: 'a' })).toBe(true);
    expect(await atB).toEqual({ who: 'a' });
    const event = await app.waitForClientEvent('client-typing', { channel: 'private-chat' });
    expect(event).toMatchObject({ event: 'client-typing', channel: 'private-chat', data: { who: 'a' }, socketId: a.connection.socket_id });
    expect(await event.connection.waitForClientEvent('client-typing')).toBe(event);
    // Frames to one client are in order: the marker arrives after any echo would have.
    const marker = next(chA, 'marker');
    app.trigger('private-chat', 'marker', {});
    await marker;
    expect(seenByA).toEqual(['marker']);
  });

  it('the mock replies to a client event from its channels config', async () => {
    const app = server.pusher({ key: KEY, channels: { 'private-bot.*': { replies: { 'client-ping': { event: 'pong', data: { ok: true } } } } } });
    const client = pusherClient(app);
    const channel = await subscribed(client, 'private-bot.1');
    const reply = next(channel, 'pong');
    channel.trigger('client-ping', {});
    expect(await reply).toEqual({ ok: true });
  });

  it('reconnects after update(): the mock closes with 1012, pusher-js reconnects with a new socket_id and resubscribes', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET });
    const client = pusherClient(app);
    const channel = await subscribed(client, 'private-feed');
    const first = await app.waitForSubscription('private-feed');
    expect(await app.update({ activityTimeout: 60 })).toBe(1);
    // pusher-js retries a second after a close it has no action for (1012).
    const again = await app.waitForSubscription('private-feed', { timeout: 5000 });
    expect(again.socketId).not.toBe(first.socketId);
    const got = next(channel, 'tick');
    app.trigger('private-feed', 'tick', { n: 1 });
    expect(await got).toEqual({ n: 1 });
    expect(first.connection.connection.closeInfo).toMatchObject({ code: 1012, reason: 'mock updated' });
  });

  it('an unknown app key gets pusher:error 4001 and a close with 4001, and pusher-js gives up (disconnected, as for every 4000-4099 code)', async () => {
    const app = server.pusher({ key: KEY });
    const client = pusherClient(app, {}, 'wrong-key');
    const error = await next(client.connection, 'error');
    // pusher-js reports an error before connection_established as the WebSocket's.
    expect(error).toEqual({ type: 'WebSocketError', error: { type: 'PusherError', data: { code: 4001, message: 'App key wrong-key does not exist.' } } });
    const conn = await app.waitForConnection();
    await vi.waitFor(() => expect(conn.connection.closeInfo).toBeDefined());
    expect(conn.connection.closeInfo).toMatchObject({ code: 4001, reason: 'App key wrong-key does not exist.' });
    await inState(client, 'disconnected');
    expect(server.stats().connectionsByMock[app.id] ?? 0).toBe(0);
  });

  it('conn.error(code, message) sends pusher:error; 4200 closes with 4200 and pusher-js reconnects at once', async () => {
    const app = server.pusher({ key: KEY });
    const client = pusherClient(app);
    await subscribed(client, 'news');
    const conn = (await app.waitForSubscription('news')).connection;
    const error = next(client.connection, 'error');
    await conn.error(4200, 'Please reconnect');
    expect(await error).toEqual({ type: 'PusherError', data: { code: 4200, message: 'Please reconnect' } });
    expect(conn.connection.closeInfo).toMatchObject({ code: 4200 });
    expect((await app.waitForSubscription('news')).socketId).not.toBe(conn.socketId);
  });

  it('user authentication: signin through the mock\'s endpoint, then sendToUser reaches that user', async () => {
    const app = server.pusher({ key: KEY, secret: SECRET, authorize: ({ channel }) => (channel === undefined ? { user_id: 'ada', user_info: { name: 'Ada' } } : true) });
    const client = pusherClient(app);
    client.signin();
    await client.user.signinDonePromise;
    expect(client.user.user_data).toEqual({ id: 'ada', user_info: { name: 'Ada' } });
    const sub = await app.waitForSubscription('#server-to-user-ada');
    expect(sub.connection.user).toEqual({ id: 'ada', user_info: { name: 'Ada' } });
    const got = new Promise((resolve) => client.user.bind('notice', resolve));
    expect(app.sendToUser('ada', 'notice', { text: 'hi' })).toBe(1);
    expect(await got).toEqual({ text: 'hi' });
  });

  it('a path with a prefix is reached through clientOptions.wsPath; two apps on one server each take their exact /app/{key} path', async () => {
    const prefixed = server.pusher({ key: 'behind-proxy', path: '/ws/app/:key' });
    expect(prefixed.clientOptions.wsPath).toBe('/ws');
    expect(prefixed.url).toMatch(/\/ws\/app\/behind-proxy$/);
    const one = server.pusher({ key: 'one', path: '/app/one' });
    const two = server.pusher({ key: 'two', path: '/app/two' });
    const [viaPrefix, toOne, toTwo] = [pusherClient(prefixed), pusherClient(one), pusherClient(two)];
    await Promise.all([subscribed(viaPrefix, 'news'), subscribed(toOne, 'news'), subscribed(toTwo, 'news')]);
    const got = next(toTwo.channel('news')!, 'only-two');
    expect(one.trigger('news', 'only-one', {})).toBe(1);
    expect(two.trigger('news', 'only-two', { n: 2 })).toBe(1);
    expect(await got).toEqual({ n: 2 });
    expect((await prefixed.waitForSubscription('news')).connection.connection.params).toEqual({ key: 'behind-proxy' });
  });
});
