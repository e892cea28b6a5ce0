// The STOMP kit has the lifecycle every mock has, from the seam:
// server.mocks, update() (1012), reset(), stats per type, the journal, the
// admin API (what the dashboard lists) and config files with its envelope
// type, chaos and record.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFiles, parseConfig, StompMock, WsMockError } from '../src/index.js';
import { stompKit } from '../src/kits/builtins.js';
import { adminClient } from './helpers/admin.js';
import { connect, type TestClient } from './helpers/client.js';
import { issuesOf } from './helpers/failures.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer, useServers } from './helpers/server.js';
import { deactivateClients, frame, httpOf, parseFrames, stompClient } from './helpers/stomp.js';

const server = useMockServer();
const start = useServers();
const { file } = scratchDir('wsmock-stomp-');
afterEach(() => deactivateClients());

const CONNECT = frame('CONNECT', { 'accept-version': '1.2', 'heart-beat': '0,0' });

/** A raw client past CONNECTED, subscribed to `/topic/t` as `s1`. */
async function subscribed(url: string): Promise<TestClient> {
  const client = await connect(url, { protocols: ['v12.stomp'] });
  await client.send(CONNECT);
  expect(parseFrames(await client.next())[0]!.command).toBe('CONNECTED');
  await client.send(frame('SUBSCRIBE', { id: 's1', destination: '/topic/t', receipt: 'sub' }));
  expect(parseFrames(await client.next())[0]!.command).toBe('RECEIPT');
  return client;
}

describe('issue 25: the STOMP mock has every mock’s lifecycle', () => {
  it('server.mocks lists it with type stomp, at /ws when no path is given; server.stomp() is mocks.add(stompKit)', () => {
    const mock = server.stomp();
    expect(mock).toBeInstanceOf(StompMock);
    expect(server.mocks.add(stompKit, '/other')).toBeInstanceOf(StompMock);
    expect(mock.type).toBe('stomp');
    expect(mock.path).toBe('/ws');
    expect(server.mocks.list()).toContain(mock);
  });

  it('update() closes its clients with 1012 and the next connection gets the new config', async () => {
    const mock = server.stomp('/up');
    const client = await subscribed(mock.url);
    await mock.update({ connect: false });
    expect((await client.closed).code).toBe(1012);
    const again = await connect(mock.url, { protocols: ['v12.stomp'] });
    await again.send(CONNECT);
    expect(parseFrames(await again.next())[0]).toMatchObject({ command: 'ERROR', headers: { message: 'Access refused\\c the mock refused this CONNECT' } });
  });

  it('reset() closes its clients (SockJS HTTP sessions too), fails the waits, removes the mock and leaves no heart-beat timer', async () => {
    const own = await start();
    const mock = own.stomp('/reset', { heartBeat: { outgoing: 10, incoming: 10 }, sockjs: true });
    const client = await connect(mock.url, { protocols: ['v12.stomp'] });
    // The client asks for the server's heart-beats and sends none: the server's timer runs until the reset.
    await client.send(frame('CONNECT', { 'accept-version': '1.2', 'heart-beat': '0,10' }));
    const conn = await mock.waitForConnection();
    const polling = stompClient(mock.url, { sockjs: ['xhr-polling'] });
    await polling.next('connect');
    const waiting = conn.waitForSend('/never');
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await own.reset();
    expect((await client.closed).code).toBe(1012);
    expect((await polling.next('close')).code).toBe(1012);
    await conn.connection.waitForClose();
    await expect(waiting).rejects.toThrow(/closed/);
    expect(own.mocks.list()).toEqual([]);
    expect(timers()).toBeLessThan(before);
  });

  it('stats() counts its connections and frames per mock and under byType.websocket; the journal keeps the STOMP frames both ways', async () => {
    const mock = server.stomp('/stats');
    await subscribed(mock.url);
    expect(server.stats().byType.websocket).toMatchObject({ totalConnections: 1, activeConnections: 1, totalMessagesRecv: 2, totalMessagesSent: 2 });
    expect(server.connections.list({ mockId: mock.id })).toHaveLength(1);
    expect(mock.messages.map((m) => [m.direction, parseFrames(m.text!)[0]!.command])).toEqual([
      ['in', 'CONNECT'],
      ['out', 'CONNECTED'],
      ['in', 'SUBSCRIBE'],
      ['out', 'RECEIPT'],
    ]);
  });

  it('over SockJS the journal holds the STOMP frames, not the SockJS framing', async () => {
    const mock = server.stomp('/sj', { sockjs: true });
    const app = stompClient(mock.url, { sockjs: ['websocket'] });
    await app.next('connect');
    const conn = await mock.waitForConnection();
    expect(conn.connection.messages.map((m) => [m.direction, m.text!.split('\n')[0]])).toEqual([
      ['in', 'CONNECT'],
      ['out', 'CONNECTED'],
    ]);
  });

  it('chaos applies to its frames: with the server’s chaos on, a publish reaches the client twice', async () => {
    const own = await start({ seed: 25 });
    const mock = own.stomp('/chaos');
    const client = await subscribed(mock.url);
    own.chaos({ duplicate: 1 });
    expect(mock.publish('/topic/t', 'x')).toBe(1);
    const [first, second] = [parseFrames(await client.next())[0]!, parseFrames(await client.next())[0]!];
    expect(first).toEqual(second);
    expect(first).toMatchObject({ command: 'MESSAGE', body: 'x' });
  });

  it('record: true records its frames both ways, as they crossed the wire, in server.recording()', async () => {
    const mock = server.stomp('/recorded', { record: true });
    const client = await subscribed(mock.url);
    await client.close();
    await (await mock.waitForConnection()).connection.waitForClose();
    const [recorded] = server.recording(mock.id).connections;
    expect(recorded!.frames.map((f) => [f.direction, f.text!.split('\n')[0]])).toEqual([
      ['client-to-server', 'CONNECT'],
      ['server-to-client', 'CONNECTED'],
      ['client-to-server', 'SUBSCRIBE'],
      ['server-to-client', 'RECEIPT'],
    ]);
  });
});

