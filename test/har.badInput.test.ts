//
// Bad input to the HAR loader, `routeFromHAR()` and `route()`: each is a
// clear error naming the file and the field (or the argument), never a
// TypeError, never a frame silently dropped or changed, never a file read
// from outside the HAR's folder, never a server left listening. No browser:
// the arguments are checked before anything touches the page, so a stand-in
// with the two methods wsmock looks for is enough.
//
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it, vi } from 'vitest';
import { loadRecording } from '../src/index.js';
import { route, routeFromHAR } from '../src/adapters/playwright.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();

/** A stand-in for a Page: what checkTarget() looks for, and nothing a failed call may reach. */
const page = {
  routeWebSocket: () => Promise.reject(new Error('the page was touched')),
  route: () => Promise.reject(new Error('the page was touched')),
  once: () => undefined,
} as unknown as Page;

/** A HAR with one WebSocket entry to wss://app.test/live holding `messages`. */
function har(messages: unknown, entry: Record<string, unknown> = {}): object {
  return {
    log: {
      entries: [
        {
          startedDateTime: '2026-11-30T12:00:00.000Z',
          _resourceType: 'websocket',
          request: { url: 'wss://app.test/live' },
          response: {},
          _webSocketMessages: messages,
          ...entry,
        },
      ],
    },
  };
}

const T0 = Date.parse('2026-11-30T12:00:00.000Z');

/** What loading `doc` throws: its code and message. */
function refusal(doc: object | string): { code: string; message: string } {
  try {
    loadRecording(doc);
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error('loaded');
}

/** Open TCP listeners of this process (a server routeFromHAR made and left open counts). */
const listeners = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

describe('HAR import: bad entries and frames', () => {
  it('a request.url that is not an absolute URL names the entry, and routeFromHAR rejects with it instead of a TypeError', async () => {
    const doc = har([{ type: 'receive', time: T0, opcode: 1, data: 'hi' }], { request: { url: 'live socket' } });
    expect(refusal(doc)).toEqual({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      message: expect.stringContaining('log.entries[0].request.url: must be the WebSocket URL (wss://host/path), got "live socket"'),
    });
    const { file } = scratchDir('wsmock-har-bad-');
    const path = file('odd-url.har', JSON.stringify(doc));
    await expect(routeFromHAR(page, path)).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      message: expect.stringContaining(`${path} log.entries[0].request.url: must be the WebSocket URL`),
    });
  });

  it('binary data (opcode 2) that is not base64 is refused naming the frame, not sent as other bytes', () => {
    const doc = har([{ type: 'receive', time: T0, opcode: 2, data: 'not base64!' }]);
    expect(refusal(doc).message).toContain('log.entries[0]._webSocketMessages[0].data: must be base64 (a binary frame, opcode 2), got "not base64!"');
  });

  it('an opcode that is neither a data frame (1, 2) nor a control frame (8-10) is refused, not dropped', () => {
    const doc = har([
      { type: 'receive', time: T0, opcode: '1', data: 'hi' },
      { type: 'receive', time: T0, opcode: 9, data: '' }, // a ping: skipped, as before
      { type: 'send', time: T0, opcode: 3, data: 'x' },
    ]);
    const { message } = refusal(doc);
    expect(message).toContain('log.entries[0]._webSocketMessages[0].opcode: must be 1 (text) or 2 (binary), or 8-10 for a control frame (skipped), got "1"');
    expect(message).toContain('log.entries[0]._webSocketMessages[2].opcode: must be 1 (text) or 2 (binary), or 8-10 for a control frame (skipped), got 3');
    expect(message).not.toContain('[1]');
  });

  it('a time that is not a number, or beyond any date, is refused naming the frame; -1 (not recorded) keeps the order', () => {
    const bad = har([
      { type: 'receive', time: 'soon', opcode: 1, data: 'a' },
      { type: 'receive', time: 1e300, opcode: 1, data: 'b' },
    ]);
    // 1e400 in a file is Infinity once parsed.
    const { file } = scratchDir('wsmock-har-bad-');
    const infinite = file('infinite.har', JSON.stringify(har([{ type: 'receive', time: 0, opcode: 1, data: 'c' }])).replace('"time":0', '"time":1e400'));
    const { message } = refusal(bad);
    const rule = 'must be a time in epoch seconds or milliseconds (-1 when not recorded)';
    expect(message).toContain(`log.entries[0]._webSocketMessages[0].time: ${rule}, got "soon"`);
    expect(message).toContain(`log.entries[0]._webSocketMessages[1].time: ${rule}, got 1e+300`);
    expect(refusal(infinite).message).toContain(`${infinite} log.entries[0]._webSocketMessages[0].time: ${rule}, got Infinity`);
    const omitted = loadRecording(har([{ type: 'receive', time: -1, opcode: 1, data: 'a' }, { type: 'receive', time: null, opcode: 1, data: 'b' }, { type: 'receive', opcode: 1, data: 'c' }]));
    expect(omitted.connections[0]!.frames.map((f) => f.text)).toEqual(['a', 'b', 'c']);
  });

  it('a file that is not JSON, not an object, or whose log.entries is not an array names the file and the field', () => {
    const { file } = scratchDir('wsmock-har-bad-');
    const notJson = file('not-json.har', '{"log": {');
    expect(refusal(notJson)).toEqual({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining(`${notJson} (root): is not valid JSON`) });
    const list = file('list.har', '[1, 2]');
    expect(() => loadRecording(list, { har: true })).toThrow(`${list} log.entries: is required: a HAR file has "log": { "entries": [...] }`);
    const entries = file('entries.har', JSON.stringify({ log: { entries: { 0: {} } } }));
    expect(() => loadRecording(entries, { har: true })).toThrow(`${entries} log.entries: must be an array, got an object`);
  });

  it('an attached .jsonl file: missing, a bad line, a line that is no message, or a name that leaves the folder', () => {
    const { dir, file } = scratchDir('wsmock-har-attach-');
    const attached = (name: string) => har(undefined, { _webSocketMessages: undefined, response: { content: { _file: name } } });
    const missing = file('missing.har', JSON.stringify(attached('gone.jsonl')));
    expect(refusal(missing).message).toMatch(/log\.entries\[0\]\.response\.content\._file: names the attached file gone\.jsonl, which cannot be read: ENOENT/);
    file('bad.jsonl', `${JSON.stringify({ type: 'receive', time: T0, opcode: 1, data: 'a' })}\n{oops\n`);
    expect(refusal(file('bad.har', JSON.stringify(attached('bad.jsonl')))).message).toContain('names the attached file bad.jsonl, whose line 2 is not JSON');
    file('odd.jsonl', `${JSON.stringify({ type: 'receive', time: T0, opcode: 1, data: 'a' })}\n\n${JSON.stringify({ type: 'receive', time: T0, opcode: 2, data: '%%' })}\n`);
    expect(refusal(file('odd.har', JSON.stringify(attached('odd.jsonl')))).message).toContain(
      'log.entries[0].response.content._file: odd.jsonl line 3: data: must be base64 (a binary frame, opcode 2), got "%%"',
    );
    // Names with a directory, absolute or relative, are never read, whatever they point at.
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'in.jsonl'), '');
    for (const name of ['../outside.jsonl', '/etc/outside.jsonl', 'sub/in.jsonl', '..\\outside.jsonl', 'C:\\outside.jsonl']) {
      const path = file('escape.har', JSON.stringify(attached(name)));
      expect(refusal(path).message).toContain(`log.entries[0].response.content._file: names the attached file ${JSON.stringify(name)}: it must be a file name beside the HAR (no directory)`);
    }
  });
});

