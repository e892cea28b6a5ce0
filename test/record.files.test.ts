//
// Recordings that enter from outside: files, config files, the admin API.
// A bad recording (not JSON, truncated, another format version, a frame with
// no payload) is WSMOCK_ERR_INVALID_CONFIG naming the file and what is wrong,
// raised when the mock is defined, before any client connects.
//
import { describe, expect, it } from 'vitest';
import { WsMockError, loadConfigFiles, loadRecording, type RecordingFile } from '../src/index.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { adminClient } from './helpers/admin.js';
import { connect, refusal } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer } from './helpers/server.js';

expect.extend(wsmockMatchers);
const server = useMockServer();

const good: RecordingFile = {
  format: 'wsmock-recording/1',
  recordedAt: '2026-11-30T12:00:00.000Z',
  connections: [
    {
      url: '/feed',
      startedAt: '2026-11-30T12:00:00.000Z',
      headers: {},
      subprotocol: null,
      frames: [
        { direction: 'server-to-client', at: 0, text: 'hello' },
        { direction: 'client-to-server', at: 3, text: 'ping' },
        { direction: 'server-to-client', at: 4, text: 'pong' },
      ],
      close: { code: 4001, reason: 'bye', by: 'server', at: 5 },
    },
  ],
};

function invalid(fn: () => unknown): WsMockError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WsMockError);
    expect((err as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    return err as WsMockError;
  }
  throw new Error('expected WSMOCK_ERR_INVALID_CONFIG, nothing was thrown');
}

describe('bad recording files', () => {
  const { file } = scratchDir('wsmock-bad-');
  const text = JSON.stringify(good, null, 2);

  it('not JSON: names the file and says it is not valid JSON', () => {
    const path = file('notjson.json', 'format: wsmock-recording/1\n');
    const err = invalid(() => loadRecording(path));
    expect(err.message).toContain(`Invalid recording ${path}`);
    expect(err.message).toContain('is not valid JSON');
    expect(err.issues![0]!.file).toBe(path);
  });

  it('truncated: says the file looks truncated', () => {
    const path = file('truncated.json', text.slice(0, text.length / 2));
    expect(invalid(() => loadRecording(path)).message).toMatch(/is not valid JSON \(the file looks truncated\)/);
  });

  it('another format version: names the version it has and the one it reads', () => {
    const path = file('v2.json', JSON.stringify({ ...good, format: 'wsmock-recording/2' }));
    expect(invalid(() => loadRecording(path)).message).toContain(`${path} format: is "wsmock-recording/2", a version this wsmock does not read; it reads "wsmock-recording/1"`);
    const other = file('other.json', JSON.stringify({ hello: 1 }));
    expect(invalid(() => loadRecording(other)).message).toContain('format: must be "wsmock-recording/1" (is this a recording? a HAR file has "log.entries")');
  });

  it('a frame with no payload, a negative offset, an unknown direction: each named by its path', () => {
    const bad = structuredClone(good) as unknown as { connections: { frames: Record<string, unknown>[] }[] };
    bad.connections[0]!.frames[0] = { direction: 'server-to-client', at: 0 };
    bad.connections[0]!.frames[1] = { direction: 'sideways', at: -1, text: 'x' };
    const path = file('frames.json', JSON.stringify(bad));
    const err = invalid(() => loadRecording(path));
    const paths = err.issues!.map((i) => `${i.path}: ${i.message}`);
    expect(paths).toContain('connections[0].frames[0]: needs exactly one of "text" (a text frame) and "binary" (base64 bytes)');
    expect(paths).toContain('connections[0].frames[1].direction: must be "client-to-server" or "server-to-client"');
    expect(paths.some((p) => p.startsWith('connections[0].frames[1].at: must be 0 or more'))).toBe(true);
  });

  it('a missing file, and a url no connection has', () => {
    expect(invalid(() => loadRecording('/nonexistent/rec.json')).message).toContain('cannot be read');
    expect(invalid(() => loadRecording(good, { url: '/other' })).message).toContain('has no connection to /other; it has /feed');
  });

  it('server.websocket({ replay: { file } }) refuses a bad file when the mock is defined: nothing is listening on the path', async () => {
    const path = file('trunc2.json', text.slice(0, 40));
    const err = invalid(() => server.websocket({ path: '/feed', replay: { file: path } }));
    expect(err.issues).toEqual([{ path: 'replay.file', message: expect.stringContaining(`${path}: is not valid JSON (the file looks truncated)`) }]);
    expect(server.mocks.list()).toHaveLength(0);
    expect((await refusal(`${server.url}/feed`)).status).toBe(404);
  });

  it('replay options are checked: one of file and recording, the timing, the connection index', () => {
    expect(invalid(() => server.websocket({ path: '/a', replay: {} })).issues).toEqual([{ path: 'replay', message: 'needs exactly one of "file" and "recording"' }]);
    expect(invalid(() => server.websocket({ path: '/a', replay: { recording: good, timing: { speed: 0 } } })).issues![0]).toEqual({ path: 'replay.timing.speed', message: 'must be more than 0' });
    expect(invalid(() => server.websocket({ path: '/a', replay: { recording: good }, scenario: { steps: [{ type: 'close' }] } })).issues).toEqual([
      { path: 'replay', message: 'cannot be combined with "scenario": a replay is the mock\'s scenario' },
    ]);
    expect(invalid(() => server.websocket({ path: '/a', replay: { recording: good, connection: 3 } })).issues).toEqual([
      { path: 'replay.connection', message: 'is 3, but the recording has 1 connection(s)' },
    ]);
  });
});

