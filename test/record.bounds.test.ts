//
// A recording is bounded like a journal: each connection keeps its first
// `journal.limit` frames (the rest counted in droppedFrames), closed
// connections stay recorded even with `journal.releaseClosed`, a mock keeps its
// recording across update(), and reset() forgets every recording.
//
import { describe, expect, it } from 'vitest';
import { RECORDED_CONNECTIONS } from '../src/record/Recorder.js';
import { connect } from './helpers/client.js';
import { useServers } from './helpers/server.js';

const start = useServers();

describe('recording bounds and lifecycle', () => {
  it('keeps the first journal.limit frames of a connection and counts the rest', async () => {
    const server = await start({ journal: { limit: 4, releaseClosed: true } });
    const mock = server.websocket({ path: '/echo', record: true });
    const client = await connect(`${server.url}/echo`);
    for (let i = 0; i < 5; i++) expect(await client.ask(`m${i}`)).toBe(`m${i}`);
    await client.ws.close(1000);
    await (await mock.waitForConnection()).waitForClose();
    const [conn] = server.recording(mock.id).connections;
    expect(conn!.frames.map((f) => f.text)).toEqual(['m0', 'm0', 'm1', 'm1']);
    expect(conn!.droppedFrames).toBe(6);
    // Released from the journal, still in the recording.
    expect(conn!.close).toMatchObject({ code: 1000, by: 'client' });
    expect(RECORDED_CONNECTIONS).toBe(1000);
  });

  it('records across update() (both versions), and reset() forgets the recordings', async () => {
    const server = await start();
    const mock = server.websocket({ id: 'live', path: '/live', record: true });
    const first = await connect(`${server.url}/live`);
    await first.ask('one');
    await mock.update({ echoMode: true });
    await first.closed;
    const second = await connect(`${server.url}/live`);
    await second.ask('two');
    const recording = server.recording('live');
    expect(recording.connections.map((c) => c.frames[0]?.text)).toEqual(['one', 'two']);
    expect(recording.connections[0]!.close).toMatchObject({ code: 1012, by: 'server' });
    // Every recording mock at once.
    expect(server.recording().connections).toHaveLength(2);
    await server.reset();
    expect(server.recording().connections).toHaveLength(0);
    expect(() => server.recording('live')).toThrow(/No recording for "live"/);
  });
});
