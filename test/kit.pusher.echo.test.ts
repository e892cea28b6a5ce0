//
// The Pusher kit against Laravel Echo 2 configured as a Laravel app talks to
// Reverb (`broadcaster: 'reverb'`, wsHost/wsPort, forceTLS: false), with
// pusher-js passed in its options: public channels with `listen`, private
// channels authorised by the mock, presence with here/joining/leaving,
// whispers, and reconnect after update().
//
import Echo from 'laravel-echo';
import { afterEach, describe, expect, it } from 'vitest';
import type { PusherMock } from '../src/index.js';
import { Pusher } from './helpers/pusher.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
const echoes: Echo<'reverb'>[] = [];
afterEach(() => {
  for (const echo of echoes.splice(0)) echo.disconnect();
});

/** An Echo client configured for Reverb, as a Laravel app's bootstrap/echo.js is, pointed at the mock. */
function echoFor(app: PusherMock, params: Record<string, string> = {}): Echo<'reverb'> {
  const { wsHost, wsPort } = app.clientOptions;
  const echo = new Echo<'reverb'>({
    broadcaster: 'reverb',
    key: app.key,
    wsHost,
    wsPort,
    wssPort: wsPort,
    forceTLS: false,
    enabledTransports: ['ws'],
    authEndpoint: app.authUrl,
    auth: { headers: {}, params },
    Pusher,
  } as never);
  echoes.push(echo);
  return echo;
}

/** Resolves with the first value `register` hands its callback. */
const first = <T>(register: (callback: (value: T) => void) => void) => new Promise<T>((resolve) => register(resolve));

describe('issue 24: Pusher protocol 7 with Laravel Echo (broadcaster: reverb)', () => {
  it('Echo.channel().listen() gets an event triggered as a Laravel event (App\\Events namespace)', async () => {
    const app = server.pusher({ key: 'reverb-key', secret: 'reverb-secret' });
    const echo = echoFor(app);
    const shipped = first<{ id: number }>((cb) => echo.channel('orders').listen('OrderShipped', cb));
    await app.waitForSubscription('orders');
    app.trigger('orders', 'App\\Events\\OrderShipped', { id: 7 });
    expect(await shipped).toEqual({ id: 7 });
  });

  it('Echo.private() is authorised by the mock\'s auth endpoint and checked with the secret', async () => {
    const app = server.pusher({ key: 'reverb-key', secret: 'reverb-secret' });
    const echo = echoFor(app);
    const channel = echo.private('orders.7');
    const updated = first<{ status: string }>((cb) => channel.listen('.order.updated', cb));
    const sub = await app.waitForSubscription('private-orders.7');
    expect(sub.socketId).toBe(echo.socketId());
    app.trigger('private-orders.7', 'order.updated', { status: 'paid' });
    expect(await updated).toEqual({ status: 'paid' });
  });

  it('a private channel the mock refuses reports the error through Echo.private().error()', async () => {
    const app = server.pusher({ key: 'reverb-key', secret: 'reverb-secret', channels: { 'private-admin.*': { refuse: true } } });
    const echo = echoFor(app);
    const failure = first<{ type: string; status: number }>((cb) => echo.private('admin.1').error(cb));
    expect(await failure).toMatchObject({ type: 'AuthError', status: 403 });
  });

  it('Echo.join(): here() lists the members, joining() and leaving() follow them; whispers reach the others', async () => {
    const app = server.pusher({ key: 'reverb-key', secret: 'reverb-secret' });
    const ada = echoFor(app, { user_id: '1', user_info: JSON.stringify({ name: 'Ada' }) });
    const room = ada.join('chat.1');
    const here = first<unknown[]>((cb) => room.here(cb));
    expect(await here).toEqual([{ name: 'Ada' }]);
    const joining = first<unknown>((cb) => room.joining(cb));
    const bob = echoFor(app, { user_id: '2', user_info: JSON.stringify({ name: 'Bob' }) });
    const bobRoom = bob.join('chat.1');
    expect(await joining).toEqual({ name: 'Bob' });
    expect(app.members('presence-chat.1').map((m) => m.user_id)).toEqual(['1', '2']);

    const typing = first<unknown>((cb) => bobRoom.listenForWhisper('typing', cb));
    room.whisper('typing', { name: 'Ada' });
    expect(await typing).toEqual({ name: 'Ada' });
    expect(await app.waitForClientEvent('client-typing')).toMatchObject({ channel: 'presence-chat.1', userId: '1', data: { name: 'Ada' } });

    const leaving = first<unknown>((cb) => room.leaving(cb));
    bob.leave('chat.1');
    expect(await leaving).toEqual({ name: 'Bob' });
  });

  it('reconnects after update() and listens again on the same channel', async () => {
    const app = server.pusher({ key: 'reverb-key' });
    const echo = echoFor(app);
    const events: unknown[] = [];
    let resolveSecond: () => void;
    const second = new Promise<void>((resolve) => (resolveSecond = resolve));
    echo.channel('news').listen('.headline', (data: unknown) => {
      events.push(data);
      if (events.length === 2) resolveSecond();
    });
    await app.waitForSubscription('news');
    app.trigger('news', 'headline', { n: 1 });
    await app.update({ activityTimeout: 30 });
    await app.waitForSubscription('news', { timeout: 5000 });
    app.trigger('news', 'headline', { n: 2 });
    await second;
    expect(events).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
