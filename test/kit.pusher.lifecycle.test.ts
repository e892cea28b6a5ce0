//
// What the Pusher kit gets from the seam, proved on its own mocks: the
// registry lists it, update() and reset() close its clients, stats per type,
// the journal, the admin API and config files with its envelope, chaos on
// its frames; and its config checked field by field.
//
import { describe, expect, it } from 'vitest';
import { issuesOf } from './helpers/failures.js';
import { loadConfigFiles, parseConfig, PusherMock, WsMockError, type PusherEnvelope } from '../src/index.js';
import { adminClient } from './helpers/admin.js';
import { connect, type TestClient } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer, useServers } from './helpers/server.js';
import type { KitState } from '../src/kit/handles.js';
import type { PusherState } from '../src/kits/pusher/state.js';
import { stateOf } from '../src/mocks/Mock.js';

const server = useMockServer();
const start = useServers();
const { file } = scratchDir('wsmock-pusher-');

/** A raw client on the mock's app URL, past `pusher:connection_established`. */
async function pusherSocket(app: PusherMock): Promise<{ client: TestClient; socketId: string }> {
  const client = await connect(`${app.url}?protocol=7&client=js&version=8.6.0`);
  const greeting = await client.nextJson<{ event: string; data: string }>();
  expect(greeting.event).toBe('pusher:connection_established');
  return { client, socketId: (JSON.parse(greeting.data) as { socket_id: string }).socket_id };
}


