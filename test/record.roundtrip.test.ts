//
// Record, then replay: a real `ws` client talks to a recording mock, the
// recording is saved, and a replay mock built from it gives a second client
// the same frames, at the recorded pace (within 10%), faster, or at once.
//
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECORDING_FORMAT, loadRecording, type Recording, type RecordingFile } from '../src/index.js';
import { connect, type TestClient } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
const PAUSE = 400;

/** The session recorded: a greeting, the client's hello, two pauses, a binary frame, the client's bye, a close. */
function liveMock(path: string) {
  return server.websocket({
    path,
    record: true,
    scenario: {
      steps: [
        { type: 'send', message: { type: 'json', value: { type: 'welcome' } } },
        { type: 'expect', match: { type: 'json', path: '$.type', value: 'hello' } },
        { type: 'delay', duration: PAUSE },
        { type: 'send', message: { type: 'text', value: 'tick {{sequence}}' } },
        { type: 'delay', duration: PAUSE },
        { type: 'send', message: { type: 'binary', value: Buffer.from([0, 1, 2, 255]).toString('base64') } },
        { type: 'expect', match: { type: 'exact', value: 'bye' } },
        { type: 'close', code: 4000, reason: 'done' },
      ],
    },
  });
}

/** Plays the client's side: answers the greeting, says bye after the binary frame; returns when each frame arrived (ms since open). */
async function playClient(client: TestClient, opened: number, hello: object = { type: 'hello', id: 1 }) {
  const times: number[] = [];
  const frames: string[] = [];
  const take = async () => {
    const frame = await client.frame();
    times.push(performance.now() - opened);
    frames.push(frame.binary ? `binary:${frame.data.toString('base64')}` : frame.text);
  };
  await take();
  await client.send(hello);
  await take();
  await take();
  await client.send('bye');
  const closed = await client.closed;
  return { times, frames, closed };
}

async function record(path: string): Promise<{ recording: Recording; live: Awaited<ReturnType<typeof playClient>> }> {
  const mock = liveMock(path);
  const client = await connect(`${server.url}${path}`);
  const live = await playClient(client, performance.now());
  await mock.waitForConnection().then((conn) => conn.waitForClose());
  return { recording: server.recording(mock.id), live };
}

describe('record', () => {
  it('records every frame both ways, with offsets, headers, subprotocol and the close', async () => {
    const { recording, live } = await record('/live');
    expect(live.frames).toEqual(['{"type":"welcome"}', 'tick 2', 'binary:AAEC/w==']);
    const file = recording.toJSON();
    expect(file.format).toBe(RECORDING_FORMAT);
    expect(file.connections).toHaveLength(1);
    const [conn] = file.connections;
    expect(conn!.url).toBe('/live');
    expect(conn!.subprotocol).toBeNull();
    expect(conn!.headers).not.toHaveProperty('cookie');
    expect(conn!.frames.map(({ direction, text, binary }) => ({ direction, text, binary }))).toEqual([
      { direction: 'server-to-client', text: '{"type":"welcome"}', binary: undefined },
      { direction: 'client-to-server', text: '{"type":"hello","id":1}', binary: undefined },
      { direction: 'server-to-client', text: 'tick 2', binary: undefined },
      { direction: 'server-to-client', text: undefined, binary: 'AAEC/w==' },
      { direction: 'client-to-server', text: 'bye', binary: undefined },
    ]);
    const at = conn!.frames.map((f) => f.at);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(PAUSE - 2);
    expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(PAUSE - 2);
    expect(conn!.close).toMatchObject({ code: 4000, reason: 'done', by: 'server' });
    expect(recording.frames).toHaveLength(5);
    expect(recording.frames.every((f) => f.connection === 0)).toBe(true);
  });

  it('records the subprotocol and the headers that matter, never cookies or credentials', async () => {
    const mock = server.websocket({ path: '/proto', record: true, subprotocols: ['chat.v1'] });
    const client = await connect(`${server.url}/proto?room=1`, {
      protocols: ['chat.v1'],
      headers: { cookie: 'session=secret', authorization: 'Bearer secret', origin: 'http://app.test' },
    });
    await client.ask('ping');
    const [conn] = server.recording(mock.id).connections;
    expect(conn).toMatchObject({ url: '/proto?room=1', subprotocol: 'chat.v1', headers: { origin: 'http://app.test', 'sec-websocket-protocol': 'chat.v1' } });
    expect(Object.keys(conn!.headers)).not.toContain('cookie');
    expect(Object.keys(conn!.headers)).not.toContain('authorization');
    expect(conn!.frames.map((f) => f.text)).toEqual(['ping', 'ping']);
    expect(conn!.close).toBeNull();
  });

  it('server.recording() refuses a mock that does not record, naming it', () => {
    server.websocket({ id: 'plain', path: '/plain' });
    expect(() => server.recording('plain')).toThrow(/mock "plain" does not record; define it with record: true/);
    expect(() => server.recording('nope')).toThrow(/there is no mock "nope"/);
  });
});

