//
// issue 27: routeFromHAR(). A HAR recorded by Chromium itself (recordHar) from
// a real `ws` server is replayed to a new page after that server is gone, with
// wsmock's replay: its frames, its mismatch report and toHaveReplayed().
//
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadRecording } from '../src/index.js';
import { routeFromHAR } from '../src/adapters/playwright.js';
import '../src/adapters/vitest-setup.js';
import { APP_URL, eventsOf, launchChromium, onSocket, openSocket, serveApp } from './helpers/routedPage.js';

let browser: Browser;
let dir: string;
let harFile: string;
let attachedHar: string;
let liveUrl: string;

/** Records a session with a real ws server into `file` (frames embedded, or in a file beside it with 'attach'), then closes the server. */
async function recordSession(file: string, content: 'embed' | 'attach'): Promise<string> {
  const backend = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => backend.once('listening', resolve));
  backend.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'hello', ts: 1 }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) ws.send(data, { binary: true });
      else ws.send(JSON.stringify({ type: 'pong', to: JSON.parse(String(data)).type, ts: 2 }));
    });
  });
  const url = `ws://127.0.0.1:${(backend.address() as { port: number }).port}/live?v=1`;
  const context = await browser.newContext({ recordHar: { path: file, content } });
  const page = await context.newPage();
  await serveApp(page);
  await page.goto(APP_URL);
  await openSocket(page, 'live', url);
  await eventsOf(page, 'live', 2); // open, hello
  await onSocket(page, 'live', (ws) => ws.send(JSON.stringify({ type: 'ping', id: 'a1' })));
  await eventsOf(page, 'live', 3);
  await onSocket(page, 'live', (ws) => ws.send(new Uint8Array([1, 2, 3])));
  await eventsOf(page, 'live', 4);
  await context.close(); // writes the HAR
  for (const client of backend.clients) client.terminate();
  await new Promise((resolve) => backend.close(resolve));
  return url;
}

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'wsmock-har-'));
  harFile = join(dir, 'session.har');
  liveUrl = await recordSession(harFile, 'embed');
  attachedHar = join(dir, 'attached', 'session.har');
  mkdirSync(join(dir, 'attached'));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('issue 27: routeFromHAR() replays a HAR recorded by Chromium to the page', () => {
  it('Chromium writes the frames as _webSocketMessages (text as text, binary as base64, times in ms)', () => {
    const har = JSON.parse(readFileSync(harFile, 'utf8')) as { log: { entries: Array<{ request: { url: string }; _webSocketMessages?: Array<{ type: string; opcode: number; data: string; time: number }> }> } };
    const entry = har.log.entries.find((e) => e.request.url === liveUrl)!;
    expect(entry._webSocketMessages!.map(({ type, opcode, data }) => ({ type, opcode, data }))).toEqual([
      { type: 'receive', opcode: 1, data: '{"type":"hello","ts":1}' },
      { type: 'send', opcode: 1, data: '{"type":"ping","id":"a1"}' },
      { type: 'receive', opcode: 1, data: '{"type":"pong","to":"ping","ts":2}' },
      { type: 'send', opcode: 2, data: 'AQID' },
      { type: 'receive', opcode: 2, data: 'AQID' },
    ]);
    expect(entry._webSocketMessages![0]!.time).toBeGreaterThan(1e12);
  });

  it('a new page gets the recorded answers with the server gone, and toHaveReplayed() passes', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await serveApp(page);
      const har = await routeFromHAR(page, harFile, { timing: 'asap', match: { ignore: ['id'] } });
      await page.goto(APP_URL);
      await openSocket(page, 'live', liveUrl);
      expect((await eventsOf(page, 'live', 2))[1]!.data).toBe('{"type":"hello","ts":1}');
      await onSocket(page, 'live', (ws) => ws.send(JSON.stringify({ type: 'ping', id: 'another id' })));
      expect((await eventsOf(page, 'live', 3))[2]!.data).toBe('{"type":"pong","to":"ping","ts":2}');
      await onSocket(page, 'live', (ws) => ws.send(new Uint8Array([1, 2, 3])));
      expect((await eventsOf(page, 'live', 4))[3]!.data).toEqual([1, 2, 3]);
      const conn = await har.mock(liveUrl).waitForConnection();
      expect(conn.query).toEqual({ v: '1' });
      await expect(conn).toHaveReplayed();
      expect(har.mocks.map((m) => m.name)).toEqual([liveUrl.replace('?v=1', '')]);
    } finally {
      await context.close();
    }
  });

  it('a page frame that differs from the recording fails the replay with a diff', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await serveApp(page);
      const har = await routeFromHAR(page, harFile, { timing: 'asap' });
      await page.goto(APP_URL);
      await openSocket(page, 'live', liveUrl);
      await eventsOf(page, 'live', 2);
      await onSocket(page, 'live', (ws) => ws.send(JSON.stringify({ type: 'pang', id: 'a1' })));
      const conn = await har.mock(liveUrl).waitForConnection();
      await expect(expect(conn).toHaveReplayed()).rejects.toThrow(/pang/);
    } finally {
      await context.close();
    }
  });

  it("a HAR recorded with content: 'attach' (frames in a .jsonl file beside it) replays the same", async () => {
    const url = await recordSession(attachedHar, 'attach');
    const entry = (JSON.parse(readFileSync(attachedHar, 'utf8')) as { log: { entries: Array<{ request: { url: string }; response: { content: { _file?: string } }; _webSocketMessages?: unknown }> } }).log.entries.find((e) => e.request.url === url)!;
    expect(entry._webSocketMessages).toBeUndefined();
    expect(entry.response.content._file).toMatch(/^\w+\.jsonl$/);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await serveApp(page);
      const har = await routeFromHAR(page, attachedHar, { timing: 'asap', match: { ignore: ['id'] } });
      await page.goto(APP_URL);
      await openSocket(page, 'live', url);
      expect((await eventsOf(page, 'live', 2))[1]!.data).toBe('{"type":"hello","ts":1}');
      await onSocket(page, 'live', (ws) => ws.send(JSON.stringify({ type: 'ping', id: 'x' })));
      expect((await eventsOf(page, 'live', 3))[2]!.data).toBe('{"type":"pong","to":"ping","ts":2}');
      await onSocket(page, 'live', (ws) => ws.send(new Uint8Array([1, 2, 3])));
      await expect(await har.mock(url).waitForConnection()).toHaveReplayed();
    } finally {
      await context.close();
    }
  });

  it('an attached file named with a directory is refused, naming the entry', () => {
    const sneaky = join(dir, 'sneaky.har');
    writeFileSync(sneaky, JSON.stringify({ log: { entries: [{ request: { url: 'wss://api.example.com/x' }, _resourceType: 'websocket', response: { content: { _file: '../outside.jsonl' } } }] } }));
    expect(() => loadRecording(sneaky)).toThrow(/log\.entries\[0\]\.response\.content\._file: names the attached file "\.\.\/outside\.jsonl": it must be a file name beside the HAR \(no directory\)/);
  });

  it('a HAR without WebSocket entries is WSMOCK_ERR_INVALID_CONFIG naming the file; a url matching no recorded socket names the recorded ones', async () => {
    const empty = join(dir, 'no-sockets.har');
    writeFileSync(empty, JSON.stringify({ log: { version: '1.2', entries: [{ request: { url: 'https://app.test/', method: 'GET' }, response: { status: 200 } }] } }));
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await expect(routeFromHAR(page, empty)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining(`${empty} log.entries: has no WebSocket entry`) });
      await expect(routeFromHAR(page, harFile, { url: '/elsewhere' })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: expect.stringMatching(/options\.url \/elsewhere matches none of the WebSocket URLs recorded in .*session\.har: ws:\/\/127\.0\.0\.1:\d+\/live\?v=1/) });
      await routeFromHAR(page, harFile, { url: liveUrl.replace('?v=1', ''), onUnmatched: () => undefined }); // a full URL without its query matches
      const har = await routeFromHAR(page, harFile, { url: /\/live/, onUnmatched: () => undefined });
      expect(() => har.mock('wss://api.example.com/other')).toThrow(/"wss:\/\/api.example.com\/other" is not a WebSocket URL recorded in .*session.har; it recorded ws:\/\/127.0.0.1:\d+\/live/);
    } finally {
      await context.close();
    }
  });
});
