// The ActionCable kit against the real @rails/actioncable 8 client: welcome,
// subscriptions confirmed, rejected and held, actions, broadcasts to streams,
// transmit, unsubscribe, disconnect, pings, and reconnecting after update().
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionCableMockConfig } from '../src/index.js';
import { ActionCable, consumer, disconnectConsumers, subscribe } from './helpers/actioncable.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(() => disconnectConsumers());

const cable = (path: string, config: Omit<ActionCableMockConfig, 'path'> = {}) => server.actioncable(path, config);

describe('issue 24: ActionCable with the real client', () => {
  it('createConsumer speaks actioncable-v1-json: welcome, a subscription confirmed, perform() reaches waitForAction, broadcasts reach received()', async () => {
    const mock = cable('/cable');
    const app = consumer(mock.url);
    const chat = subscribe(app, { channel: 'ChatChannel', room: 1 });
    const sub = await mock.waitForSubscription({ channel: 'ChatChannel', params: { room: 1 } });
    expect(sub.identifier).toBe('{"channel":"ChatChannel","room":1}');
    expect(sub.params).toEqual({ room: 1 });
    expect(await chat.next('connected')).toEqual({ type: 'connected', reconnected: false });
    expect(sub.status).toBe('confirmed');
    expect(app.connection.getProtocol()).toBe('actioncable-v1-json');
    expect(sub.connection.messages.find((m) => m.direction === 'out')?.json).toEqual({ type: 'welcome' });

    chat.subscription.perform('speak', { text: 'hi' });
    expect(await sub.waitForAction('speak')).toEqual({ action: 'speak', data: { text: 'hi', action: 'speak' } });

    sub.streamFrom('chat_1');
    expect(mock.broadcast('chat_1', { text: 'hello' })).toBe(1);
    expect(mock.broadcast('chat_2', { text: 'nobody' })).toBe(0);
    expect((await chat.next('received')).data).toEqual({ text: 'hello' });
  });

  it('a declarative channel streams from its templated stream and broadcasts its action to every subscriber of the room', async () => {
    const mock = cable('/chat', {
      channels: {
        ChatChannel: {
          streamFrom: 'chat_{{params.room}}',
          actions: { speak: { broadcast: { stream: 'chat_{{params.room}}', message: { text: '{{data.text}}', room: '{{params.room}}', from: '{{connection.id}}' } } } },
        },
      },
    });
    const ada = subscribe(consumer(mock.url), { channel: 'ChatChannel', room: 7 });
    const bob = subscribe(consumer(mock.url), { channel: 'ChatChannel', room: 7 });
    const eve = subscribe(consumer(mock.url), { channel: 'ChatChannel', room: 8 });
    await Promise.all([ada.next('connected'), bob.next('connected'), eve.next('connected')]);
    const adaSub = await mock.waitForSubscription({ params: { room: 7 } });
    expect(adaSub.streams).toEqual(['chat_7']);

    ada.subscription.perform('speak', { text: 'hello room' });
    const expected = { text: 'hello room', room: 7, from: adaSub.connection.id };
    expect((await ada.next('received')).data).toEqual(expected);
    expect((await bob.next('received')).data).toEqual(expected);
    expect(mock.broadcast('chat_8', 'only eve')).toBe(1);
    expect((await eve.next('received')).data).toBe('only eve');
    expect(eve.received).toEqual(['only eve']);
  });

  it('an action with transmit answers the performing subscription alone; a message without an action performs "receive"', async () => {
    const mock = cable('/echo', { channels: { EchoChannel: { actions: { ping: { transmit: { pong: '{{data.n}}' } }, receive: { transmit: { got: '{{data}}' } } } } } });
    const one = subscribe(consumer(mock.url), 'EchoChannel');
    const two = subscribe(consumer(mock.url), 'EchoChannel');
    await Promise.all([one.next('connected'), two.next('connected')]);
    one.subscription.perform('ping', { n: 3 });
    expect((await one.next('received')).data).toEqual({ pong: 3 });
    one.subscription.send({ raw: true });
    expect((await one.next('received', 2)).data).toEqual({ got: { raw: true } });
    const sub = await mock.waitForSubscription();
    expect(sub.actions.map((a) => a.action)).toEqual(['ping', 'receive']);
    expect(two.received).toEqual([]);
  });

  it('an in-process action transmits what it returns (or resolves with); one that throws reaches server.on("error") and the connection goes on', async () => {
    const errors: Error[] = [];
    const onError = (err: Error) => errors.push(err);
    server.on('error', onError);
    try {
      const mock = server.actioncable('/fn', {
        channels: {
          CalcChannel: {
            actions: {
              add: (data) => ({ sum: (data.a as number) + (data.b as number) }),
              later: async (data, sub) => ({ later: data.n, room: sub.params.room }),
              quiet: () => undefined,
              boom: () => {
                throw new Error('no such thing');
              },
            },
          },
        },
      });
      expect(mock.toJSON()).toEqual({ id: mock.id, type: 'actioncable', enabled: true, actioncable: { path: '/fn', channels: { CalcChannel: { actions: {} } } } });
      const calc = subscribe(consumer(mock.url), { channel: 'CalcChannel', room: 5 });
      await calc.next('connected');
      calc.subscription.perform('boom');
      calc.subscription.perform('quiet');
      calc.subscription.perform('add', { a: 2, b: 3 });
      expect((await calc.next('received')).data).toEqual({ sum: 5 });
      calc.subscription.perform('later', { n: 7 });
      expect((await calc.next('received', 2)).data).toEqual({ later: 7, room: 5 });
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^ActionCable action CalcChannel#boom failed on conn-\d+: no such thing$/)]);
      expect(calc.received).toHaveLength(2);
    } finally {
      server.off('error', onError);
    }
  });

  it("a channel with subscribe: 'reject' rejects: the client's rejected() runs and it does not retry", async () => {
    const mock = cable('/reject', { channels: { SecretChannel: { subscribe: 'reject' }, ChatChannel: {} } });
    const app = consumer(mock.url);
    const secret = subscribe(app, 'SecretChannel');
    await secret.next('rejected');
    const sub = await mock.waitForSubscription({ channel: 'SecretChannel' });
    expect(sub.status).toBe('rejected');
    expect(sub.connection.messages.filter((m) => m.direction === 'out').map((m) => m.json)).toContainEqual({ identifier: '{"channel":"SecretChannel"}', type: 'reject_subscription' });
    // The connection serves the next subscription; the rejected one never came back.
    const chat = subscribe(app, 'ChatChannel');
    await chat.next('connected');
    expect(mock.subscriptions.filter((s) => s.channel === 'SecretChannel')).toHaveLength(1);
    await expect(sub.transmit('late')).rejects.toThrow(/subscription SecretChannel \{\} on conn-\d+: it was rejected/);
  });

  it("subscribe: 'manual' holds the subscription for the test: the client's repeated subscribes are ignored, then confirm() or reject() answers", async () => {
    const mock = cable('/manual', { channels: { ChatChannel: { subscribe: 'manual', streamFrom: 'room_{{params.room}}' } } });
    const app = consumer(mock.url);
    const first = subscribe(app, { channel: 'ChatChannel', room: 1 });
    const second = subscribe(app, { channel: 'ChatChannel', room: 2 });
    const held = await mock.waitForSubscription({ params: { room: 1 } });
    expect(held.status).toBe('pending');
    expect(held.streams).toEqual([]);
    // The client resends an unanswered subscribe every 0.5 s: wait for a repeat, which makes no second subscription.
    await held.connection.waitForMessage((m) => m.text?.includes('"subscribe"') === true && m.text.includes('\\"room\\":1'), { timeout: 5000 });
    await held.connection.waitForMessage((m) => m.text?.includes('"subscribe"') === true && m.text.includes('\\"room\\":1'), { timeout: 5000 });
    expect(mock.subscriptions.filter((s) => s.params.room === 1)).toHaveLength(1);

    await held.confirm();
    expect(await first.next('connected')).toEqual({ type: 'connected', reconnected: false });
    expect(held.streams).toEqual(['room_1']);
    mock.broadcast('room_1', { n: 1 });
    expect((await first.next('received')).data).toEqual({ n: 1 });
    await expect(held.confirm()).rejects.toThrow(/it is confirmed already/);

    const other = await mock.waitForSubscription({ params: { room: 2 } });
    await other.reject();
    await second.next('rejected');
    expect(other.status).toBe('rejected');
  });

  it('unsubscribe() ends the subscription: its streams stop and its waits fail', async () => {
    const mock = cable('/unsub');
    const chat = subscribe(consumer(mock.url), 'ChatChannel');
    const sub = await mock.waitForSubscription();
    sub.streamFrom('news');
    await chat.next('connected');
    const waiting = sub.waitForAction('never');
    chat.subscription.unsubscribe();
    await expect(waiting).rejects.toThrow(/the client unsubscribed/);
    expect(sub.status).toBe('unsubscribed');
    expect(sub.streams).toEqual([]);
    expect(mock.broadcast('news', 'x')).toBe(0);
  });

  it('conn.disconnect({ reason, reconnect: false }) sends disconnect and closes: the client stops for good', async () => {
    const mock = cable('/bye');
    const chat = subscribe(consumer(mock.url), 'ChatChannel');
    await chat.next('connected');
    const conn = await mock.waitForConnection();
    const info = await conn.disconnect({ reason: 'unauthorized', reconnect: false });
    expect(info.code).toBe(1000);
    expect(conn.connection.messages.filter((m) => m.direction === 'out').at(-1)?.json).toEqual({ type: 'disconnect', reason: 'unauthorized', reconnect: false });
    expect(await chat.next('disconnected')).toEqual({ type: 'disconnected', willAttemptReconnect: false });
    await expect(conn.disconnect()).rejects.toThrow(/Cannot disconnect: connection conn-\d+ is closed/);
  });

  it('pings every pingInterval with the time in seconds, from a timer the connection releases on close', async () => {
    const mock = cable('/ping', { pingInterval: 20 });
    const client = await connect(mock.url, { protocols: ['actioncable-v1-json', 'actioncable-unsupported'] });
    expect(client.ws.protocol).toBe('actioncable-v1-json');
    expect(await client.nextJson()).toEqual({ type: 'welcome' });
    const ping = await client.nextJson();
    expect(ping).toEqual({ type: 'ping', message: expect.any(Number) });
    expect(Math.abs((ping as { message: number }).message - Date.now() / 1000)).toBeLessThan(5);
    await client.nextJson();
    const conn = await mock.waitForConnection();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await conn.close();
    expect(timers()).toBeLessThan(before);
  });

  it('picks actioncable-unsupported when the client offers only that (the client then disconnects), and serves a client that offers none, as Rails does', async () => {
    const mock = cable('/protocols');
    const old = await connect(mock.url, { protocols: ['actioncable-unsupported'] });
    expect(old.ws.protocol).toBe('actioncable-unsupported');
    const bare = await connect(mock.url);
    expect(bare.ws.protocol).toBe('');
    expect(await bare.nextJson()).toEqual({ type: 'welcome' });
  });

  it('the client reconnects after update() and resubscribes: connected({ reconnected: true }) on the new version', async () => {
    const stale = ActionCable.ConnectionMonitor.staleThreshold;
    // The client notices a dropped connection after staleThreshold seconds without a message; pings keep a live one fresh.
    ActionCable.ConnectionMonitor.staleThreshold = 1;
    try {
      const mock = cable('/restart', { pingInterval: 100 });
      const chat = subscribe(consumer(mock.url), { channel: 'ChatChannel', room: 1 });
      await chat.next('connected');
      const first = await mock.waitForSubscription();
      await mock.update({ channels: { ChatChannel: { streamFrom: 'chat_{{params.room}}' } } });
      expect(await chat.next('disconnected')).toEqual({ type: 'disconnected', willAttemptReconnect: true });
      expect(await chat.next('connected', 2)).toEqual({ type: 'connected', reconnected: true });
      // The new version's subscription is the one streaming (the first version's had no streamFrom).
      const again = await mock.waitForSubscription((s) => s.streams.length > 0);
      expect(again.streams).toEqual(['chat_1']);
      expect(again.connection.id).not.toBe(first.connection.id);
      mock.broadcast('chat_1', 'after restart');
      expect((await chat.next('received')).data).toBe('after restart');
    } finally {
      ActionCable.ConnectionMonitor.staleThreshold = stale;
    }
  });
});