describe('record, then replay', () => {
  it('a saved recording replayed from its file gives a real client the same frames, at the recorded pace within 10%', async () => {
    const { recording, live } = await record('/live');
    const { file } = scratchDir('wsmock-record-');
    const saved = file('live.recording.json', '');
    await recording.save(saved);
    expect(JSON.parse(readFileSync(saved, 'utf8')).format).toBe('wsmock-recording/1');

    const replay = server.websocket({ path: '/replayed', replay: { file: saved } });
    const client = await connect(`${server.url}/replayed`);
    const opened = performance.now();
    const replayed = await playClient(client, opened);
    expect(replayed.frames).toEqual(live.frames);
    expect(replayed.closed).toEqual({ code: 4000, reason: 'done' });

    // Measured gaps between the server's frames against the recorded ones.
    const recorded = recording.connections[0]!.frames.filter((f) => f.direction === 'server-to-client').map((f) => f.at);
    for (const i of [1, 2]) {
      const want = recorded[i]! - recorded[i - 1]!;
      const got = replayed.times[i]! - replayed.times[i - 1]!;
      expect(Math.abs(got - want)).toBeLessThanOrEqual(want * 0.1);
    }
    const conn = await replay.waitForConnection();
    expect(conn.info.scenario).toMatchObject({ status: 'completed' });
  });

  it('timing "asap" sends without the pauses and { speed: 10 } divides them by ten', async () => {
    // Two server frames recorded 2 s apart: asap sends them together, speed 10 about 200 ms apart.
    const recording: RecordingFile = {
      format: 'wsmock-recording/1',
      recordedAt: '2026-11-30T12:00:00.000Z',
      connections: [
        {
          url: '/slow',
          startedAt: '2026-11-30T12:00:00.000Z',
          headers: {},
          subprotocol: null,
          frames: [
            { direction: 'server-to-client', at: 0, text: 'first' },
            { direction: 'server-to-client', at: 2000, text: 'second' },
          ],
          close: null,
        },
      ],
    };
    server.websocket({ path: '/asap', replay: { recording, timing: 'asap' } });
    server.websocket({ path: '/fast', replay: { recording, timing: { speed: 10 } } });
    const gap = async (path: string) => {
      const client = await connect(`${server.url}${path}`);
      expect(await client.next()).toBe('first');
      const t = performance.now();
      expect(await client.next()).toBe('second');
      return performance.now() - t;
    };
    const asap = await gap('/asap');
    const fast = await gap('/fast');
    // Bounds wide enough for a loaded machine, far apart enough to tell the timings apart.
    expect(asap).toBeLessThan(100);
    expect(fast).toBeGreaterThan(100);
    expect(fast).toBeLessThan(1000);
  });

  it('loadRecording() of the saved file gives the same recording', async () => {
    const { recording } = await record('/live');
    const { file } = scratchDir('wsmock-record-');
    const saved = file('r.json', '');
    await recording.save(saved);
    expect(loadRecording(saved).toJSON()).toEqual(recording.toJSON());
    expect(loadRecording(saved, { url: '/live' }).connections).toHaveLength(1);
  });
});
