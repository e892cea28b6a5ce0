// The ActionCable kit has the lifecycle every mock has, from the seam:
// server.mocks, update() (1012), reset(), stats per type, the journal, the
// admin API and config files with its envelope type, chaos and record.
import { describe, expect, it } from 'vitest';
import { issuesOf } from './helpers/failures.js';
import { ActionCableMock, loadConfigFiles, parseConfig, WsMockError, type ActionCableMockConfig } from '../src/index.js';
import { actionCableKit } from '../src/kits/builtins.js';
import { adminClient } from './helpers/admin.js';
import { connect, type TestClient } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer, useServers } from './helpers/server.js';

const server = useMockServer();
const start = useServers();
const { file } = scratchDir('wsmock-actioncable-');

const cable = (path: string, config: Omit<ActionCableMockConfig, 'path'> = {}) => server.actioncable(path, config);
const PROTOCOLS = ['actioncable-v1-json', 'actioncable-unsupported'];
const subscribeTo = (channel: string, params: Record<string, unknown> = {}) => ({ command: 'subscribe', identifier: JSON.stringify({ channel, ...params }) });

/** A raw client past the welcome, subscribed to `channel` and confirmed. */
async function subscribed(url: string, channel = 'ChatChannel'): Promise<TestClient> {
  const client = await connect(url, { protocols: PROTOCOLS });
  expect(await client.nextJson()).toEqual({ type: 'welcome' });
  await client.send(subscribeTo(channel));
  expect(await client.nextJson()).toEqual({ identifier: JSON.stringify({ channel }), type: 'confirm_subscription' });
  return client;
}


describe('issue 24: the ActionCable mock has every mock’s lifecycle', () => {
  it('server.mocks lists it with type actioncable, at /cable when no path is given; server.actioncable() is mocks.add(actionCableKit)', () => {
    const mock = server.actioncable();
    expect(mock).toBeInstanceOf(ActionCableMock);
    expect(server.mocks.add(actionCableKit, '/other')).toBeInstanceOf(ActionCableMock);
    expect(mock.type).toBe('actioncable');
    expect(mock.path).toBe('/cable');
    expect(server.mocks.list()).toContain(mock);
    expect(server.mocks.get(mock.id)).toBe(mock);
  });

  it('update() closes its clients with 1012 and the next connection gets the new channels', async () => {
    const mock = cable('/up', { channels: { ChatChannel: {} } });
    const client = await subscribed(mock.url);
    await mock.update({ channels: { ChatChannel: { subscribe: 'reject' } } });
    expect((await client.closed).code).toBe(1012);
    const again = await connect(mock.url, { protocols: PROTOCOLS });
    expect(await again.nextJson()).toEqual({ type: 'welcome' });
    await again.send(subscribeTo('ChatChannel'));
    expect(await again.nextJson()).toEqual({ identifier: '{"channel":"ChatChannel"}', type: 'reject_subscription' });
  });

  it('reset() closes its clients, fails the waits, removes the mock and leaves no ping timer', async () => {
    const own = await start();
    const mock = own.actioncable('/reset', { pingInterval: 10 });
    const client = await subscribed(mock.url);
    const sub = await mock.waitForSubscription();
    const conn = await mock.waitForConnection();
    const waiting = sub.waitForAction('never');
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await own.reset();
    expect((await client.closed).code).toBe(1012);
    // Counted once the server's side has closed too: until then `ws` holds a close timer of its own.
    await conn.connection.waitForClose();
    await expect(waiting).rejects.toThrow(/Cannot wait for an action on: the connection conn-\d+ of subscription ChatChannel/);
    expect(sub.status).toBe('closed');
    expect(own.mocks.list()).toEqual([]);
    expect(timers()).toBeLessThan(before);
  });

  it('stats() counts its connections and frames per mock and under byType.websocket; the journal keeps both directions', async () => {
    const mock = cable('/stats');
    const client = await subscribed(mock.url);
    const stats = server.stats();
    expect(stats.byType.websocket).toMatchObject({ totalConnections: 1, activeConnections: 1, totalMessagesRecv: 1, totalMessagesSent: 2 });
    expect(server.connections.list({ mockId: mock.id })).toHaveLength(1);
    expect(mock.messages.map((m) => [m.direction, m.json])).toEqual([
      ['out', { type: 'welcome' }],
      ['in', subscribeTo('ChatChannel')],
      ['out', { identifier: '{"channel":"ChatChannel"}', type: 'confirm_subscription' }],
    ]);
    await client.close();
  });

  it('chaos applies to its frames: with the server’s chaos on, a broadcast reaches the client twice', async () => {
    const own = await start({ seed: 24 });
    const mock = own.actioncable('/chaos');
    const client = await subscribed(mock.url);
    const sub = await mock.waitForSubscription();
    sub.streamFrom('s');
    own.chaos({ duplicate: 1 });
    expect(mock.broadcast('s', { n: 1 })).toBe(1);
    const frame = { identifier: '{"channel":"ChatChannel"}', message: { n: 1 } };
    expect(await client.nextJson()).toEqual(frame);
    expect(await client.nextJson()).toEqual(frame);
  });

  it('record: true records its frames both ways, as they crossed the wire, in server.recording()', async () => {
    const mock = cable('/recorded', { record: true });
    const client = await subscribed(mock.url);
    await client.close();
    await (await mock.waitForConnection()).connection.waitForClose();
    const [recorded] = server.recording(mock.id).connections;
    expect(recorded!.frames.map((f) => [f.direction, JSON.parse(f.text!)])).toEqual([
      ['server-to-client', { type: 'welcome' }],
      ['client-to-server', subscribeTo('ChatChannel')],
      ['server-to-client', { identifier: '{"channel":"ChatChannel"}', type: 'confirm_subscription' }],
    ]);
  });
});