describe('routeFromHAR() and route() arguments', () => {
  it('null options name the argument instead of a TypeError', async () => {
    const { file } = scratchDir('wsmock-har-bad-');
    const path = file('ok.har', JSON.stringify(har([{ type: 'receive', time: T0, opcode: 1, data: 'hi' }])));
    await expect(routeFromHAR(page, path, null as never)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: 'wsmock route: options must be an object, got null' });
    await expect(route(server, page, 'wss://app.test/**', null as never)).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: 'wsmock route: options must be an object, got null' });
    await expect(route(server, page, 'wss://app.test/**', 'to' as never)).rejects.toMatchObject({ message: 'wsmock route: options must be an object, got string' });
  });

  it('a misspelt option is refused naming the options there are, instead of being ignored', async () => {
    const { file } = scratchDir('wsmock-har-bad-');
    const path = file('ok.har', JSON.stringify(har([{ type: 'receive', time: T0, opcode: 1, data: 'hi' }])));
    await expect(routeFromHAR(page, path, { timming: 'asap' } as never)).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_ARGUMENT',
      message: 'wsmock route: options.timming is not an option (options: url, timing, match, server, onUnmatched)',
    });
    await expect(route(server, page, 'wss://app.test/**', { too: '/chat' } as never)).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_ARGUMENT',
      message: 'wsmock route: options.too is not an option (options: to, onUnmatched)',
    });
  });

  it('a url filter that names a WebSocket URL that does not parse, or an onUnmatched that is no function, is refused', async () => {
    const { file } = scratchDir('wsmock-har-bad-');
    const path = file('ok.har', JSON.stringify(har([{ type: 'receive', time: T0, opcode: 1, data: 'hi' }])));
    await expect(routeFromHAR(page, path, { url: 'wss://' })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_ARGUMENT',
      message: 'wsmock route: options.url "wss://" is not a URL: use a path (/live) or a full URL (wss://host/live)',
    });
    await expect(routeFromHAR(page, path, { onUnmatched: 'warn' as never })).rejects.toMatchObject({ message: 'wsmock route: options.onUnmatched must be a function, got string' });
  });

  it('a bad timing or match leaves no server of its own listening, and no mock on a given server', async () => {
    const { file } = scratchDir('wsmock-har-bad-');
    const path = file('ok.har', JSON.stringify(har([{ type: 'receive', time: T0, opcode: 1, data: 'hi' }])));
    const before = listeners();
    await expect(routeFromHAR(page, path, { timing: 'fast' as never })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining('timing') });
    // A closed listener leaves the list when libuv has run its close callback.
    await vi.waitFor(() => expect(listeners()).toBe(before));
    await expect(routeFromHAR(page, path, { server, match: { ignore: 'id' } as never })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_CONFIG', message: expect.stringContaining('match') });
    expect(server.mocks.list()).toEqual([]);
  });
});
