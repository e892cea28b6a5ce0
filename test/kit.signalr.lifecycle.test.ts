//
// What the SignalR kit gets from the seam, proved on its own mocks:
// server.mocks lists it, update() and reset() close its clients, stats per
// type, the journal, the admin API (what the dashboard lists) and config
// files with its envelope, chaos and record on its frames.
//
import { describe, expect, it } from 'vitest';
import { loadConfigFiles, SignalRMock, type SignalREnvelope } from '../src/index.js';
import { signalRKit } from '../src/kits/builtins.js';
import { adminClient } from './helpers/admin.js';
import { connect, type TestClient } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer, useServers } from './helpers/server.js';

const server = useMockServer();
const start = useServers();
const { file } = scratchDir('wsmock-signalr-');
const RS = '\u001e';

/** A raw client on the hub past its JSON handshake. */
async function hubSocket(url: string): Promise<TestClient> {
  const client = await connect(url);
  await client.send(`{"protocol":"json","version":1}${RS}`);
  expect(await client.next()).toBe(`{}${RS}`);
  return client;
}

const invoke = (id: string, target: string, ...args: unknown[]) => JSON.stringify({ type: 1, invocationId: id, target, arguments: args }) + RS;

describe('issue 25: the SignalR mock has the lifecycle of every mock', () => {
  it('server.mocks lists it with its envelope at /hub by default; in-process methods are left out; server.signalr() is mocks.add(signalRKit)', () => {
    const hub = server.signalr({ id: 'hub', methods: { Echo: (v: unknown) => v, Hello: { result: 'hi {{arguments.0}}' }, Later: 'manual' }, pingInterval: '5s' });
    expect(hub).toBeInstanceOf(SignalRMock);
    expect(server.mocks.add(signalRKit, '/other')).toBeInstanceOf(SignalRMock);
    expect(hub.type).toBe('signalr');
    expect(hub.path).toBe('/hub');
    expect(hub.hubUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hub$/);
    expect(server.mocks.get('hub')).toBe(hub);
    expect(hub.toJSON()).toEqual<SignalREnvelope>({
      id: 'hub',
      type: 'signalr',
      enabled: true,
      signalr: { path: '/hub', methods: { Hello: { result: 'hi {{arguments.0}}' }, Later: 'manual' }, pingInterval: '5s' },
    });
  });

  it('update() closes its clients with 1012 and serves the new version; reset() closes them and removes the mock', async () => {
    const hub = server.signalr({ methods: { V: { result: 1 } } });
    const client = await hubSocket(hub.url);
    expect(await hub.update({ methods: { V: { result: 2 } } })).toBe(1);
    expect(await client.closed).toEqual({ code: 1012, reason: 'mock updated' });
    const again = await hubSocket(hub.url);
    expect(await again.ask(invoke('1', 'V'))).toBe(`{"type":3,"invocationId":"1","result":2}${RS}`);
    await server.reset();
    expect(await again.closed).toMatchObject({ code: 1012 });
    expect(server.mocks.list()).toEqual([]);
  });

  it('disable() refuses negotiate and the WebSocket with 503; enable() serves them again', async () => {
    const hub = server.signalr();
    hub.disable();
    expect((await fetch(`${hub.hubUrl}/negotiate?negotiateVersion=1`, { method: 'POST' })).status).toBe(503);
    hub.enable();
    expect((await fetch(`${hub.hubUrl}/negotiate?negotiateVersion=1`, { method: 'POST' })).status).toBe(200);
  });

  it('stats() counts its connections under the websocket type and the mock; the journal holds both directions', async () => {
    const hub = server.signalr({ methods: { Echo: (v: unknown) => v } });
    const client = await hubSocket(hub.url);
    expect(await client.ask(invoke('1', 'Echo', 'x'))).toBe(`{"type":3,"invocationId":"1","result":"x"}${RS}`);
    const conn = await hub.waitForConnection();
    expect(conn.connection.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', `{"protocol":"json","version":1}${RS}`],
      ['out', `{}${RS}`],
      ['in', invoke('1', 'Echo', 'x')],
      ['out', `{"type":3,"invocationId":"1","result":"x"}${RS}`],
    ]);
    const stats = server.stats();
    expect(stats.connectionsByMock[hub.id]).toBe(1);
    expect(stats.byType.websocket).toMatchObject({ activeConnections: 1, totalMessagesRecv: 2, totalMessagesSent: 2 });
  });

  it('the admin API defines a SignalR mock from its envelope and lists it and its connections (what the dashboard shows); a bad field is named', async () => {
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const envelope = { id: 'chat', type: 'signalr', signalr: { path: '/chat', methods: { Echo: { result: '{{arguments.0}}' } } } };
    expect((await admin.post('/mocks', envelope)).status).toBe(201);
    expect((await admin.get('/mocks/chat')).body).toEqual({ ...envelope, enabled: true });
    expect((await admin.get('/mocks')).body.mocks).toContainEqual(expect.objectContaining({ ...envelope, enabled: true, url: expect.stringMatching(/\/chat$/) }));
    const client = await hubSocket(`${server.url}/chat`);
    expect(await client.ask(invoke('1', 'Echo', 5))).toBe(`{"type":3,"invocationId":"1","result":5}${RS}`);
    const listed = (await admin.get('/websocket/connections')).body.connections;
    expect(listed).toEqual([expect.objectContaining({ mockId: 'chat', path: '/chat', status: 'connected', messagesSent: 2 })]);
    const bad = await admin.post('/mocks', { type: 'signalr', signalr: { path: '/x', pingInterval: 'often' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('signalr.pingInterval');
  });

  it('loads from a config file with declarative methods and serves it', async () => {
    const yaml = file(
      'hub.yaml',
      [
        'version: "1.0"',
        'mocks:',
        '  - id: hub',
        '    type: signalr',
        '    signalr:',
        '      path: /hubs/chat',
        '      methods:',
        '        SendMessage:',
        '          send: { target: ReceiveMessage, args: ["{{arguments.0}}", "{{arguments.1}}"] }',
        '        Ask: manual',
        '',
      ].join('\n'),
    );
    const { mocks } = await loadConfigFiles([yaml]);
    expect(mocks).toEqual([
      { id: 'hub', type: 'signalr', signalr: { path: '/hubs/chat', methods: { SendMessage: { send: { target: 'ReceiveMessage', args: ['{{arguments.0}}', '{{arguments.1}}'] } }, Ask: 'manual' } } },
    ]);
    const own = await start({ mocks });
    const client = await hubSocket(`${own.url}/hubs/chat`);
    await client.send(invoke('1', 'SendMessage', 'ada', 'hi'));
    expect(await client.next()).toBe(`{"type":1,"target":"ReceiveMessage","arguments":["ada","hi"]}${RS}`);
    expect(await client.next()).toBe(`{"type":3,"invocationId":"1"}${RS}`);
  });

  it('chaos applies to its frames: a dropped message is lost, the next one arrives', async () => {
    const own = await start({ seed: 1 });
    const hub = own.signalr();
    const client = await hubSocket(hub.url);
    const conn = await hub.waitForConnection();
    own.chaos({ drop: 1, only: { type: 'contains', value: '"Tick"' } });
    hub.send('Tick', 1);
    hub.send('Tock', 2);
    expect(await client.next()).toBe(`{"type":1,"target":"Tock","arguments":[2]}${RS}`);
    expect(conn.connection.faults.map((f) => [f.kind, f.direction])).toEqual([['drop', 'out']]);
  });

  it('record: true records its frames both ways, as they crossed the wire, in server.recording()', async () => {
    const hub = server.signalr('/recorded', { record: true, methods: { Echo: (v: unknown) => v } });
    const client = await hubSocket(hub.url);
    await client.ask(invoke('1', 'Echo', 1));
    await client.close();
    await (await hub.waitForConnection()).connection.waitForClose();
    const [recorded] = server.recording(hub.id).connections;
    expect(recorded!.frames.map((f) => [f.direction, f.text])).toEqual([
      ['client-to-server', `{"protocol":"json","version":1}${RS}`],
      ['server-to-client', `{}${RS}`],
      ['client-to-server', invoke('1', 'Echo', 1)],
      ['server-to-client', `{"type":3,"invocationId":"1","result":1}${RS}`],
    ]);
  });
});
