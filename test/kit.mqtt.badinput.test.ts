// Malformed and out-of-order MQTT over WebSocket, answered as a broker does:
// MQTT 5 after CONNACK, a DISCONNECT with the reason code then the close;
// 3.1.1 (or before CONNACK), the close (1002) alone. Only that connection
// is affected. Also: packets split across frames and several in one frame.
import { describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { inbox, mqttClient, mqttPacket, rawMqtt, type RawMqtt } from './helpers/mqtt.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

/** A bystander subscribed to `live/#`; `check()` proves it is still served. */
async function bystander(url: string) {
  const client = await mqttClient(url, { clientId: `bystander-${Math.random()}` });
  const box = inbox(client);
  await client.subscribeAsync('live/#');
  let n = 0;
  return {
    async check(publish: (topic: string) => void) {
      const topic = `live/${++n}`;
      publish(topic);
      expect((await box.next(topic)).topic).toBe(topic);
      expect(client.connected).toBe(true);
    },
  };
}

/** Expects the broker's answer to a protocol error: MQTT 5 a DISCONNECT with `reason`, then the close; else the close 1002. */
async function expectEnded(raw: RawMqtt, reason: number, accepted = true): Promise<void> {
  if (raw.version === 5 && accepted) {
    expect(await raw.packet()).toMatchObject({ cmd: 'disconnect', reasonCode: reason });
    expect((await raw.client.closed).code).toBe(1000);
  } else {
    expect((await raw.client.closed).code).toBe(1002);
  }
}

describe('issue 25: MQTT bad input', () => {
  for (const version of [5, 4] as const) {
    const name = version === 5 ? 'MQTT 5' : 'MQTT 3.1.1';

    it(`${name}: a bad remaining length (five continuation bytes) is a malformed packet: that connection ends, the bystander is served`, async () => {
      const broker = server.mqtt();
      const other = await bystander(broker.url);
      const raw = await rawMqtt(broker.url, version);
      expect((await raw.connect()).cmd).toBe('connack');
      await raw.sendBytes(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]));
      await expectEnded(raw, 0x81);
      await other.check((topic) => broker.publish(topic, 'x'));
    });

    it(`${name}: a packet before CONNECT closes the connection (1002) with nothing sent back`, async () => {
      const broker = server.mqtt();
      const raw = await rawMqtt(broker.url, version);
      await raw.send({ cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as never);
      expect(await raw.client.closed).toMatchObject({ code: 1002, reason: expect.stringMatching(/PUBLISH before CONNECT/) });
      expect(raw.client.received).toEqual([]);
    });

    it(`${name}: a reserved packet type, bad fixed-header flags, a second CONNECT, a text frame: each ends its connection alone`, async () => {
      const broker = server.mqtt();
      const other = await bystander(broker.url);
      const cases: [string, (raw: RawMqtt) => Promise<void>, number][] = [
        ['reserved type 0', (raw) => raw.sendBytes(Buffer.from([0x00, 0x00])), 0x81],
        ['SUBSCRIBE with flags 0', (raw) => raw.sendBytes(Buffer.from([0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00])), 0x81],
        ['PUBLISH with both QoS bits', (raw) => raw.sendBytes(Buffer.from([0x36, 0x03, 0x00, 0x01, 0x61])), 0x81],
        ['a second CONNECT', (raw) => raw.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'again', clean: true, keepalive: 0 } as never), 0x82],
        ['a text frame', (raw) => raw.client.send('hello'), 0x82],
        ['a server-only packet (CONNACK)', (raw) => raw.sendBytes(Buffer.from([0x20, 0x02, 0x00, 0x00])), 0x82],
        // Packet id 1 and, in MQTT 5, an empty property list; then no topic filter.
        ['SUBSCRIBE with no topic filter', (raw) => raw.sendBytes(Buffer.from(version === 5 ? [0x82, 0x03, 0x00, 0x01, 0x00] : [0x82, 0x02, 0x00, 0x01])), 0x82],
        ['UNSUBSCRIBE with no topic filter', (raw) => raw.sendBytes(Buffer.from(version === 5 ? [0xa2, 0x03, 0x00, 0x01, 0x00] : [0xa2, 0x02, 0x00, 0x01])), 0x82],
      ];
      for (const [what, send, reason] of cases) {
        const raw = await rawMqtt(broker.url, version);
        await raw.connect({ clientId: what });
        await send(raw);
        await expectEnded(raw, reason);
        await other.check((topic) => broker.publish(topic, what));
      }
    });

    it(`${name}: a packet over maximumPacketSize ends the connection as soon as its header says so (MQTT 5: 0x95)`, async () => {
      const broker = server.mqtt('/small', { maximumPacketSize: 256 });
      const other = await bystander(broker.url);
      const raw = await rawMqtt(broker.url, version);
      const connack = await raw.connect();
      if (version === 5) expect(connack).toMatchObject({ properties: { maximumPacketSize: 256 } });
      // Only the header of a 10 kB PUBLISH: the broker does not wait for the rest.
      await raw.sendBytes(Buffer.from([0x30, 0x90, 0x4e]));
      await expectEnded(raw, 0x95);
      await other.check((topic) => broker.publish(topic, 'x'));
    });
  }

  it('an MQTT 3.1.1 client sending a wildcard topic in PUBLISH is closed; an invalid filter in SUBSCRIBE gets 0x80 in its SUBACK (MQTT 5: 0x8f)', async () => {
    const broker = server.mqtt();
    const v5 = await rawMqtt(broker.url, 5);
    await v5.connect({ clientId: 'v5' });
    await v5.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/#/b', qos: 0 }, { topic: 'ok/+', qos: 1 }] } as never);
    expect(await v5.packet()).toMatchObject({ cmd: 'suback', messageId: 1, granted: [0x8f, 1] });
    const v4 = await rawMqtt(broker.url, 4);
    await v4.connect({ clientId: 'v4' });
    await v4.send({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'x+', qos: 2 }] } as never);
    expect(await v4.packet()).toMatchObject({ cmd: 'suback', messageId: 2, granted: [0x80] });
    await v4.send({ cmd: 'publish', topic: 'a/+', payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as never);
    await expectEnded(v4, 0x90);
  });

  it('a refused CONNECT gets its CONNACK code, then an ordinary close (1000); 3.1.1 with an empty client id and cleanSession false is refused with 2', async () => {
    const broker = server.mqtt('/refuse', { auth: { users: { ada: 'pw' } } });
    for (const [version, fields, expected] of [
      [4, { username: 'ada', password: Buffer.from('no') }, { returnCode: 4 }],
      [5, {}, { reasonCode: 0x87 }],
    ] as const) {
      const raw = await rawMqtt(broker.url, version);
      expect(await raw.connect(fields)).toMatchObject({ cmd: 'connack', sessionPresent: false, ...expected });
      expect((await raw.client.closed).code).toBe(1000);
    }
    // mqtt-packet will not write this CONNECT (clean session 0, client id ""): its bytes by hand.
    const raw = await rawMqtt(broker.url, 4);
    await raw.sendBytes(Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00]));
    expect(await raw.packet()).toMatchObject({ cmd: 'connack', returnCode: 2 });
    expect((await raw.client.closed).code).toBe(1000);
  });

  it('a packet may span frames and a frame may hold several packets', async () => {
    const broker = server.mqtt();
    const raw = await rawMqtt(broker.url, 4);
    const connect = mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'bytes', clean: true, keepalive: 0 } as never);
    for (const byte of connect) await raw.sendBytes(Buffer.from([byte]));
    expect(await raw.packet()).toMatchObject({ cmd: 'connack', returnCode: 0 });
    const publish = (n: number) => mqttPacket.generate({ cmd: 'publish', topic: `t/${n}`, payload: Buffer.from(`p${n}`), qos: 1, messageId: n, retain: false, dup: false } as never);
    const both = Buffer.concat([publish(1), publish(2), publish(3)]);
    await raw.sendBytes(both.subarray(0, 7));
    await raw.sendBytes(both.subarray(7));
    expect([await raw.packet(), await raw.packet(), await raw.packet()]).toMatchObject([
      { cmd: 'puback', messageId: 1 },
      { cmd: 'puback', messageId: 2 },
      { cmd: 'puback', messageId: 3 },
    ]);
    expect((await broker.waitForPublish('t/3')).text).toBe('p3');
  });

  it('a client offering no MQTT subprotocol is still served (the mock requires none unless requireSubprotocol); bad config is refused naming the field', async () => {
    const broker = server.mqtt('/any');
    const client = await connect(broker.url);
    expect(client.protocol).toBe('');
    expect(() => server.mqtt('/bad', { topics: { 'a/#/b': { reply: { topic: 'x' } } } } as never)).toThrow(/topics\.a\/#\/b: is not a topic filter/);
    expect(() => server.mqtt('/bad2', { maximumPacketSize: 0 })).toThrow(/maximumPacketSize/);
    expect(() => server.mqtt('/bad3', { topics: { 'a/+': { reply: { topic: '{{#x}}' } } } })).toThrow(/not a valid template/);
  });
});
