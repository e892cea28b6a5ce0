//
// A HAR written by real Chromium, replayed in Node. Playwright's `recordHar`
// (Chromium from the system, never a downloaded browser) captures a page that
// opens a WebSocket to a wsmock echo server and exchanges text, JSON and
// binary frames; the HAR's `_webSocketMessages` then drive a replay mock that
// a Node `ws` client talks to.
//
// The page is served at the server's own origin by `page.route`. Chromium
// treats a page fulfilled that way as public, and its Local Network Access
// checks block a public page's socket to loopback
// (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS), so the browser starts
// with those checks off.
//
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { loadRecording } from '../src/index.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { connect } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer } from './helpers/server.js';

expect.extend(wsmockMatchers);
const server = useMockServer();

const PAGE = `<!doctype html><title>har</title><script>
window.exchange = (url) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const got = [];
  ws.onerror = () => reject(new Error('socket error'));
  ws.onmessage = (e) => {
    got.push(typeof e.data === 'string' ? e.data : 'binary:' + new Uint8Array(e.data).join(','));
    if (got.length === 1) ws.send('hello');
    if (got.length === 2) ws.send(JSON.stringify({ type: 'subscribe', id: 'page-' + Math.random(), channel: 'prices' }));
    if (got.length === 3) ws.send(new Uint8Array([7, 8, 9]));
    if (got.length === 4) { ws.close(1000, 'bye'); }
  };
  ws.onclose = () => resolve(got);
});
</script>`;

/** Runs the page in Chromium with recordHar and returns the HAR's path and what the page received. */
async function captureHar(): Promise<{ har: string; received: string[] }> {
  const { dir } = scratchDir('wsmock-har-');
  const har = join(dir, 'session.har');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-features=LocalNetworkAccessChecks'] });
  try {
    const context = await browser.newContext({ recordHar: { path: har } });
    const page = await context.newPage();
    await page.route(`${server.httpUrl}/page`, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
    await page.goto(`${server.httpUrl}/page`);
    const received = await page.evaluate((url) => (window as unknown as { exchange(u: string): Promise<string[]> }).exchange(url), `${server.url}/echo`);
    await context.close(); // writes the HAR
    return { har, received };
  } finally {
    await browser.close();
  }
}

describe('HAR import', () => {
  it('replays a HAR written by real Chromium (Playwright recordHar) to a Node client, ignoring the random id', async () => {
    server.websocket({ path: '/echo', echoMode: true, onConnection: (conn) => void conn.send('welcome') });
    const { har, received } = await captureHar();
    expect(received[0]).toBe('welcome');
    expect(received[1]).toBe('hello');
    expect(JSON.parse(received[2]!)).toMatchObject({ type: 'subscribe', channel: 'prices' });
    expect(received[3]).toBe('binary:7,8,9');

    // The HAR holds the frames as Chromium saw them.
    const doc = JSON.parse(readFileSync(har, 'utf8'));
    const entry = doc.log.entries.find((e: { _webSocketMessages?: unknown }) => e._webSocketMessages);
    expect(entry.request.url).toBe(`${server.url}/echo`);
    expect(entry._webSocketMessages.map((m: { type: string; opcode: number }) => `${m.type}:${m.opcode}`)).toEqual([
      'receive:1', 'send:1', 'receive:1', 'send:1', 'receive:1', 'send:2', 'receive:2',
    ]);

    const recording = loadRecording(har, { url: '/echo' });
    expect(recording.connections).toHaveLength(1);
    const frames = recording.connections[0]!.frames;
    expect(frames.map((f) => [f.direction, f.text ?? `b64:${f.binary}`])).toEqual([
      ['server-to-client', 'welcome'],
      ['client-to-server', 'hello'],
      ['server-to-client', 'hello'],
      ['client-to-server', received[2]],
      ['server-to-client', received[2]],
      ['client-to-server', 'b64:BwgJ'],
      ['server-to-client', 'b64:BwgJ'],
    ]);
    // Offsets are milliseconds from the handshake, in order.
    expect(frames.every((f, i) => i === 0 || f.at >= frames[i - 1]!.at)).toBe(true);

    const replay = server.websocket({ path: '/replayed', replay: { file: har, url: '/echo', timing: 'asap', match: { ignore: ['id'] } } });
    const client = await connect(`${server.url}/replayed`);
    expect(await client.next()).toBe('welcome');
    expect(await client.ask('hello')).toBe('hello');
    expect(JSON.parse(await client.ask({ type: 'subscribe', id: 'node-1', channel: 'prices' }))).toEqual(JSON.parse(received[2]!));
    const last = await client.ask(Buffer.from([7, 8, 9]));
    expect(Buffer.from(last, 'utf8')).toEqual(Buffer.from([7, 8, 9]));
    await expect(await replay.waitForConnection()).toHaveReplayed();
  }, 60_000);

  it('reads DevTools-style times in seconds and refuses a HAR without WebSocket entries', () => {
    const devtools = {
      log: {
        version: '1.2',
        entries: [
          { startedDateTime: '2026-11-30T12:00:00.000Z', request: { url: 'https://app.test/' }, response: {} },
          {
            startedDateTime: '2026-11-30T12:00:00.000Z',
            _resourceType: 'websocket',
            request: { url: 'wss://app.test/live', headers: [{ name: 'Origin', value: 'https://app.test' }] },
            response: { headers: [{ name: 'Sec-WebSocket-Protocol', value: 'v2' }] },
            _webSocketMessages: [
              { type: 'receive', time: Date.parse('2026-11-30T12:00:00.000Z') / 1000 + 0.25, opcode: 1, data: 'hi' },
              { type: 'send', time: Date.parse('2026-11-30T12:00:00.000Z') / 1000 + 0.5, opcode: 2, data: 'AQI=' },
            ],
          },
        ],
      },
    };
    const [conn] = loadRecording(devtools).connections;
    expect(conn).toMatchObject({ url: 'wss://app.test/live', subprotocol: 'v2', headers: { origin: 'https://app.test' }, close: null });
    expect(conn!.frames).toEqual([
      { direction: 'server-to-client', at: 250, text: 'hi' },
      { direction: 'client-to-server', at: 500, binary: 'AQI=' },
    ]);
    expect(() => loadRecording({ log: { entries: [devtools.log.entries[0]] } })).toThrow(/log\.entries: has no WebSocket entry/);
  });
});
