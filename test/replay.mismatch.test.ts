//
// Replay matching: client frames compared as text, bytes, or JSON without the
// fields of `match.ignore`; a frame that does not match fails the replay like
// a scenario wait, with the recorded and the received frame in
// ConnectionInfo.scenario, the scenario:failed event and toHaveReplayed().
//
import { describe, expect, it } from 'vitest';
import type { Connection, RecordingFile, ScenarioInfo } from '../src/index.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { wsmockMatchers as jestMatchers } from '../src/adapters/jest.js';
import { wsmockMatchers as playwrightMatchers } from '../src/adapters/playwright.js';
import { connect } from './helpers/client.js';
import { failure } from './helpers/failures.js';
import { useMockServer } from './helpers/server.js';

expect.extend(wsmockMatchers);
const server = useMockServer();

/** A session: the server greets, the client subscribes (with an id and a timestamp), the server confirms. */
const session: RecordingFile = {
  format: 'wsmock-recording/1',
  recordedAt: '2026-11-30T12:00:00.000Z',
  connections: [
    {
      url: '/prices',
      startedAt: '2026-11-30T12:00:00.000Z',
      headers: {},
      subprotocol: null,
      frames: [
        { direction: 'server-to-client', at: 0, text: '{"type":"hello"}' },
        { direction: 'client-to-server', at: 5, text: '{"type":"subscribe","channel":"EURUSD","id":"a1","meta":{"ts":1700000000}}' },
        { direction: 'server-to-client', at: 6, text: '{"type":"subscribed"}' },
        { direction: 'client-to-server', at: 9, binary: 'AQID' },
        { direction: 'server-to-client', at: 10, text: 'done {{not a template}}' },
      ],
      close: { code: 1000, reason: '', by: 'client', at: 12 },
    },
  ],
};

describe('replay matching', () => {
  it('match.ignore compares client frames as JSON without the named fields, at any depth; bytes as bytes; text sent as recorded', async () => {
    const mock = server.websocket({ path: '/prices', replay: { recording: session, timing: 'asap', match: { ignore: ['id', 'ts'] } } });
    const client = await connect(mock.url);
    expect(await client.nextJson()).toEqual({ type: 'hello' });
    await client.send({ id: 'zz-9', type: 'subscribe', meta: { ts: 42 }, channel: 'EURUSD' });
    expect(await client.nextJson()).toEqual({ type: 'subscribed' });
    await client.send(Buffer.from([1, 2, 3]));
    expect(await client.next()).toBe('done {{not a template}}');
    const conn = await mock.waitForConnection();
    await expect(conn).toHaveReplayed();
    expect(conn.info.scenario).toMatchObject({ status: 'completed' });
  });

  it('without match.ignore, a frame whose ignored-elsewhere fields differ fails: expected and received in ConnectionInfo.scenario, the event and the matcher', async () => {
    const mock = server.websocket({ path: '/prices', replay: { recording: session, timing: 'asap' } });
    const failed = new Promise<[Connection, ScenarioInfo]>((resolve) => server.once('scenario:failed', (c, i) => resolve([c, i])));
    const client = await connect(mock.url);
    await client.next();
    const sent = '{"type":"subscribe","channel":"EURUSD","id":"b2","meta":{"ts":1700000999}}';
    await client.send(sent);
    const [conn, info] = await failed;
    expect(info).toMatchObject({
      name: 'replay',
      step: 1,
      status: 'failed',
      expected: session.connections[0]!.frames[1]!.text,
      received: sent,
    });
    expect(info.error).toContain('step 1: the client sent a frame that does not match recorded client frame 1');
    expect(info.error).toContain(`Expected: ${session.connections[0]!.frames[1]!.text}\nReceived: ${sent}`);
    expect(conn.info.scenario).toEqual(info);
    const message = await failure(() => expect(conn).toHaveReplayed());
    expect(message).toContain(`Replay "replay" on ${conn.id} failed at step 1`);
    // The diff names the fields that differ.
    expect(message).toMatch(/-\s+"id": "a1"/);
    expect(message).toMatch(/\+\s+"id": "b2"/);
    await expect(conn).not.toHaveReplayed();
    // Nothing more is sent after the failure (the pong proves the client has everything sent before it).
    await client.send('anything');
    await conn.waitForMessage({ type: 'exact', value: 'anything' });
    await conn.ping();
    expect(client.pending).toHaveLength(0);
  });

  it('issue 22 item 6: with match.ignore, the diff leaves the ignored fields out and the step is named once', async () => {
    const mock = server.websocket({ path: '/prices', replay: { recording: session, timing: 'asap', match: { ignore: ['id', 'ts'] } } });
    const client = await connect(mock.url);
    await client.next();
    // Only "channel" differs; "id" and "ts" differ too, but are ignored.
    await client.send('{"type":"subscribe","channel":"GBPUSD","id":"b2","meta":{"ts":1700000999}}');
    const conn = await mock.waitForConnection();
    const message = await failure(() => expect(conn).toHaveReplayed());
    expect(message).toContain(
      `Replay "replay" on ${conn.id} failed at step 1: the client sent a frame that does not match recorded client frame 1 (ignoring "id", "ts")`,
    );
    expect(message).not.toMatch(/step 1: step 1/);
    expect(message).toMatch(/-\s+"channel": "EURUSD"/);
    expect(message).toMatch(/\+\s+"channel": "GBPUSD"/);
    const diff = message.slice(message.indexOf('- Expected'), message.indexOf('Recent messages'));
    expect(diff).not.toMatch(/"id"|"ts"/);
    expect(conn.info.scenario).toMatchObject({ status: 'failed', ignored: ['id', 'ts'] });
  });

  it('a client frame that does not come fails the step after replay.timeout, and toHaveReplayed says where it stood', async () => {
    const mock = server.websocket({ path: '/prices', replay: { recording: session, timing: 'asap', timeout: 50 } });
    const client = await connect(mock.url);
    await client.next();
    const conn = await mock.waitForConnection();
    const message = await failure(() => expect(conn).toHaveReplayed());
    expect(message).toContain('failed at step 1: timed out after 50 ms waiting for a message matching recorded client frame 1');
  });

  it('a frame sent early (before the server frame recorded ahead of it) waits for its step', async () => {
    const mock = server.websocket({ path: '/prices', replay: { recording: session, timing: { speed: 0.05 } } });
    const client = await connect(mock.url);
    // The recorded pause before "subscribed" is 1 ms × 20; the client sends both its frames at once.
    await client.next();
    await client.send('{"type":"subscribe","channel":"EURUSD","id":"a1","meta":{"ts":1700000000}}');
    await client.send(Buffer.from([1, 2, 3]));
    expect(await client.nextJson()).toEqual({ type: 'subscribed' });
    expect(await client.next()).toBe('done {{not a template}}');
    await expect(await mock.waitForConnection()).toHaveReplayed();
  });

  it('toHaveReplayed refuses a connection without replay or scenario, and a subject that is not a connection', async () => {
    const mock = server.websocket('/echo');
    await connect(mock.url);
    const conn = await mock.waitForConnection();
    expect(await failure(() => expect(conn).toHaveReplayed())).toContain('runs no replay or scenario');
    expect(await failure(() => expect(mock).toHaveReplayed())).toContain('toHaveReplayed() works on a wsmock Connection');
  });

  it('is registered by the Jest and Playwright entries too', () => {
    expect(jestMatchers.toHaveReplayed).toBe(wsmockMatchers.toHaveReplayed);
    expect(typeof playwrightMatchers.toHaveReplayed).toBe('function');
  });
});