describe('issue 24: the Pusher mock has the lifecycle of every mock', () => {
  it('server.mocks lists it with its envelope; the in-process authorize is left out', () => {
    const app = server.pusher({ id: 'app', key: 'k', secret: 's', cluster: 'eu', channels: { 'presence-*': { members: [{ user_id: 'bot' }] } }, authorize: () => true });
    expect(server.mocks.list()).toEqual([app]);
    expect(app).toBeInstanceOf(PusherMock);
    expect(app.path).toBe('/app/:key');
    expect(app.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/app\/k$/);
    expect(app.toJSON()).toEqual<PusherEnvelope>({
      id: 'app',
      type: 'pusher',
      enabled: true,
      pusher: { path: '/app/:key', key: 'k', secret: 's', cluster: 'eu', channels: { 'presence-*': { members: [{ user_id: 'bot' }] } } },
    });
  });

  it('update() closes its clients with 1012; reset() closes them and removes the mock', async () => {
    const app = server.pusher({ key: 'k' });
    const { client } = await pusherSocket(app);
    expect(await app.update({ activityTimeout: 5 })).toBe(1);
    expect(await client.closed).toEqual({ code: 1012, reason: 'mock updated' });
    const again = await connect(app.url);
    expect(JSON.parse((await again.nextJson<{ data: string }>()).data)).toMatchObject({ activity_timeout: 5 });
    await server.reset();
    expect(await again.closed).toMatchObject({ code: 1012 });
    expect(server.mocks.list()).toEqual([]);
  });

  it('stats() counts its connections under the websocket type and the mock; the journal holds both directions', async () => {
    const app = server.pusher({ key: 'k' });
    const { client } = await pusherSocket(app);
    client.ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'news' } }));
    expect(await client.nextJson()).toEqual({ event: 'pusher_internal:subscription_succeeded', channel: 'news', data: '{}' });
    const conn = await app.waitForConnection();
    expect(conn.connection.messages.map((m) => [m.direction, (m.json as { event: string }).event])).toEqual([
      ['out', 'pusher:connection_established'],
      ['in', 'pusher:subscribe'],
      ['out', 'pusher_internal:subscription_succeeded'],
    ]);
    const stats = server.stats();
    expect(stats.connectionsByMock[app.id]).toBe(1);
    expect(stats.byType.websocket).toMatchObject({ activeConnections: 1, totalMessagesRecv: 1, totalMessagesSent: 2 });
  });

  it('the admin API defines a Pusher mock from its envelope and lists it; a bad field is named', async () => {
    const admin = adminClient(server.adminUrl ?? (await server.listenAdmin()));
    const created = await admin.post('/mocks', { id: 'pusher', type: 'pusher', pusher: { path: '/app/:key', key: 'admin-key' } });
    expect(created.status).toBe(201);
    expect((await admin.get('/mocks')).body.mocks).toEqual([
      expect.objectContaining({ id: 'pusher', type: 'pusher', enabled: true, pusher: { path: '/app/:key', key: 'admin-key' }, url: expect.stringMatching(/\/app\/admin-key$/) }),
    ]);
    const { client } = await pusherSocket(server.mocks.get('pusher') as PusherMock);
    await client.close();
    const bad = await admin.post('/mocks', { type: 'pusher', pusher: { path: '/p/:key', key: 'x', activityTimeout: 'long' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ path: 'pusher.activityTimeout', message: expect.stringMatching(/number/) }]);
  });

  it('loads from a config file (with channel rules) and serves it', async () => {
    const yaml = file(
      'pusher.yaml',
      ['version: "1.0"', 'mocks:', '  - id: app', '    type: pusher', '    pusher:', '      path: /app/:key', '      key: file-key', '      channels:', '        "private-admin*": { refuse: { code: 4009, message: no admins } }', ''].join('\n'),
    );
    const { mocks } = await loadConfigFiles([yaml]);
    expect(mocks).toEqual([{ id: 'app', type: 'pusher', pusher: { path: '/app/:key', key: 'file-key', channels: { 'private-admin*': { refuse: { code: 4009, message: 'no admins' } } } } }]);
    const own = await start({ mocks });
    const { client } = await pusherSocket(own.mocks.get('app') as PusherMock);
    client.ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'private-admin', auth: 'file-key:x' } }));
    expect(await client.nextJson()).toEqual({ event: 'pusher:error', channel: 'private-admin', data: { code: 4009, message: 'no admins' } });
  });

  it('names the file, line and field of a bad Pusher mock in a config file', () => {
    const text = ['version: "1.0"', 'mocks:', '  - type: pusher', '    pusher:', '      path: /app/:key', '      channels:', '        news: { members: [] }', ''].join('\n');
    let error: WsMockError | undefined;
    try {
      parseConfig(text, 'bad.yaml');
    } catch (err) {
      error = err as WsMockError;
    }
    expect(error?.issues).toEqual([
      { path: 'mocks[0].pusher.key', message: 'is required: the app key clients connect with', file: 'bad.yaml', line: 4, column: 5 },
    ]);
  });

  it('chaos applies to its frames: a dropped event is lost, the next one arrives', async () => {
    const own = await start({ seed: 1 });
    const app = own.pusher({ key: 'k' });
    const { client } = await pusherSocket(app);
    client.ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'ticks' } }));
    await client.nextJson();
    own.chaos({ drop: 1, only: { type: 'json', path: '$.event', value: 'tick' } });
    app.trigger('ticks', 'tick', { n: 1 });
    app.trigger('ticks', 'tock', { n: 2 });
    expect(await client.nextJson()).toEqual({ event: 'tock', channel: 'ticks', data: '{"n":2}' });
    const conn = await app.waitForConnection();
    expect(conn.connection.faults.map((f) => [f.kind, f.direction])).toEqual([['drop', 'out']]);
  });
});

