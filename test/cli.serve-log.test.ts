import { afterEach, describe, expect, it } from 'vitest';
import { connect } from './helpers/client.js';
import { runCli, startServe, type Serving } from './helpers/cli.js';

const running: Serving[] = [];
async function serve(args: string[]) {
  const s = await startServe(['--port', '0', '--admin-port', '0', ...args]);
  running.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

const TIME = String.raw`\d\d:\d\d:\d\d`;

describe('wsmock serve logs', () => {
  it('prints the dashboard URL and one line per connection and close, no frames by default', async () => {
    const s = await serve([]);
    expect(s.output()).toMatch(/^admin API on (http:\/\/127\.0\.0\.1:\d+)\ndashboard on \1\/$/m);
    const client = await connect(`${s.wsUrl}/ws?room=1`);
    await s.waitForOutput(new RegExp(`^${TIME} \\+ conn-1 /ws\\?room=1 127\\.0\\.0\\.1$`, 'm'));
    client.send('one');
    expect(await client.next()).toBe('one');
    client.send('two');
    expect(await client.next()).toBe('two');
    client.ws.close(1000, 'bye');
    await client.closed;
    await s.waitForOutput(new RegExp(`^${TIME} - conn-1 1000 "bye" \\d+s 2↓ 2↑$`, 'm'));
    expect(s.output()).not.toMatch(/[↓↑] conn-1 one/);
    // A refused handshake gets its line too.
    expect((await fetch(`${s.adminUrl}/mocks/echo/toggle`, { method: 'POST' })).status).toBe(200);
    await expect(connect(`${s.wsUrl}/ws`)).rejects.toMatchObject({ status: 503 });
    await s.waitForOutput(new RegExp(`^${TIME} ! /ws refused 503 endpoint_disabled$`, 'm'));
  });

  it('--log frames: every frame, text cut to 120 characters', async () => {
    const s = await serve(['--log', 'frames']);
    const client = await connect(`${s.wsUrl}/ws`);
    client.send('hello\nworld');
    expect(await client.next()).toBe('hello\nworld');
    client.send('{"type":"join"}');
    await client.next();
    client.send('z'.repeat(500));
    await client.next();
    client.send(Buffer.from([1, 2, 3]));
    await client.next();
    await s.waitForOutput(`↑ conn-1 <binary 3 bytes>`);
    const lines = s.output().split('\n');
    const frames = lines.filter((l) => / [↓↑] conn-1 /.test(l)).map((l) => l.slice(9));
    expect(frames).toEqual([
      '↓ conn-1 hello\\nworld',
      '↑ conn-1 hello\\nworld',
      '↓ conn-1 {"type":"join"}',
      '↑ conn-1 {"type":"join"}',
      `↓ conn-1 ${'z'.repeat(120)}…`,
      `↑ conn-1 ${'z'.repeat(120)}…`,
      '↓ conn-1 <binary 3 bytes>',
      '↑ conn-1 <binary 3 bytes>',
    ]);
  });

  it('--log quiet: nothing after start-up but the shutdown line', async () => {
    const s = await serve(['--log', 'quiet']);
    const client = await connect(`${s.wsUrl}/ws`);
    client.send('x');
    await client.next();
    await client.close();
    await s.stop();
    const afterStart = s.output().split('mocks:\n')[1]!;
    expect(afterStart.trimEnd().split('\n')).toEqual([expect.stringMatching(/^ +echo +ws:/), 'SIGTERM: closing connections and shutting down']);
  });

  it('--json-log: one JSON object per line', async () => {
    const s = await serve(['--json-log', '--log', 'frames']);
    const client = await connect(`${s.wsUrl}/ws`);
    client.send('hi');
    await client.next();
    client.ws.close(4000, 'done');
    await client.closed;
    await s.waitForOutput('"event":"close"');
    await s.stop();
    const objects = s
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(objects.map((o) => o.event)).toEqual(['listening', 'connection', 'message', 'message', 'close', 'info']);
    expect(objects[0]).toMatchObject({ url: s.wsUrl, adminUrl: s.adminUrl, dashboardUrl: `${s.adminUrl}/`, mocks: [{ id: 'echo', type: 'websocket', enabled: true }] });
    expect(objects[1]).toMatchObject({ time: expect.stringMatching(/^\d{4}-/), id: 'conn-1', mockId: 'echo', url: '/ws', clientIp: '127.0.0.1' });
    expect(objects[2]).toMatchObject({ id: 'conn-1', direction: 'in', binary: false, size: 2, text: 'hi', truncated: false });
    expect(objects[4]).toMatchObject({ id: 'conn-1', code: 4000, reason: 'done', by: 'client', messagesRecv: 1, messagesSent: 1, durationMs: expect.any(Number) });
    expect(objects[5]).toMatchObject({ message: 'SIGTERM: closing connections and shutting down' });
  });

  it('refuses an unknown --log level', async () => {
    const result = await runCli(['serve', '--log', 'loud']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--log must be one of connections, frames, quiet, got "loud".');
  });
});

describe('wsmock connections wait', () => {
  it('answers once N connections are open, and exits 1 with what is open on timeout', async () => {
    const s = await serve(['--log', 'quiet']);
    const admin = ['--admin-url', s.adminUrl!];
    const waiting = runCli(['connections', 'wait', '--count', '2', '--timeout', '10s', ...admin]);
    // The wait is registered before the clients come: the admin API answers only when both are open.
    const a = await connect(`${s.wsUrl}/ws`);
    const b = await connect(`${s.wsUrl}/ws`);
    const done = await waiting;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^2 connection\(s\) open\.\nID +MOCK/);
    expect(done.stdout).toContain('conn-1');
    expect(done.stdout).toContain('conn-2');

    const timedOut = await runCli(['connections', 'wait', '--count', '3', '--timeout', '200ms', ...admin]);
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr.trim()).toBe('wsmock: Timed out: Waited 200 ms for 3 open connection(s); 2 open.');
    await a.close();
    await b.close();
    const gone = await runCli(['connections', 'wait', '--count', '0', '--timeout', '5s', '--json', ...admin]);
    expect(gone.code).toBe(0);
    expect(JSON.parse(gone.stdout)).toMatchObject({ connections: [], stats: { activeConnections: 0, totalConnections: 2 } });
  });

  it('needs --count', async () => {
    const result = await runCli(['connections', 'wait']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('connections wait needs --count N.');
  });
});