describe('recordings in config files and the admin API', () => {
  it('a config file replays a recording file, and refuses a bad one naming both files', async () => {
    const { file } = scratchDir('wsmock-conf-');
    const rec = file('feed.recording.json', JSON.stringify(good));
    const conf = file('feed.yaml', `version: '1.0'\nmocks:\n  - id: feed\n    type: websocket\n    websocket:\n      path: /feed\n      replay:\n        file: ${rec}\n        timing: asap\n`);
    const { mocks } = await loadConfigFiles([conf]);
    const mock = server.mocks.define(mocks[0]!);
    const client = await connect(`${server.url}/feed`);
    expect(await client.next()).toBe('hello');
    await client.send('ping');
    expect(await client.next()).toBe('pong');
    expect(await client.closed).toEqual({ code: 4001, reason: 'bye' });
    expect(mock.id).toBe('feed');

    const broken = file('broken.json', '{"format": "wsmock-recording/1", "connections": [');
    const badConf = file('bad.yaml', `version: '1.0'\nmocks:\n  - type: websocket\n    websocket:\n      path: /x\n      replay: { file: ${broken} }\n`);
    const err = await loadConfigFiles([badConf]).then(() => undefined, (e: unknown) => e as WsMockError);
    expect(err?.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(err?.message).toMatch(/bad\.yaml:6:\d+ mocks\[0\]\.websocket\.replay\.file: .*broken\.json: is not valid JSON/);
  });

  it('the admin API defines a recording mock and a replay mock with an inline recording; GET /mocks/{id}/recording and server.recording() read the first', async () => {
    const api = adminClient(await server.listenAdmin());
    expect((await api.post('/mocks', { id: 'rec', type: 'websocket', websocket: { path: '/rec', record: true } })).status).toBe(201);
    expect((await api.post('/mocks', { id: 'rep', type: 'websocket', websocket: { path: '/feed', replay: { recording: good, timing: 'asap' } } })).status).toBe(201);
    const bad = await api.post('/mocks', { type: 'websocket', websocket: { path: '/bad', replay: { recording: { ...good, format: 'wsmock-recording/9' } } } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('wsmock-recording/9');

    const echo = await connect(`${server.url}/rec`);
    expect(await echo.ask('one')).toBe('one');
    expect(server.recording('rec').connections[0]!.frames.map((f) => [f.direction, f.text])).toEqual([
      ['client-to-server', 'one'],
      ['server-to-client', 'one'],
    ]);
    const fetched = await api.get('/mocks/rec/recording');
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ format: 'wsmock-recording/1', source: 'mock rec', connections: [{ url: '/rec', frames: [{ text: 'one' }, { text: 'one' }] }] });
    expect((await api.get('/mocks/rep/recording')).status).toBe(404);
    expect((await api.get('/mocks/nope/recording')).status).toBe(404);
    const client = await connect(`${server.url}/feed`);
    expect(await client.next()).toBe('hello');
    await client.send('ping');
    expect(await client.next()).toBe('pong');
    const conn = server.connections.list({ mockId: 'rep' });
    expect(conn[0]?.scenario).toMatchObject({ status: 'completed' });
  });
});
