//
// Recording through a proxy: a proxy mock with `record: true` in front of a
// real upstream (a plain `ws` server in another process), in-process and as
// `wsmock record --upstream URL --out FILE`. What is recorded is what the client
// sent and received; the recording then replays without the upstream.
//
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { loadRecording, type RecordingFile } from '../src/index.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { CLI } from './helpers/cli.js';
import { connect } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useMockServer } from './helpers/server.js';
import { useUpstream } from './helpers/upstream.js';

expect.extend(wsmockMatchers);
const server = useMockServer();
const upstream = useUpstream();

describe('a recording proxy', () => {
  it('records what the client sent and received, a matcher override included, not the upstream legs; the recording replays without the upstream', async () => {
    const proxy = server.websocket({
      path: '/greet',
      record: true,
      proxy: { url: `${upstream.url}/greet` },
      matchers: [{ match: { type: 'exact', value: 'local' }, response: { type: 'text', value: 'answered by the mock' } }],
    });
    const client = await connect(proxy.url);
    expect(await client.next()).toBe('hello from upstream');
    expect(await client.ask('echo me')).toBe('echo me');
    expect(await client.ask('local')).toBe('answered by the mock');
    await client.send('close:4002:enough');
    expect(await client.closed).toEqual({ code: 4002, reason: 'enough' });
    await (await proxy.waitForConnection()).waitForClose();

    const [conn] = server.recording(proxy.id).connections;
    expect(conn!.frames.map((f) => [f.direction, f.text])).toEqual([
      ['server-to-client', 'hello from upstream'],
      ['client-to-server', 'echo me'],
      ['server-to-client', 'echo me'],
      ['client-to-server', 'local'],
      ['server-to-client', 'answered by the mock'],
      ['client-to-server', 'close:4002:enough'],
    ]);
    expect(conn!.close).toMatchObject({ code: 4002, reason: 'enough', by: 'server' });

    const replay = server.websocket({ path: '/offline', replay: { recording: server.recording(proxy.id), timing: 'asap' } });
    const offline = await connect(replay.url);
    expect(await offline.next()).toBe('hello from upstream');
    expect(await offline.ask('echo me')).toBe('echo me');
    expect(await offline.ask('local')).toBe('answered by the mock');
    await offline.send('close:4002:enough');
    expect(await offline.closed).toEqual({ code: 4002, reason: 'enough' });
    await expect(await replay.waitForConnection()).toHaveReplayed();
  });
});

describe('wsmock record', () => {
  it('passes clients through to the upstream, saves after each close and on SIGINT, and the file replays', async () => {
    const { dir } = scratchDir('wsmock-record-cli-');
    const out = `${dir}/session.json`;
    const child = spawn(process.execPath, [CLI, 'record', '--upstream', `${upstream.url}/echo`, '--port', '0', '--out', out]);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      // The two start-up lines are two writes: the pipe may deliver them apart.
      await vi.waitFor(
        () => {
          expect(output).toMatch(/wsmock record listening on ws:\/\/\S+\/echo/);
          expect(output).toContain(`passing through to ${upstream.url}/echo, recording to ${out}`);
        },
        { timeout: 10_000 },
      );
      const url = /listening on (ws:\/\/\S+)/.exec(output)![1]!;

      const first = await connect(url);
      expect(await first.ask('one')).toBe('one');
      first.ws.close(1000, 'done');
      await first.closed;
      await vi.waitFor(() => expect(output).toContain('saved 1 connection(s)'), { timeout: 10_000 });
      const saved = JSON.parse(readFileSync(out, 'utf8')) as RecordingFile;
      expect(saved.connections[0]!.close).toMatchObject({ code: 1000, reason: 'done', by: 'client' });

      const second = await connect(url);
      expect(await second.ask({ n: 2 })).toBe('{"n":2}');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toContain('SIGINT: saving and shutting down');
      // The client still open at the signal is saved as open, not as closed by the shutdown.
      const recording = loadRecording(out);
      expect(recording.connections.map((c) => c.frames.map((f) => f.text))).toEqual([['one', 'one'], ['{"n":2}', '{"n":2}']]);
      expect(recording.connections[1]!.close).toBeNull();
      expect(await second.closed).toMatchObject({ code: 1001 });
      const replay = server.websocket({ path: '/again', replay: { file: out, connection: 1, timing: 'asap' } });
      const again = await connect(replay.url);
      expect(await again.ask({ n: 2 })).toBe('{"n":2}');
      await expect(await replay.waitForConnection()).toHaveReplayed();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(existsSync(out)).toBe(true);
  });

  it('refuses an upstream that is not ws: or wss:, before listening, and a missing --out', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'record', ...args]);
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const bad = await run(['--upstream', 'http://example.test/x', '--out', 'x.json', '--port', '0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/proxy\.url/);
    const missing = await run(['--upstream', 'ws://127.0.0.1:1/x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--out FILE is required.');
  });
});