describe('issue 25: STOMP config files and the admin API', () => {
  it('the admin API creates one from its envelope, lists it (what the dashboard shows) and reads it back', async () => {
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const envelope = { id: 'broker', type: 'stomp', stomp: { path: '/admin-stomp', sockjs: true, destinations: { '/app/chat': { reply: { destination: '/topic/chat', body: '{{body}}' } } } } };
    expect((await admin.post('/mocks', envelope)).status).toBe(201);
    expect((await admin.get('/mocks/broker')).body).toEqual({ ...envelope, enabled: true });
    expect((await admin.get('/mocks')).body.mocks).toContainEqual(expect.objectContaining({ ...envelope, enabled: true }));
    const info = await fetch(`${httpOf(server.url)}/admin-stomp/info`);
    expect(await info.json()).toMatchObject({ websocket: true, cookie_needed: false, origins: ['*:*'] });
    const bad = await admin.post('/mocks', { type: 'stomp', stomp: { path: '/x', versions: ['2.0'] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('versions[0]');
  });

  it('loads from a config file and answers as configured', async () => {
    const yaml = file(
      'stomp.yaml',
      ['version: "1.0"', 'mocks:', '  - id: broker', '    type: stomp', '    stomp:', '      path: /ws', '      destinations:', '        /app/hello:', '          reply: { destination: /topic/greetings, body: { greeting: "Hello, {{json.name}}!" } }', ''].join('\n'),
    );
    const { mocks } = await loadConfigFiles([yaml]);
    expect(mocks).toEqual([{ id: 'broker', type: 'stomp', stomp: { path: '/ws', destinations: { '/app/hello': { reply: { destination: '/topic/greetings', body: { greeting: 'Hello, {{json.name}}!' } } } } } }]);
    const own = await start({ mocks });
    const mock = own.mocks.get('broker') as StompMock;
    expect(mock).toBeInstanceOf(StompMock);
    const app = stompClient(mock.url);
    await app.next('connect');
    app.subscribe('/topic/greetings');
    await mock.waitForSubscribe();
    app.client.publish({ destination: '/app/hello', body: JSON.stringify({ name: 'Ada' }) });
    expect(JSON.parse((await app.next('message')).message.body)).toEqual({ greeting: 'Hello, Ada!' });
  });

  it('names every bad field, in code and in a config file (file, line, field)', () => {
    expect(
      issuesOf(() =>
        server.stomp('/bad', {
          destinations: { '/a': { reply: { destination: '' } }, '/b': { reply: { destination: '/t', body: '{{#open}}' } }, '/c': {} as never },
          versions: [],
          heartBeat: { outgoing: -1 },
          sockjs: { websocket: 'yes' } as never,
          colour: 'red',
        } as never),
      ),
    ).toEqual([
      { path: 'destinations./a.reply.destination', message: 'must not be empty' },
      { path: 'destinations./b.reply.body', message: 'is not a valid template: Unclosed section "open" at 9' },
      { path: 'destinations./c.reply', message: expect.stringMatching(/reply/) },
      { path: 'versions', message: 'must list at least one version' },
      { path: 'heartBeat.outgoing', message: 'must be 0 (off) or more' },
      { path: 'sockjs', message: expect.stringMatching(/true, false or \{ websocket\?/) },
      { path: 'colour', message: expect.stringMatching(/is not a known field/) },
    ]);
    const text = ['version: "1.0"', 'mocks:', '  - type: stomp', '    stomp:', '      path: /ws', '      versions: ["1.3"]', ''].join('\n');
    const error = (() => {
      try {
        parseConfig(text, 'bad.yaml');
      } catch (err) {
        return err as WsMockError;
      }
      throw new Error('expected an error');
    })();
    expect(error.issues).toEqual([expect.objectContaining({ path: 'mocks[0].stomp.versions[0]', message: 'must be "1.0", "1.1" or "1.2"', file: 'bad.yaml', line: 6 })]);
  });
});