describe('issue 24: what the Pusher mock keeps stays bounded', () => {
  /** The subscriptions and client events the mock-wide waits can still return. */
  const kept = (app: PusherMock) => {
    const state = stateOf<KitState<PusherState>>(app).own;
    return { subscriptions: state.subscriptions.all.all.map((s) => s.channel), clientEvents: state.clientEvents.all.all.map((e) => e.event) };
  };

  it('with journal.releaseClosed a closed client takes its subscriptions and client events with it; its channels forget it at once', async () => {
    const own = await start({ journal: { releaseClosed: true } });
    const app = own.pusher({ key: 'k' });
    const gone = await pusherSocket(app);
    await gone.client.askJson({ event: 'pusher:subscribe', data: { channel: 'private-x', auth: 'k:any' } });
    const staying = await pusherSocket(app);
    await staying.client.askJson({ event: 'pusher:subscribe', data: { channel: 'news' } });
    await staying.client.askJson({ event: 'pusher:subscribe', data: { channel: 'private-x', auth: 'k:any' } });
    await gone.client.send({ event: 'client-hello', channel: 'private-x', data: {} });
    await staying.client.nextJson();
    expect(kept(app)).toEqual({ subscriptions: ['private-x', 'news', 'private-x'], clientEvents: ['client-hello'] });
    expect(app.channels).toEqual({ 'private-x': 2, news: 1 });

    await gone.client.close();
    await app.waitForConnectionCount(1);
    expect(kept(app)).toEqual({ subscriptions: ['news', 'private-x'], clientEvents: [] });
    expect(app.channels).toEqual({ 'private-x': 1, news: 1 });
  });
});

describe('issue 24: the Pusher mock\'s config, checked field by field', () => {
  it('names every bad field', () => {
    expect(
      issuesOf(() =>
        server.pusher({
          key: 'a/b',
          secret: '',
          activityTimeout: 0,
          maxEventSize: 1.5,
          channels: {
            news: { replies: { 'client-x': { event: 'y' } } },
            'presence-*': { members: [{ user_id: 7 as never }] },
            'private-*': { refuse: { code: 'no' as never } },
          },
          colour: 'red',
        } as never),
      ),
    ).toEqual([
      { path: 'key', message: 'must be a non-empty string without "/", "?", "#" or white space' },
      { path: 'secret', message: 'must not be empty (leave it out to accept any signature)' },
      { path: 'activityTimeout', message: 'must be a positive whole number of seconds' },
      { path: 'maxEventSize', message: 'must be a whole number of bytes' },
      { path: 'channels.presence-*.members[0].user_id', message: 'is required: a non-empty string (a number in quotes)' },
      { path: 'channels.private-*.refuse', message: 'must be true, false or { code?: integer, message?: string }' },
      { path: 'colour', message: 'is not a known field' },
    ]);
    // Rules across fields are checked once every field is valid.
    expect(issuesOf(() => server.pusher({ key: 'k', channels: { news: { members: [], replies: { 'client-x': { event: 'y' } } }, 'presence-*': { replies: { typing: { event: 'z' } } } } }))).toEqual([
      { path: 'channels.news.members', message: 'is only for presence channels: the pattern must start with "presence-"' },
      { path: 'channels.news.replies', message: 'needs a private or presence channel pattern ("private-…" or "presence-…"): only their members may trigger client events' },
      { path: 'channels.presence-*.replies.typing', message: 'must be a client event name, starting with "client-"' },
    ]);
  });

  it('the handle refuses bad arguments with the rule in the message', () => {
    const app = server.pusher({ key: 'k' });
    expect(() => app.trigger('bad channel', 'e', {})).toThrow('trigger(channel, event, data): channel must be a channel name (1-164 characters of a-z, A-Z, 0-9, _ - = @ , . ;), got "bad channel"');
    expect(() => app.trigger('news', '', {})).toThrow('trigger(channel, event, data): event must be a non-empty string, got ""');
    expect(() => app.trigger([], 'e')).toThrow('trigger(channel, event, data): give 1 to 100 channels, got 0');
    expect(() => app.waitForSubscription(5 as never)).toThrow('waitForSubscription(channel): channel must be a string, got number');
    expect(() => app.sendToUser('', 'e')).toThrow('sendToUser(userId, event, data): userId must be a non-empty string, got ""');
  });
});
