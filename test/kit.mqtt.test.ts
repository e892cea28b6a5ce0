// The MQTT kit against the real mqtt.js 5 client over ws://: QoS 0, 1 and 2
// both ways, wildcards, retained messages, the will, keep-alive, auth,
// persistent sessions across a drop, takeover, MQTT 5 and 3.1.1.
import { describe, expect, it } from 'vitest';
import { inbox, mqttClient, once, rawMqtt, startMqttClient } from './helpers/mqtt.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

describe('issue 25: MQTT with the real client', () => {
  for (const protocolVersion of [5, 4] as const) {
    it(`MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}: connect, subscribe with + and #, QoS 0, 1 and 2 from the test and from a client`, async () => {
      const broker = server.mqtt();
      const client = await mqttClient(broker.url, { protocolVersion, clientId: 'dash-1', username: 'ada', password: 'pw' });
      const conn = await broker.waitForConnection();
      expect(conn.clientId).toBe('dash-1');
      expect(conn.username).toBe('ada');
      expect(conn.password).toBe('pw');
      expect(conn.protocolVersion).toBe(protocolVersion);
      expect(conn.connection.subprotocol).toBe('mqtt');
      const box = inbox(client);
      const granted = await client.subscribeAsync({ 'sensors/+/temp': { qos: 1 }, 'alerts/#': { qos: 2 }, 'logs/x': { qos: 0 } });
      expect(granted.map((g) => [g.topic, g.qos])).toEqual([
        ['sensors/+/temp', 1],
        ['alerts/#', 2],
        ['logs/x', 0],
      ]);
      expect(await broker.waitForSubscribe('alerts/#')).toMatchObject({ filter: 'alerts/#', qos: 2, granted: 2, clientId: 'dash-1' });

      expect(broker.publish('sensors/kitchen/temp', '21.5', { qos: 1 })).toBe(1);
      expect(broker.publish('alerts/fire/floor1', { level: 'high' }, { qos: 2 })).toBe(1);
      expect(broker.publish('logs/x', 'plain')).toBe(1);
      expect(broker.publish('sensors/kitchen/humidity', 'no one')).toBe(0);
      const temp = await box.next('sensors/kitchen/temp');
      expect([temp.text, temp.packet.qos]).toEqual(['21.5', 1]);
      const alert = await box.next('alerts/fire/floor1');
      expect([JSON.parse(alert.text), alert.packet.qos]).toEqual([{ level: 'high' }, 2]);
      expect((await box.next('logs/x')).text).toBe('plain');

      for (const qos of [0, 1, 2] as const) await client.publishAsync(`cmd/${qos}`, JSON.stringify({ qos }), { qos });
      for (const qos of [0, 1, 2] as const) {
        const sent = await broker.waitForPublish('cmd/+');
        expect(sent).toMatchObject({ topic: `cmd/${qos}`, qos, retain: false, clientId: 'dash-1', json: { qos }, text: `{"qos":${qos}}` });
      }
    });
  }

  it('client to client: a publish reaches every matching subscriber once, at the lower of the two QoS, but not a $ topic through a leading wildcard', async () => {
    const broker = server.mqtt('/broker');
    const [a, b] = await Promise.all([mqttClient(broker.url, { clientId: 'a' }), mqttClient(broker.url, { clientId: 'b', protocolVersion: 4 })]);
    const boxB = inbox(b);
    await b.subscribeAsync({ 'room/#': { qos: 1 }, 'room/+': { qos: 2 }, '#': { qos: 0 } });
    await a.publishAsync('room/1', 'hi', { qos: 2 });
    const got = await boxB.next('room/1');
    expect([got.text, got.packet.qos]).toEqual(['hi', 2]);
    await a.publishAsync('$SYS/x', 'hidden');
    await a.publishAsync('room/1/deep', 'deep', { qos: 1 });
    const deep = await boxB.next('room/1/deep');
    expect(deep.packet.qos).toBe(1);
    expect(boxB.all.map((m) => m.topic)).toEqual(['room/1', 'room/1/deep']);
  });

  it('retained: a retained publish is stored and sent first to a later subscriber, flagged; an empty one clears it; mock.retained reads and sets the store', async () => {
    const broker = server.mqtt('/retained', { retained: { 'config/theme': 'dark', 'config/lang': { payload: { code: 'en' }, qos: 1 } } });
    expect(broker.retained.toJSON()).toEqual({ 'config/theme': 'dark', 'config/lang': '{"code":"en"}' });
    const pub = await mqttClient(broker.url, { clientId: 'pub' });
    await pub.publishAsync('status/door', 'open', { retain: true, qos: 1 });
    await broker.waitForPublish('status/door');
    expect(broker.retained.get('status/door')?.payload.toString()).toBe('open');

    const sub = await mqttClient(broker.url, { clientId: 'sub' });
    const box = inbox(sub);
    await sub.subscribeAsync(['config/+', 'status/#'], { qos: 1 });
    const first = await Promise.all([box.next('config/theme'), box.next('config/lang'), box.next('status/door')]);
    expect(first.map((m) => [m.text, m.packet.retain])).toEqual([
      ['dark', true],
      ['{"code":"en"}', true],
      ['open', true],
    ]);
    await pub.publishAsync('status/door', 'closed', { qos: 1 });
    const live = await box.next('status/door');
    expect([live.text, live.packet.retain]).toEqual(['closed', false]);

    await pub.publishAsync('status/door', '', { retain: true, qos: 1 });
    await broker.waitForPublish('status/door');
    await broker.waitForPublish('status/door');
    expect(broker.retained.has('status/door')).toBe(false);
    broker.retained = { 'config/theme': 'light' };
    expect([...broker.retained.keys()]).toEqual(['config/theme']);
    broker.retained.set('status/window', 'shut');
    const late = await mqttClient(broker.url, { clientId: 'late' });
    const lateBox = inbox(late);
    await late.subscribeAsync('#');
    const stored = await Promise.all([lateBox.next('config/theme'), lateBox.next('status/window')]);
    expect(stored.map((m) => m.text)).toEqual(['light', 'shut']);
    expect(lateBox.all).toHaveLength(2);
  });

  it('the will is published when a client drops without DISCONNECT, not after a DISCONNECT; conn.will shows it', async () => {
    const broker = server.mqtt('/will');
    const watcher = await mqttClient(broker.url, { clientId: 'watcher' });
    const box = inbox(watcher);
    await watcher.subscribeAsync('status/#', { qos: 1 });
    await broker.waitForConnection();
    const will = { topic: 'status/dev', payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const polite = await mqttClient(broker.url, { clientId: 'polite', will: { ...will, topic: 'status/polite' } });
    const rude = await mqttClient(broker.url, { clientId: 'rude', will, protocolVersion: 4 });
    await broker.waitForConnection();
    const rudeConn = await broker.waitForConnection();
    expect(rudeConn.will).toMatchObject({ topic: 'status/dev', qos: 1, retain: true });
    expect(rudeConn.will?.payload.toString()).toBe('offline');

    await polite.endAsync();
    await rudeConn.connection.terminate();
    const got = await box.next('status/dev');
    expect([got.text, got.packet.qos]).toEqual(['offline', 1]);
    expect(broker.retained.get('status/dev')?.payload.toString()).toBe('offline');
    expect(box.all.map((m) => m.topic)).toEqual(['status/dev']);
    void rude;
  });

  it('auth: accepted, refused with the CONNACK code of each version (bad credentials 0x86 / 4, none 0x87 / 5); declarative users too', async () => {
    const seen: unknown[] = [];
    const broker = server.mqtt('/auth', {
      auth: async (username, password, clientId) => {
        seen.push([username, password, clientId]);
        return username === 'ada' && password === 'secret';
      },
    });
    await mqttClient(broker.url, { clientId: 'ok', username: 'ada', password: 'secret' });
    for (const [protocolVersion, withUser, code] of [
      [5, true, 0x86],
      [5, false, 0x87],
      [4, true, 4],
      [4, false, 5],
    ] as const) {
      const client = startMqttClient(broker.url, { protocolVersion, clientId: 'no', ...(withUser ? { username: 'ada', password: 'wrong' } : {}) });
      const err = await once<Error & { code?: number }>(client, 'error');
      expect(err.code).toBe(code);
    }
    expect(seen[0]).toEqual(['ada', 'secret', 'ok']);
    expect(seen[2]).toEqual([undefined, undefined, 'no']);

    const users = server.mqtt('/users', { auth: { users: { bob: 'pw' } } });
    await mqttClient(users.url, { username: 'bob', password: 'pw' });
    const refused = startMqttClient(users.url, { username: 'bob', password: 'nope' });
    expect((await once<Error & { code?: number }>(refused, 'error')).code).toBe(0x86);
  });

  for (const protocolVersion of [4, 5] as const) {
    it(`persistent session (${protocolVersion === 5 ? 'MQTT 5 clean: false with a session expiry' : '3.1.1 cleanSession: false'}): after a drop, the reconnecting client keeps its subscriptions and gets the QoS 1 and 2 messages queued meanwhile`, async () => {
      const broker = server.mqtt('/persist');
      const options = { clientId: 'keeper', clean: false, protocolVersion, ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}) };
      const first = await mqttClient(broker.url, options);
      expect(first.connected).toBe(true);
      await first.subscribeAsync('orders/#', { qos: 2 });
      const conn = await broker.waitForConnection();
      await conn.connection.terminate();
      await once(first, 'close');
      expect(broker.publish('orders/1', 'one', { qos: 1 })).toBe(1);
      expect(broker.publish('orders/2', 'two', { qos: 2 })).toBe(1);
      expect(broker.publish('orders/3', 'lost at QoS 0')).toBe(0);

      const again = startMqttClient(broker.url, options);
      const box = inbox(again);
      const connack = await once<{ sessionPresent: boolean }>(again, 'connect');
      expect(connack.sessionPresent).toBe(true);
      const got = [await box.next('orders/1'), await box.next('orders/2')];
      expect(got.map((m) => [m.text, m.packet.qos])).toEqual([
        ['one', 1],
        ['two', 2],
      ]);
      expect((await broker.waitForConnection()).subscriptions).toEqual({ 'orders/#': 2 });
      expect(broker.publish('orders/4', 'live')).toBe(1);
      expect((await box.next('orders/4')).text).toBe('live');
      expect(box.all.map((m) => m.topic)).toEqual(['orders/1', 'orders/2', 'orders/4']);
    });
  }

  it('a clean session starts empty: sessionPresent false, no old subscriptions; MQTT 5 session expiry 0 ends the session with the connection', async () => {
    const broker = server.mqtt('/clean');
    const first = await mqttClient(broker.url, { clientId: 'c1', clean: false });
    await first.subscribeAsync('x/#', { qos: 1 });
    await first.endAsync();
    expect(broker.publish('x/1', 'gone', { qos: 1 })).toBe(0);
    const second = startMqttClient(broker.url, { clientId: 'c1', clean: false });
    expect((await once<{ sessionPresent: boolean }>(second, 'connect')).sessionPresent).toBe(false);
  });

  it('takeover: a second connection with the same client id ends the first (MQTT 5: DISCONNECT 0x8e) and takes its session', async () => {
    const broker = server.mqtt('/takeover');
    const first = await mqttClient(broker.url, { clientId: 'same', clean: false, properties: { sessionExpiryInterval: 60 } });
    await first.subscribeAsync('t/#', { qos: 1 });
    const disconnected = once<{ reasonCode: number }>(first, 'disconnect');
    const second = await mqttClient(broker.url, { clientId: 'same', clean: false, properties: { sessionExpiryInterval: 60 } });
    expect((await disconnected).reasonCode).toBe(0x8e);
    await once(first, 'close');
    const box = inbox(second);
    expect(broker.publish('t/1', 'to the new one', { qos: 1 })).toBe(1);
    expect((await box.next('t/1')).text).toBe('to the new one');
    const [a, b] = [await broker.waitForConnection(), await broker.waitForConnection()];
    expect([a.isOpen, b.isOpen]).toEqual([false, true]);
  });

  it('MQTT 5: user properties pass through both ways; conn.disconnect(reasonCode) sends DISCONNECT with it; a client DISCONNECT 0x04 still publishes the will', async () => {
    const broker = server.mqtt('/v5');
    const watcher = await mqttClient(broker.url, { clientId: 'watcher' });
    const box = inbox(watcher);
    await watcher.subscribeAsync('#', { qos: 1 });
    await broker.waitForConnection();
    const client = await mqttClient(broker.url, { clientId: 'v5', will: { topic: 'wills/v5', payload: Buffer.from('bye'), qos: 0, retain: false } });
    const conn = await broker.waitForConnection();
    await client.publishAsync('data/1', 'x', { qos: 1, properties: { userProperties: { trace: 'abc' }, contentType: 'text/plain' } });
    const sent = await broker.waitForPublish('data/1');
    expect(sent.properties).toEqual({ userProperties: { trace: 'abc' }, contentType: 'text/plain' });
    const relayed = await box.next('data/1');
    expect(relayed.packet.properties).toMatchObject({ userProperties: { trace: 'abc' }, contentType: 'text/plain' });
    broker.publish('data/2', 'y', { properties: { userProperties: { from: 'test' } } });
    expect((await box.next('data/2')).packet.properties?.userProperties).toEqual({ from: 'test' });

    const told = once<{ reasonCode: number }>(client, 'disconnect');
    const closed = await conn.disconnect(0x8b);
    expect((await told).reasonCode).toBe(0x8b);
    expect(closed.code).toBe(1000);
    expect((await box.next('wills/v5')).text).toBe('bye');

    const leaving = await mqttClient(broker.url, { clientId: 'leaving', will: { topic: 'wills/leaving', payload: Buffer.from('asked'), qos: 0, retain: false } });
    await leaving.endAsync(false, { reasonCode: 0x04 });
    expect((await box.next('wills/leaving')).text).toBe('asked');
    await expect(conn.disconnect()).rejects.toMatchObject({ code: 'WSMOCK_ERR_CONNECTION_CLOSED' });
    expect(() => broker.publish('a/+', 'x')).toThrow(/topic must be a topic name/);
  });

  it('keep-alive: PINGREQ answered; a client silent for 1.5 x its keep-alive is dropped (MQTT 5: DISCONNECT 0x8d) and its will published', async () => {
    const broker = server.mqtt('/keepalive');
    const watcher = await mqttClient(broker.url, { clientId: 'watcher' });
    const box = inbox(watcher);
    await watcher.subscribeAsync('wills/#');
    const raw = await rawMqtt(broker.url, 5);
    const connack = await raw.connect({ clientId: 'silent', keepalive: 1, will: { topic: 'wills/silent', payload: Buffer.from('timed out'), qos: 0, retain: false } });
    expect(connack).toMatchObject({ cmd: 'connack', reasonCode: 0 });
    await raw.send({ cmd: 'pingreq' });
    expect((await raw.packet()).cmd).toBe('pingresp');
    const started = Date.now();
    expect(await raw.packet()).toMatchObject({ cmd: 'disconnect', reasonCode: 0x8d });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect((await raw.client.closed).code).toBe(1000);
    expect((await box.next('wills/silent')).text).toBe('timed out');
    expect(watcher.connected).toBe(true);
  });

  it('topics: a declarative reply with templates, and a function answering through conn and its return value; conn.publish reaches one client', async () => {
    const broker = server.mqtt('/topics', {
      topics: {
        'cmd/+': { reply: { topic: 'ack/{{levels.1}}', payload: { ok: true, got: '{{json.n}}', from: '{{clientId}}' }, qos: 1 } },
        'ask/#': (publish, conn) => {
          void conn.publish('private/answer', `to ${conn.clientId}`);
          return { topic: 'answers/all', payload: publish.text.toUpperCase() };
        },
      },
    });
    const client = await mqttClient(broker.url, { clientId: 'app' });
    const box = inbox(client);
    await client.subscribeAsync(['ack/+', 'answers/#', 'private/#'], { qos: 1 });
    await client.publishAsync('cmd/open', JSON.stringify({ n: 7 }), { qos: 1 });
    const ack = await box.next('ack/open');
    expect([JSON.parse(ack.text), ack.packet.qos]).toEqual([{ ok: true, got: 7, from: 'app' }, 1]);
    await client.publishAsync('ask/x', 'hello');
    expect((await box.next('private/answer')).text).toBe('to app');
    expect((await box.next('answers/all')).text).toBe('HELLO');
    const conn = await broker.waitForConnection();
    await conn.publish('direct/1', 'only you', { qos: 2 });
    expect((await box.next('direct/1')).packet.qos).toBe(2);
  });

  it('UNSUBSCRIBE: UNSUBACK, and the topic is no longer delivered; an MQTT 3.1 client (MQIsdp, subprotocol mqttv3.1) is served too', async () => {
    const broker = server.mqtt('/unsub');
    const client = await mqttClient(broker.url, { clientId: 'u' });
    const box = inbox(client);
    await client.subscribeAsync(['a/#', 'b/#']);
    await client.unsubscribeAsync('a/#');
    expect((await broker.waitForConnection()).subscriptions).toEqual({ 'b/#': 0 });
    expect(broker.publish('a/1', 'gone')).toBe(0);
    expect(broker.publish('b/1', 'kept')).toBe(1);
    expect((await box.next('b/1')).text).toBe('kept');
    expect(box.all.map((m) => m.topic)).toEqual(['b/1']);

    const old = await mqttClient(broker.url, { clientId: 'old', protocolVersion: 3, protocolId: 'MQIsdp' });
    const conn = await broker.waitForConnection();
    expect([conn.protocolVersion, conn.connection.subprotocol]).toEqual([3, 'mqttv3.1']);
    const oldBox = inbox(old);
    await old.subscribeAsync('c', { qos: 1 });
    broker.publish('c', 'three-one', { qos: 1 });
    expect((await oldBox.next('c')).text).toBe('three-one');
  });

  it('MQTT 5 receive maximum: no more QoS 1 messages in flight than the client takes; each PUBACK lets the next queued one go', async () => {
    const broker = server.mqtt('/flow');
    const raw = await rawMqtt(broker.url, 5);
    await raw.connect({ clientId: 'slow', properties: { receiveMaximum: 1 } });
    await raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'q', qos: 1 }] } as never);
    expect(await raw.packet()).toMatchObject({ cmd: 'suback', granted: [1] });
    for (const n of [1, 2, 3]) expect(broker.publish('q', `m${n}`, { qos: 1 })).toBe(1);
    const first = (await raw.packet()) as { cmd: string; messageId: number; payload: Buffer };
    expect([first.cmd, first.payload.toString()]).toEqual(['publish', 'm1']);
    await raw.send({ cmd: 'pingreq' });
    // Only PINGRESP comes back before the PUBACK: m2 waits.
    expect((await raw.packet()).cmd).toBe('pingresp');
    await raw.send({ cmd: 'puback', messageId: first.messageId } as never);
    const second = (await raw.packet()) as { messageId: number; payload: Buffer };
    expect(second.payload.toString()).toBe('m2');
    await raw.send({ cmd: 'puback', messageId: second.messageId } as never);
    expect(((await raw.packet()) as { payload: Buffer }).payload.toString()).toBe('m3');
  });
});

describe('issue 27: MQTT waitForConnection takes the query and headers filters', () => {
  it('each wait takes the client whose handshake carries its query parameter; a bad filter is refused', async () => {
    const broker = server.mqtt();
    const one = await mqttClient(`${broker.url}?worker=1`, { clientId: 'w1' });
    const two = await mqttClient(`${broker.url}?worker=2`, { clientId: 'w2' });
    expect((await broker.waitForConnection({ query: { worker: '2' } })).clientId).toBe('w2');
    expect((await broker.waitForConnection({ query: { worker: '1' } })).clientId).toBe('w1');
    await expect(broker.waitForConnection({ query: { worker: '3' }, timeout: 50 })).rejects.toThrow(/with query worker="3"/);
    await expect(broker.waitForConnection({ query: { worker: 1 as unknown as string } })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' });
    await Promise.all([one.endAsync(), two.endAsync()]);
  });
});