describe('issue 24: ActionCable config files and the admin API', () => {
  it('the admin API creates one from its envelope, lists and reads it back', async () => {
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const envelope = { id: 'cable', type: 'actioncable', actioncable: { path: '/admin-cable', channels: { ChatChannel: { streamFrom: 'chat_{{params.room}}' } } } };
    expect((await admin.post('/mocks', envelope)).status).toBe(201);
    expect((await admin.get('/mocks/cable')).body).toEqual({ ...envelope, enabled: true });
    expect((await admin.get('/mocks')).body.mocks).toContainEqual(expect.objectContaining({ ...envelope, enabled: true }));
    const client = await connect(`${server.url}/admin-cable`, { protocols: PROTOCOLS });
    expect(await client.nextJson()).toEqual({ type: 'welcome' });
    const bad = await admin.post('/mocks', { type: 'actioncable', actioncable: { path: '/x', channels: { C: { subscribe: 'maybe' } } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('channels.C.subscribe');
  });

  it('loads from a config file and answers as configured', async () => {
    const yaml = file(
      'cable.yaml',
      [
        'version: "1.0"',
        'mocks:',
        '  - id: cable',
        '    type: actioncable',
        '    actioncable:',
        '      path: /cable',
        '      channels:',
        '        EchoChannel:',
        '          actions:',
        '            ping: { transmit: { pong: "{{data.n}}" } }',
        '',
      ].join('\n'),
    );
    const { mocks } = await loadConfigFiles([yaml]);
    expect(mocks).toEqual([{ id: 'cable', type: 'actioncable', actioncable: { path: '/cable', channels: { EchoChannel: { actions: { ping: { transmit: { pong: '{{data.n}}' } } } } } } }]);
    const own = await start({ mocks });
    const mock = own.mocks.get('cable') as ActionCableMock;
    expect(mock).toBeInstanceOf(ActionCableMock);
    const client = await subscribed(mock.url, 'EchoChannel');
    await client.send({ command: 'message', identifier: '{"channel":"EchoChannel"}', data: JSON.stringify({ action: 'ping', n: 2 }) });
    expect(await client.nextJson()).toEqual({ identifier: '{"channel":"EchoChannel"}', message: { pong: 2 } });
  });

  it('names every bad field, in code and in a config file (file, line, field)', () => {
    expect(
      issuesOf(() =>
        cable('/bad', {
          channels: {
            A: { subscribe: 'maybe' as never },
            B2: { streamFrom: '{{#open}}' },
            B: { actions: { none: {} as never, both: { transmit: 1, broadcast: { stream: 's', message: 1 } } as never, empty: { broadcast: { stream: '', message: 1 } } } },
            C: { streamFrom: ['ok', 5 as never], colour: 'red' } as never,
          },
          pingInterval: 'often',
        }),
      ),
    ).toEqual([
      { path: 'channels.A.subscribe', message: 'must be "confirm", "reject" or "manual"' },
      { path: 'channels.B2.streamFrom', message: 'is not a valid template: Unclosed section "open" at 9' },
      { path: 'channels.B.actions.none', message: 'needs one of "broadcast" ({ stream, message }) or "transmit" (a message)' },
      { path: 'channels.B.actions.both', message: 'takes only one of "broadcast" and "transmit"' },
      { path: 'channels.B.actions.empty.broadcast.stream', message: 'must not be empty' },
      { path: 'channels.C.streamFrom', message: 'must be a stream name or a list of them' },
      { path: 'channels.C.colour', message: 'is not a known field' },
      { path: 'pingInterval', message: expect.stringMatching(/^must be a non-negative number of milliseconds/) },
    ]);
    const text = ['version: "1.0"', 'mocks:', '  - type: actioncable', '    actioncable:', '      path: /cable', '      channels:', '        ChatChannel: { subscribe: later }', ''].join('\n');
    const error = (() => {
      try {
        parseConfig(text, 'bad.yaml');
      } catch (err) {
        return err as WsMockError;
      }
      throw new Error('expected an error');
    })();
    expect(error.issues).toEqual([{ path: 'mocks[0].actioncable.channels.ChatChannel.subscribe', message: 'must be "confirm", "reject" or "manual"', file: 'bad.yaml', line: 7, column: 24 }]);
  });
});
