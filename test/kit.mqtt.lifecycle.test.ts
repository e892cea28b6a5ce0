//
// What the MQTT kit gets from the seam, proved on its own mocks: the
// registry lists it, update() and reset() close its clients, stats per type,
// the journal, the admin API (what the dashboard reads) and config files
// with its envelope, chaos and record on its binary frames.
//
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfigFiles, MqttMock, type MqttEnvelope } from '../src/index.js';
import { mqttKit } from '../src/kits/builtins.js';
import { adminClient } from './helpers/admin.js';
import { scratchDir } from './helpers/files.js';
import { inbox, mqttClient, mqttPacket, once, rawMqtt } from './helpers/mqtt.js';
import { useMockServer, useServers } from './helpers/server.js';

const server = useMockServer();
const start = useServers();
const { file } = scratchDir('wsmock-mqtt-');

describe('issue 25: the MQTT mock has the lifecycle of every mock', () => {
  it('server.mocks lists it with type mqtt at /mqtt by default; server.mqtt() is mocks.add(mqttKit); in-process functions stay out of the envelope', () => {
    const broker = server.mqtt({ id: 'broker', auth: () => true, retained: { 'a/b': 'x' }, topics: { 'cmd/+': { reply: { topic: 'ack', payload: 'ok' } }, 'fn/#': () => undefined } });
    const other = server.mocks.add(mqttKit, { path: '/other' });
    expect(server.mocks.list()).toEqual([broker, other]);
    expect(broker).toBeInstanceOf(MqttMock);
    expect(other).toBeInstanceOf(MqttMock);
    expect(broker.path).toBe('/mqtt');
    expect(broker.toJSON()).toEqual<MqttEnvelope>({ id: 'broker', type: 'mqtt', enabled: true, mqtt: { path: '/mqtt', retained: { 'a/b': 'x' }, topics: { 'cmd/+': { reply: { topic: 'ack', payload: 'ok' } } } } });
  });

  it('update() closes its clients with 1012 (their wills published), keeps the retained store and persistent sessions, and the next client gets the new config', async () => {
    const broker = server.mqtt('/update');
    const watcher = await mqttClient(broker.url, { clientId: 'w', protocolVersion: 4 });
    await watcher.subscribeAsync('#', { qos: 1 });
    broker.retained.set('kept', 'yes');
    const closed = once(watcher, 'close');
    expect(await broker.update({ topics: { 'q/+': { reply: { topic: 'r', payload: 'new' } } } })).toBe(1);
    await closed;
    const conn = (await broker.waitForConnection()).connection;
    expect(conn.closeInfo).toMatchObject({ code: 1012 });
    const again = await mqttClient(broker.url, { clientId: 'again' });
    const box = inbox(again);
    await again.subscribeAsync('#');
    expect((await box.next('kept')).text).toBe('yes');
    await again.publishAsync('q/1', 'x');
    expect((await box.next('r')).text).toBe('new');
  });

  it('reset() closes its clients, fails the waits, removes the mock and leaves no keep-alive timer', async () => {
    const own = await start();
    const broker = own.mqtt();
    const raw = await rawMqtt(broker.url, 5);
    await raw.connect({ clientId: 'kept-alive', keepalive: 30 });
    const conn = await broker.waitForConnection();
    const waiting = broker.waitForPublish('never');
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await own.reset();
    expect((await raw.client.closed).code).toBe(1012);
    // Counted once the server's side has closed too: until then `ws` holds a close timer of its own.
    await conn.connection.waitForClose();
    await expect(waiting).rejects.toThrow(/was removed while a wai/);
    expect(own.mocks.list()).toEqual([]);
    expect(timers()).toBeLessThan(before);
  });

  it('stats() counts its connections and binary frames per mock and under byType.websocket; the journal keeps both directions', async () => {
    const broker = server.mqtt('/stats');
    const raw = await rawMqtt(broker.url, 4);
    await raw.connect({ clientId: 'stats' });
    await raw.send({ cmd: 'pingreq' });
    expect((await raw.packet()).cmd).toBe('pingresp');
    const stats = server.stats();
    expect(stats.connectionsByMock[broker.id]).toBe(1);
    expect(stats.byType.websocket).toMatchObject({ totalConnections: 1, activeConnections: 1, totalMessagesRecv: 2, totalMessagesSent: 2 });
    expect(server.connections.list({ mockId: broker.id })).toHaveLength(1);
    const decode = (data: string | Buffer) => {
      const parser = mqttPacket.parser({ protocolVersion: 4 });
      let cmd = '';
      parser.on('packet', (p: { cmd: string }) => (cmd = p.cmd));
      parser.parse(data as Buffer);
      return cmd;
    };
    expect(broker.messages.map((m) => [m.direction, m.binary, decode(m.data)])).toEqual([
      ['in', true, 'connect'],
      ['out', true, 'connack'],
      ['in', true, 'pingreq'],
      ['out', true, 'pingresp'],
    ]);
  });

  it('chaos applies to its frames: with the server’s chaos on, a QoS 0 publish reaches the client twice', async () => {
    const own = await start({ seed: 25 });
    const broker = own.mqtt('/chaos');
    const client = await mqttClient(broker.url);
    const box = inbox(client);
    await client.subscribeAsync('t');
    own.chaos({ duplicate: 1 });
    expect(broker.publish('t', 'twice')).toBe(1);
    await box.next('t');
    await box.next('t');
    expect(box.all.map((m) => m.text)).toEqual(['twice', 'twice']);
  });

  it('record: true records its binary frames both ways, as they crossed the wire, in server.recording()', async () => {
    const broker = server.mqtt('/recorded', { record: true });
    const raw = await rawMqtt(broker.url, 5);
    await raw.connect({ clientId: 'rec' });
    await raw.client.close();
    await (await broker.waitForConnection()).connection.waitForClose();
    const [recorded] = server.recording(broker.id).connections;
    expect(recorded!.frames.map((f) => [f.direction, f.binary !== undefined, Buffer.from(f.binary ?? '', 'base64')[0]! >> 4])).toEqual([
      ['client-to-server', true, 1],
      ['server-to-client', true, 2],
    ]);
  });
});

