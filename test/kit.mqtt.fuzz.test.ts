//
// Random bytes against a live MQTT mock, after a valid CONNECT: packets made
// by mqtt-packet (some corrupted), raw bytes, cut into random frames. The
// broker only ever answers with packets a client can parse, ends a
// connection only as a broker does (MQTT 5: DISCONNECT with a reason code
// from 0x80, then 1000; 3.1.1: 1002), reports no error, and the bystander
// is served after every run.
//
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inbox, mqttClient, mqttPacket, rawMqtt } from './helpers/mqtt.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

const topic = fc.oneof(fc.constantFrom('a', 'a/b', 'live/x', '$SYS/x', 'a/+', '#', '', 'a//b'), fc.string({ maxLength: 6 }));
const qos = fc.constantFrom(0, 1, 2);
const id = fc.integer({ min: 1, max: 65535 });
const packet = fc.oneof(
  fc.record({ cmd: fc.constant('publish'), topic, payload: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)), qos, messageId: id, retain: fc.boolean(), dup: fc.boolean() }),
  fc.record({ cmd: fc.constant('subscribe'), messageId: id, subscriptions: fc.array(fc.record({ topic, qos }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ cmd: fc.constant('unsubscribe'), messageId: id, unsubscriptions: fc.array(topic, { minLength: 1, maxLength: 3 }) }),
  fc.record({ cmd: fc.constantFrom('puback', 'pubrec', 'pubrel', 'pubcomp'), messageId: id }),
  fc.record({ cmd: fc.constantFrom('pingreq', 'disconnect', 'pingresp', 'connack', 'suback') }),
);

/** One packet's bytes (mqtt-packet refuses some of the random ones: raw bytes stand in), maybe with a byte corrupted. */
const bytesOf = (version: 4 | 5) =>
  fc.oneof(
    fc.tuple(packet, fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { nil: undefined })).map(([p, flip]) => {
      let bytes: Buffer;
      try {
        bytes = Buffer.from(mqttPacket.generate(p as never, { protocolVersion: version }));
      } catch {
        bytes = Buffer.from([0x30, 0x00]);
      }
      if (flip && bytes.length > 0) bytes[flip[0] % bytes.length] = flip[1];
      return bytes;
    }),
    fc.uint8Array({ minLength: 1, maxLength: 12 }).map((b) => Buffer.from(b)),
  );

const ALLOWED = new Set(['puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'pingresp', 'publish', 'disconnect']);

describe('issue 25: an MQTT mock under random bytes', () => {
  for (const version of [5, 4] as const) {
    it(`MQTT ${version === 5 ? '5' : '3.1.1'}: only parseable answers, only a broker's way of ending a connection, no error, the bystander served`, async () => {
      const broker = server.mqtt();
      const errors: unknown[] = [];
      server.on('error', (err) => errors.push(err));
      const watcher = await mqttClient(broker.url, { clientId: 'bystander' });
      const box = inbox(watcher);
      await watcher.subscribeAsync('live/#');
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(bytesOf(version), { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 }), async (chunks, cuts) => {
          const raw = await rawMqtt(broker.url, version);
          expect((await raw.connect({ clientId: `fuzz-${++run}` })).cmd).toBe('connack');
          const answers: mqttPacket.Packet[] = [];
          const parser = mqttPacket.parser({ protocolVersion: version });
          parser.on('packet', (p: mqttPacket.Packet) => answers.push(p));
          parser.on('error', (err: Error) => answers.push({ cmd: `unparseable: ${err.message}` } as never));
          raw.client.ws.on('message', (data: Buffer) => parser.parse(data));
          const all = Buffer.concat(chunks);
          let at = 0;
          for (let i = 0; at < all.length && raw.client.isOpen; i++) {
            const size = cuts[i % cuts.length]!;
            await raw.sendBytes(all.subarray(at, at + size)).catch(() => {});
            at += size;
          }
          if (raw.client.isOpen) await raw.client.close();
          const closed = await raw.client.closed;
          for (const answer of answers) expect(ALLOWED.has(answer.cmd)).toBe(true);
          const disconnect = answers.find((a) => a.cmd === 'disconnect') as { reasonCode?: number } | undefined;
          if (disconnect) {
            expect(version).toBe(5);
            expect(disconnect.reasonCode).toBeGreaterThanOrEqual(0x80);
          }
          expect([1000, 1002, 1005]).toContain(closed.code);
          const mark = `live/${run}`;
          broker.publish(mark, 'still here');
          expect((await box.next(mark)).text).toBe('still here');
        }),
        { numRuns: 60 },
      );
      expect(errors).toEqual([]);
    }, 60_000);
  }
});
