import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { chatRoom } from './fixtures/guide-examples.js';
import { adminClient } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { runCli, useServe } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';

const { file } = scratchDir('wsmock-cli-');
const serve = useServe();

describe('wsmock serve', () => {
  it('with no config serves an echo mock at /ws and prints the URLs', async () => {
    const s = await serve(['--port', '0', '--admin-port', '0']);
    expect(s.output()).toMatch(/^wsmock listening on ws:\/\/127\.0\.0\.1:\d+\nadmin API on http:\/\/127\.0\.0\.1:\d+\ndashboard on http:\/\/127\.0\.0\.1:\d+\/\nmocks:\n  echo +ws:\/\/127\.0\.0\.1:\d+\/ws\n/);
    const client = await connect(`${s.wsUrl}/ws`);
    client.send('hello');
    expect(await client.next()).toBe('hello');
    await client.close();
    const health = await fetch(`${s.adminUrl}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it("serves the reference guide's chat example from YAML and answers a real client", async () => {
    const config = file('chat.yaml', YAML.stringify({ version: '1.0', mocks: [chatRoom] }));
    const s = await serve(['--config', config, '--port', '0', '--admin-port', '0']);
    expect(s.output()).toMatch(/chat-room +ws:\/\/127\.0\.0\.1:\d+\/ws\/chat/);
    const client = await connect(`${s.wsUrl}/ws/chat`, { protocols: ['chat'] });
    client.send({ type: 'join', username: 'testuser' });
    expect(await client.nextJson()).toEqual({ type: 'joined', message: 'Welcome to the chat room!', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    client.send({ type: 'message', content: 'hi' });
    expect(await client.nextJson()).toMatchObject({ type: 'message_ack', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    client.send({ type: 'typing' });
    client.send('status');
    expect(await client.nextJson()).toEqual({ type: 'status', users: 42, uptime: expect.stringMatching(/^\d+$/) });
    client.send('help');
    expect(await client.next()).toContain('Available commands:');
    client.send('ping');
    expect(await client.nextJson()).toEqual({ type: 'error', message: "Unknown command. Type 'help' for available commands." });
    client.send({ type: 'leave' });
    expect(await client.nextJson()).toEqual({ type: 'left', message: 'Goodbye!' });
    await client.close();
  });

  it('SIGTERM closes clients with 1001 and exits 0', async () => {
    const s = await serve(['--port', '0', '--no-admin']);
    expect(s.adminUrl).toBeUndefined();
    const client = await connect(`${s.wsUrl}/ws`);
    const [closed, exit] = await Promise.all([client.closed, s.stop()]);
    expect(closed).toEqual({ code: 1001, reason: 'server shutdown' });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(s.output()).toContain('SIGTERM: closing connections and shutting down');
  });

  it('--watch: an edit to one mock closes its clients with 1012, another mock keeps its clients', async () => {
    const mocks = (greeting: string) =>
      `version: "1.0"\nmocks:\n  - id: a\n    type: websocket\n    websocket:\n      path: /a\n      defaultResponse: { type: text, value: "${greeting}" }\n  - id: b\n    type: websocket\n    websocket: { path: /b, echoMode: true }\n`;
    const config = file('watch.yaml', mocks('hello'));
    const s = await serve(['--config', config, '--port', '0', '--no-admin', '--watch']);
    await s.waitForOutput('watching 1 config file(s)');
    const a = await connect(`${s.wsUrl}/a`);
    const b = await connect(`${s.wsUrl}/b`);
    writeFileSync(config, mocks('bonjour'));
    expect(await a.closed).toEqual({ code: 1012, reason: 'mock updated' });
    await s.waitForOutput('reloaded config: 1 changed, 0 added, 0 removed, 1 unchanged');
    b.send('still here');
    expect(await b.next()).toBe('still here');
    // A broken edit is reported and the last good config keeps serving.
    writeFileSync(config, 'version: "1.0"\nmocks: [\n');
    await s.waitForOutput('reload failed, still serving the last good config');
    b.send('and here');
    expect(await b.next()).toBe('and here');
    await b.close();
  });
});

describe('wsmock serve: bad input', () => {
  it('a YAML syntax error names the file and line, exits 1 before listening', async () => {
    const config = file('syntax.yaml', 'version: "1.0"\nmocks: [\n  - a\n');
    const { code, stdout, stderr } = await runCli(['serve', '--config', config, '--port', '0']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/syntax\.yaml:3:3 \(root\): YAML syntax error: /);
  });

  it('a wrong type, an unknown field and a bad path name file, line, column and field', async () => {
    const config = file(
      'invalid.yaml',
      ['version: "1.0"', 'mocks:', '  - id: x', '    type: websocket', '    websocket:', '      path: nope', '      maxConnections: lots', '      colour: red', ''].join('\n'),
    );
    const { code, stderr } = await runCli(['serve', '--config', config, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid.yaml:6:7 mocks[0].websocket.path: must start with "/"');
    expect(stderr).toContain('invalid.yaml:7:7 mocks[0].websocket.maxConnections: must be a whole number');
    expect(stderr).toContain('invalid.yaml:8:7 mocks[0].websocket.colour: is not a known field');
  });

  it('a port in use says which port and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = await runCli(['serve', '--port', String(port), '--no-admin']);
    blocker.close();
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`wsmock: Cannot listen on 127.0.0.1:${port}: port ${port} is already in use (--port). Choose another port, or stop the process that uses it.`);
  });

  it('an unknown flag or command prints usage on stderr and exits 2', async () => {
    const flag = await runCli(['serve', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^wsmock: Unknown option '--bogus'\.\n\nUsage: wsmock serve/);
    const command = await runCli(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^wsmock: Unknown command "frobnicate"\.\n\nUsage: wsmock <command>/);
    const badPort = await runCli(['serve', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port must be a whole number from 0 to 65535, got "eighty"/);
  });

  it('--journal-limit takes an integer >= 1, and says so otherwise', async () => {
    for (const value of ['0', '-3', '2.5', 'many', '']) {
      const { code, stderr } = await runCli(['serve', '--port', '0', '--no-admin', `--journal-limit=${value}`]);
      expect(code).toBe(2);
      expect(stderr).toContain(`--journal-limit must be an integer >= 1, got "${value}".`);
    }
    const s = await serve(['--port', '0', '--no-admin', '--journal-limit', '5']);
    const client = await connect(`${s.wsUrl}/ws`);
    client.send('still echoes');
    expect(await client.next()).toBe('still echoes');
    await client.close();
  });

  it('--help and --version', async () => {
    const version = await runCli(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${(await import('../package.json', { with: { type: 'json' } })).default.version}\n`, stderr: '' });
    for (const command of ['serve', 'connections', 'mocks', 'stats', 'send', 'listen']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: wsmock ${command}`));
    }
  });
});

describe('issue 22 item 8: wsmock serve and the admin API', () => {
  it('refuses --host 0.0.0.0 (any non-loopback host) without --admin-token, before listening', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      const { code, stderr } = await runCli(['serve', '--port', '0', '--admin-port', '0', '--host', host]);
      expect(code).toBe(2);
      expect(stderr).toContain(`wsmock: --host ${host} would open the admin API beyond this machine with no token`);
      expect(stderr).toContain('Add --admin-token T');
    }
    const config = file('exposed.yaml', 'version: "1.0"\nserver: { host: 0.0.0.0 }\nmocks: []\n');
    expect((await runCli(['serve', '--config', config, '--port', '0', '--admin-port', '0'])).code).toBe(2);
  });

  it('with --admin-token on 0.0.0.0, prints every address it listens on, and the admin API answers them with the token', async () => {
    const s = await serve(['--port', '0', '--admin-port', '0', '--host', '0.0.0.0', '--admin-token', 'tok']);
    const wsPort = new URL(s.wsUrl).port;
    const adminPort = new URL(s.adminUrl!).port;
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    expect(s.output()).toContain(`wsmock listening on ws://127.0.0.1:${wsPort} (and every interface: --host 0.0.0.0)\n${external.map((a) => `  also on ws://${a}:${wsPort}\n`).join('')}`);
    expect(s.output()).toContain(`admin API on http://127.0.0.1:${adminPort} (and every interface: --host 0.0.0.0) (token required)\n${external.map((a) => `  also on http://${a}:${adminPort}\n`).join('')}`);
    for (const address of external) {
      expect((await fetch(`http://${address}:${adminPort}/mocks`)).status).toBe(401);
      expect((await fetch(`http://${address}:${adminPort}/mocks`, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
    }
  });

  it('--recordings DIR lets mocks posted to the admin API replay files inside DIR only; --proxy-allow sets the upstreams they may dial', async () => {
    const recordings = scratchDir('wsmock-serve-recordings-');
    recordings.file(
      'feed.json',
      JSON.stringify({
        format: 'wsmock-recording/1',
        recordedAt: '2026-11-30T12:00:00.000Z',
        connections: [{ url: '/feed', startedAt: '2026-11-30T12:00:00.000Z', headers: {}, subprotocol: null, frames: [{ direction: 'server-to-client', at: 0, text: 'hello' }], close: null }],
      }),
    );
    const s = await serve(['--port', '0', '--admin-port', '0', '--recordings', recordings.dir, '--proxy-allow', 'upstream.test:443', '--proxy-allow', '[::1]']);
    const api = adminClient(s.adminUrl!);
    const created = await api.post('/mocks', { type: 'websocket', websocket: { path: '/feed', replay: { file: 'feed.json', timing: 'asap' } } });
    expect(created.text).toContain('"action":"created"');
    const client = await connect(`${s.wsUrl}/feed`);
    expect(await client.next()).toBe('hello');
    await client.close();
    const outside = await api.post('/mocks', { type: 'websocket', websocket: { path: '/x', replay: { file: '../feed.json' } } });
    expect(outside.status).toBe(400);
    expect(outside.body.details[0].path).toBe('websocket.replay.file');

    expect((await api.post('/mocks', { type: 'websocket', websocket: { path: '/up', proxy: { url: 'wss://upstream.test/' } } })).status).toBe(201);
    expect((await api.post('/mocks', { type: 'websocket', websocket: { path: '/v6', proxy: { url: 'ws://[::1]:9/' } } })).status).toBe(201);
    const loopback = await api.post('/mocks', { type: 'websocket', websocket: { path: '/lo', proxy: { url: 'ws://127.0.0.1:9/' } } });
    expect(loopback.status).toBe(400);
    expect(loopback.body.details[0].message).toContain('it may proxy only to upstream.test:443, [::1] (wsmock serve --proxy-allow HOST[:PORT]');

    // Without --recordings, a file is refused: recordings are sent inline.
    const plain = await serve(['--port', '0', '--admin-port', '0']);
    const refused = await adminClient(plain.adminUrl!).post('/mocks', { type: 'websocket', websocket: { path: '/feed', replay: { file: join(recordings.dir, 'feed.json') } } });
    expect(refused.status).toBe(400);
    expect(refused.body.details[0].message).toContain('started without a recordings directory');
  });

  it('checks --proxy-allow and --recordings, and lists both in --help', async () => {
    for (const value of ['http://example.com', 'example.com/x', 'a b', 'host:0', '']) {
      const { code, stderr } = await runCli(['serve', '--port', '0', '--proxy-allow', value]);
      expect(code).toBe(2);
      expect(stderr).toContain(`wsmock: --proxy-allow must be HOST or HOST:PORT, e.g. "api.example.com", "127.0.0.1:8080" or "[::1]:8080" (no scheme, path or user), got "${value}".`);
    }
    const missing = await runCli(['serve', '--port', '0', '--recordings', join(scratchDir('wsmock-none-').dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--recordings .*nope: not a directory/);
    const help = await runCli(['serve', '--help']);
    expect(help.stdout).toMatch(/--recordings DIR/);
    expect(help.stdout).toMatch(/--proxy-allow H/);
  });
});