describe('issue 25: MQTT config files and the admin API', () => {
  it('the admin API creates one from its envelope, lists it and its connections (what the dashboard reads); a bad field is named', async () => {
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const envelope = { id: 'broker', type: 'mqtt', mqtt: { path: '/admin-mqtt', retained: { hello: 'world' }, auth: { users: { ada: 'pw' } } } };
    expect((await admin.post('/mocks', envelope)).status).toBe(201);
    expect((await admin.get('/mocks/broker')).body).toEqual({ ...envelope, enabled: true });
    expect((await admin.get('/mocks')).body.mocks).toContainEqual(expect.objectContaining({ ...envelope, enabled: true }));
    const client = await mqttClient(`${server.url}/admin-mqtt`, { username: 'ada', password: 'pw' });
    const box = inbox(client);
    await client.subscribeAsync('hello');
    expect((await box.next('hello')).text).toBe('world');
    const listed = (await admin.get('/websocket/connections')).body.connections as { mockId: string }[];
    expect(listed.filter((c) => c.mockId === 'broker')).toHaveLength(1);
    const bad = await admin.post('/mocks', { type: 'mqtt', mqtt: { path: '/x', maximumPacketSize: -1, topics: { 'a/+': { reply: {} } } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('mqtt.maximumPacketSize');
    expect(JSON.stringify(bad.body)).toContain('mqtt.topics.a/+.reply.topic');
  });

  it('loads from a config file (envelope type mqtt) and answers as configured', async () => {
    const yaml = file(
      'mqtt.yaml',
      ['version: "1.0"', 'mocks:', '  - id: broker', '    type: mqtt', '    mqtt:', '      path: /mqtt', '      topics:', '        "cmd/+":', '          reply: { topic: "ack/{{levels.1}}", payload: "done {{text}}" }', ''].join('\n'),
    );
    const { mocks } = await loadConfigFiles([yaml]);
    expect(mocks).toEqual([{ id: 'broker', type: 'mqtt', mqtt: { path: '/mqtt', topics: { 'cmd/+': { reply: { topic: 'ack/{{levels.1}}', payload: 'done {{text}}' } } } } }]);
    const own = await start({ mocks });
    const client = await mqttClient((own.mocks.get('broker') as MqttMock).url);
    const box = inbox(client);
    await client.subscribeAsync('ack/#');
    await client.publishAsync('cmd/go', 'now');
    expect((await box.next('ack/go')).text).toBe('done now');
  });
});

describe('issue 25: mqtt-packet costs nothing to a server without an MQTT client', () => {
  it('the built package loads mqtt-packet with the first frame an MQTT mock receives, not when a server starts or an MQTT mock is defined', async () => {
    // In a process of its own: this file's helpers have loaded mqtt-packet already.
    const script = [
      "import { createRequire } from 'node:module';",
      "import WebSocket from 'ws';",
      "const { createMockServer } = await import('./dist/index.js');",
      "const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('mqtt-packet'));",
      'const server = await createMockServer();',
      'const broker = server.mqtt();',
      'const before = loaded();',
      "const ws = new WebSocket(broker.url, 'mqtt');",
      "await new Promise((resolve) => ws.once('open', resolve));",
      'ws.send(Buffer.from([0xc0, 0x00]));',
      "await new Promise((resolve) => ws.once('close', resolve));",
      'console.log(before, loaded());',
      'await server.close();',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url).pathname, timeout: 20_000 });
    expect(stdout).toBe('false true\n');
  }, 30_000);
});
