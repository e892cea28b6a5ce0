//
// `wsmock recording to-config`: a recording (or a HAR) printed as an editable
// YAML mock with a scenario, which loads back as a mock that a real client
// gets the recorded session from.
//
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigFiles, type RecordingFile } from '../src/index.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { runCli } from './helpers/cli.js';
import { connect } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer } from './helpers/server.js';

expect.extend(wsmockMatchers);
const server = useMockServer();

const recording: RecordingFile = {
  format: 'wsmock-recording/1',
  recordedAt: '2026-11-30T12:00:00.000Z',
  connections: [
    {
      url: '/quotes?symbol=EURUSD',
      startedAt: '2026-11-30T12:00:00.000Z',
      headers: {},
      subprotocol: 'quotes.v1',
      frames: [
        { direction: 'server-to-client', at: 0, text: '{"type":"hello","version":2}' },
        { direction: 'client-to-server', at: 4, text: 'subscribe' },
        { direction: 'server-to-client', at: 30, text: 'price {{1.08}}' },
        { direction: 'server-to-client', at: 50, binary: 'AAH/' },
        { direction: 'client-to-server', at: 60, binary: Buffer.from('ack').toString('base64') },
      ],
      close: { code: 4000, reason: 'market closed', by: 'server', at: 70 },
    },
  ],
};

describe('wsmock recording to-config', () => {
  it('prints a YAML mock with a scenario that loads back and replays the session to a real client', async () => {
    const { file } = scratchDir('wsmock-to-config-');
    const source = file('quotes.recording.json', JSON.stringify(recording));
    const out = file('quotes.yaml', '');
    const result = await runCli(['recording', 'to-config', source, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    const doc = parse(yaml);
    expect(doc.mocks[0]).toMatchObject({ id: 'replayed', type: 'websocket', websocket: { path: '/quotes', subprotocols: ['quotes.v1'] } });
    expect(doc.mocks[0].websocket.scenario.steps).toEqual([
      { type: 'send', message: { type: 'json', value: { type: 'hello', version: 2 } } },
      { type: 'expect', match: { type: 'exact', value: 'subscribe' } },
      { type: 'delay', duration: 26 },
      { type: 'send', message: { type: 'text', value: '{{=<% %>=}}price {{1.08}}' } },
      { type: 'delay', duration: 20 },
      { type: 'send', message: { type: 'binary', value: 'AAH/' } },
      { type: 'expect', match: { type: 'exact', value: 'ack', messageType: 'binary' } },
      { type: 'delay', duration: 10 },
      { type: 'close', code: 4000, reason: 'market closed' },
    ]);

    const { mocks } = await loadConfigFiles([out]);
    server.mocks.define(mocks[0]!);
    const client = await connect(`${server.url}/quotes`, { protocols: ['quotes.v1'] });
    expect(await client.nextJson()).toEqual({ type: 'hello', version: 2 });
    await client.send('subscribe');
    expect(await client.next()).toBe('price {{1.08}}');
    const bytes = await client.frame();
    expect(bytes.data).toEqual(Buffer.from([0, 1, 255]));
    await client.send(Buffer.from('ack'));
    expect(await client.closed).toEqual({ code: 4000, reason: 'market closed' });
    await expect(await server.waitForConnection()).toHaveReplayed();
  });

  it('--har reads a HAR (with --url) and prints to stdout; --har refuses a file that is not a HAR', async () => {
    const { file } = scratchDir('wsmock-to-config-');
    const har = file('s.har', JSON.stringify({
      log: {
        entries: [
          { startedDateTime: '2026-11-30T12:00:00.000Z', request: { url: 'wss://other.test/x' }, _webSocketMessages: [{ type: 'receive', time: 1, opcode: 1, data: 'no' }] },
          {
            startedDateTime: '2026-11-30T12:00:00.000Z',
            request: { url: 'wss://app.test/live' },
            _webSocketMessages: [
              { type: 'send', time: Date.parse('2026-11-30T12:00:00.010Z') / 1000, opcode: 1, data: 'hi' },
              { type: 'receive', time: Date.parse('2026-11-30T12:00:00.110Z') / 1000, opcode: 1, data: 'there' },
            ],
          },
        ],
      },
    }));
    const result = await runCli(['recording', 'to-config', har, '--har', '--url', '/live', '--timing', 'asap']);
    expect(result.code).toBe(0);
    const doc = parse(result.stdout);
    expect(doc.mocks[0].websocket.path).toBe('/live');
    expect(doc.mocks[0].websocket.scenario.steps).toEqual([
      { type: 'expect', match: { type: 'exact', value: 'hi' } },
      { type: 'send', message: { type: 'text', value: 'there' } },
    ]);

    const notHar = file('r.json', JSON.stringify(recording));
    const refused = await runCli(['recording', 'to-config', notHar, '--har']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Invalid recording ${notHar}: 1 problem`);
    expect(refused.stderr).toContain('log.entries: is required: a HAR file has "log": { "entries": [...] }');
    const bad = await runCli(['recording', 'to-config', notHar, '--connection', '2']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--connection 2: the recording has 1 connection(s).');
  });
});
