// mqtt-fanout: 1,000 clients subscribed to one MQTT topic (QoS 0), 1,000
// QoS 0 publishes from another client, timed until the last subscriber has
// the last one, with the server's CPU per delivered message. Against the
// aedes broker over WebSocket doing the same (`ws`'s WebSocketServer and
// createWebSocketStream, in the bench's server process). The load is the
// same for both: raw `ws` clients in the load process writing packets made
// by mqtt-packet and parsing what they get with it (no mqtt.js clients).
import mqttPacket from 'mqtt-packet';
import WebSocket from 'ws';

const TOPIC = 'bench/ticks';

/** The scenario's sizes: full, or `--quick`'s smoke check. */
export function mqttSizes(quick) {
  return quick ? { subscribers: 100, publishes: 100 } : { subscribers: 1_000, publishes: 1_000 };
}

/** Server side: an MQTT mock (wsmock), or aedes on a `ws` server (baseline). Resolves with `{ url, close }`. */
export async function mqttFanoutServer(kind, createMockServer) {
  if (kind === 'wsmock') {
    const server = await createMockServer({ port: 0 });
    const broker = server.mqtt('/mqtt');
    return { url: broker.url, close: () => server.close() };
  }
  const { Aedes } = await import('aedes');
  const { WebSocketServer, createWebSocketStream } = await import('ws');
  const aedes = await Aedes.createBroker();
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false) });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => aedes.handle(createWebSocketStream(ws)));
  return {
    url: `ws://127.0.0.1:${wss.address().port}/mqtt`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => aedes.close(() => resolve()));
      }),
  };
}

/** One raw MQTT 3.1.1 client: connected (CONNACK had), each packet it gets handed to `onPacket`. */
function rawClient(url, clientId) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'mqtt', { perMessageDeflate: false });
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const client = { ws, onPacket: undefined, send: (packet) => ws.send(mqttPacket.generate(packet)) };
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connack') return packet.returnCode === 0 ? resolve(client) : reject(new Error(`${clientId}: CONNACK ${packet.returnCode}`));
      client.onPacket?.(packet);
    });
    ws.on('message', (data) => parser.parse(data));
    ws.once('open', () => client.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 }));
    ws.once('error', reject);
  });
}

/** Load side: `count` subscribers of the topic (SUBACK had by each) and the publisher. */
export async function mqttSubscribe({ url, clients: count }) {
  const subscribers = [];
  for (let i = 0; i < count; i += 250) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 250); j++) {
      batch.push(
        rawClient(url, `sub-${j}`).then(
          (client) =>
            new Promise((resolve, reject) => {
              client.onPacket = (packet) => {
                if (packet.cmd !== 'suback') return;
                if (packet.granted[0] !== 0) return reject(new Error(`sub-${j}: SUBACK ${packet.granted[0]}`));
                client.received = 0;
                client.onPacket = undefined;
                resolve(client);
              };
              client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: TOPIC, qos: 0 }] });
            }),
        ),
      );
    }
    subscribers.push(...(await Promise.all(batch)));
  }
  const publisher = await rawClient(url, 'publisher');
  return { subscribers, publisher };
}

/** Load side: calls `done(at)` once every subscriber has `count` more publishes; `fail` on a wrong one. */
export function mqttArm({ subscribers }, count, wallNow, done, fail) {
  let waiting = subscribers.length;
  for (const client of subscribers) {
    let left = count;
    client.onPacket = (packet) => {
      if (packet.cmd !== 'publish' || packet.topic !== TOPIC) return fail(`a subscriber got ${packet.cmd} ${packet.topic ?? ''}`);
      if (--left > 0) return;
      client.onPacket = undefined;
      if (--waiting === 0) done(wallNow());
    };
  }
}

/** Load side: the publisher sends `count` QoS 0 publishes, one frame each. */
export function mqttPublish({ publisher }, count) {
  for (let i = 0; i < count; i++) publisher.send({ cmd: 'publish', topic: TOPIC, payload: Buffer.from(`tick ${i}`), qos: 0, retain: false, dup: false });
}

/** Load side: ends every client. */
export function mqttDrop(load) {
  if (!load) return;
  for (const client of [...load.subscribers, load.publisher]) client.ws.terminate();
}

/** run.mjs side: one measurement, on `kind`'s server. */
export async function measureMqttFanout(kind, { withServer, withLoad, serverCpu, quick }) {
  const { subscribers, publishes } = mqttSizes(quick);
  return withServer(kind, 'mqtt-fanout', (server, { url }) =>
    withLoad(async (load) => {
      load.send({ type: 'mqtt-subscribe', url, clients: subscribers });
      await load.next('mqtt-subscribed');
      load.send({ type: 'mqtt-arm', count: publishes });
      await load.next('armed');
      // A full GC first, on both sides: the burst's CPU is the deliveries', not the collection of what connecting left.
      server.send({ type: 'memory' });
      await server.next('memory');
      const before = await serverCpu(server);
      load.send({ type: 'mqtt-publish', count: publishes });
      const { started } = await load.next('mqtt-published');
      const { at } = await load.next('all-received');
      const after = await serverCpu(server);
      const cpuMicros = after.user - before.user + (after.system - before.system);
      return { 'ms to last delivery': at - started, 'cpu µs/msg': cpuMicros / (subscribers * publishes) };
    }),
  );
}
