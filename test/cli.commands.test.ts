import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type TestClient } from './helpers/client.js';
import { runCli, startServe, type Serving } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';

const { file: scratchFile } = scratchDir('wsmock-cmd-');
let s: Serving;
let admin: string[];

beforeAll(async () => {
  s = await startServe(['--port', '0', '--admin-port', '0', '--admin-token', 'sekret']);
  admin = ['--admin-url', s.adminUrl!, '--admin-token', 'sekret'];
});
afterAll(() => s.stop());

/** A port nothing listens on: taken, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function ok(args: string[]) {
  const result = await runCli([...args, ...admin]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('admin client commands against a running serve', () => {
  let client: TestClient;
  let id: string;

  it('connections list / get (table and --json)', async () => {
    client = await connect(`${s.wsUrl}/ws?from=cli`);
    const list = JSON.parse(await ok(['connections', 'list', '--json']));
    expect(list.connections).toHaveLength(1);
    id = list.connections[0].id;
    expect(list.connections[0]).toMatchObject({ mockId: 'echo', url: '/ws?from=cli', status: 'connected' });
    const table = await ok(['connections', 'list']);
    expect(table.split('\n')[0]).toMatch(/^ID +MOCK +URL +CLIENT +CONNECTED +IN +OUT +STATUS$/);
    expect(table).toContain(`${id}  echo  /ws?from=cli`);
    expect(JSON.parse(await ok(['connections', 'get', id, '--json']))).toMatchObject({ id, mockId: 'echo' });
    expect(await ok(['connections', 'list', '--mock', 'nothing'])).toBe('No open connections.\n');
  });

  it('connections send (text, json, binary) reaches the client', async () => {
    expect(await ok(['connections', 'send', id, 'hi there'])).toBe(`Sent text message to ${id}.\n`);
    expect(await client.next()).toBe('hi there');
    await ok(['connections', 'send', id, '{"type":"price","value":3}', '--type', 'json']);
    expect(await client.nextJson()).toEqual({ type: 'price', value: 3 });
    await ok(['connections', 'send', id, Buffer.from([1, 2, 3]).toString('base64'), '--type', 'binary']);
    expect(await client.frame()).toMatchObject({ binary: true, data: Buffer.from([1, 2, 3]) });
  });

  it('stats', async () => {
    const stats = JSON.parse(await ok(['stats', '--json']));
    expect(stats).toMatchObject({ activeConnections: 1, totalMessagesSent: 3, connectionsByMock: { echo: 1 } });
    expect(await ok(['stats'])).toMatch(/connections \(active\) +1\n/);
  });

  it('connections close', async () => {
    expect(await ok(['connections', 'close', id, '--code', '4001', '--reason', 'cli says bye'])).toBe(`Closed ${id}.\n`);
    expect(await client.closed).toEqual({ code: 4001, reason: 'cli says bye' });
  });

  it('mocks add (--path --echo and --file), list, get, remove', async () => {
    expect(await ok(['mocks', 'add', '--path', '/ws/echo', '--echo', '--id', 'quick'])).toBe(
      'Created mock: quick\n  Type: websocket\n  Path: /ws/echo\n  Echo: enabled\n',
    );
    const file = scratchFile('more.yaml', 'version: "1.0"\nmocks:\n  - id: greeter\n    type: websocket\n    websocket:\n      path: /greet\n      defaultResponse: { type: text, value: hello }\n');
    expect(await ok(['mocks', 'add', '--file', file])).toContain('Created mock: greeter');
    const table = await ok(['mocks', 'list']);
    expect(table.split('\n').slice(0, 4)).toEqual(['ID       PATH      ENABLED  NAME', 'echo     /ws       yes      Echo', 'quick    /ws/echo  yes      -', 'greeter  /greet    yes      -']);
    expect(await ok(['mocks', 'get', 'quick'])).toContain('path: /ws/echo');
    const greeted = await connect(`${s.wsUrl}/greet`);
    expect(await ok(['mocks', 'remove', 'greeter'])).toBe('Removed mock greeter.\n');
    expect(await greeted.closed).toEqual({ code: 1012, reason: 'mock removed' });
    expect(JSON.parse(await ok(['mocks', 'list', '--json'])).mocks.map((m: { id: string }) => m.id)).toEqual(['echo', 'quick']);
  });

  it('errors: unknown id, missing token, unreachable admin URL', async () => {
    const missing = await runCli(['connections', 'get', 'conn-999', ...admin]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^wsmock: GET \/websocket\/connections\/conn-999 failed with 404 not_found: /);
    const noToken = await runCli(['stats', '--admin-url', s.adminUrl!]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toBe(`wsmock: The admin API at ${s.adminUrl} refused the request (401): pass --admin-token or set WSMOCK_ADMIN_TOKEN.\n`);
    const closedPort = await freePort();
    const away = await runCli(['stats'], { env: { WSMOCK_ADMIN_URL: `http://127.0.0.1:${closedPort}` } });
    expect(away.code).toBe(1);
    expect(away.stderr).toBe(
      `wsmock: Cannot reach the wsmock admin API at http://127.0.0.1:${closedPort} (ECONNREFUSED). Check that \`wsmock serve\` is running with its admin API and that --admin-url (or WSMOCK_ADMIN_URL) points at it.\n`,
    );
    const usage = await runCli(['mocks', 'add', ...admin]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^wsmock: mocks add needs --path P --echo, or --file F\.\n\nUsage: wsmock mocks/);
  });
});

describe('client tools', () => {
  it('send prints the reply; @file reads the message; --json prints JSON lines', async () => {
    expect(await runCli(['send', `${s.wsUrl}/ws`, 'hello'])).toEqual({ code: 0, stdout: 'hello\n', stderr: '' });
    const file = scratchFile('message.json', '{"action":"ping"}');
    const fromFile = await runCli(['send', `${s.wsUrl}/ws`, `@${file}`, '--json']);
    expect(fromFile.stdout).toBe('{"type":"text","data":"{\\"action\\":\\"ping\\"}"}\n');
  });

  it('send times out when fewer replies than --count arrive', async () => {
    const result = await runCli(['send', `${s.wsUrl}/ws`, 'once', '--count', '2', '--timeout', '300ms']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('once\n');
    expect(result.stderr).toBe(`wsmock: Timed out after 300 ms with 1 of 2 replies from ${s.wsUrl}/ws.\n`);
  });

  it('send reports a refused handshake', async () => {
    const result = await runCli(['send', `${s.wsUrl}/nowhere`, 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`wsmock: ${s.wsUrl}/nowhere refused the connection: HTTP 404 {"error":"websocket_endpoint_not_found","path":"/nowhere"}\n`);
  });

  it('listen -n prints messages pushed to it, with headers and a subprotocol', async () => {
    const listening = runCli(['listen', `${s.wsUrl}/ws?who=listener`, '-n', '2', '-H', 'x-who: cli']);
    // Wait until the listener is connected, then push two messages through the admin API.
    const conn = await vi.waitFor(
      async () => {
        const list = JSON.parse(await ok(['connections', 'list', '--json']));
        const found = list.connections.find((c: { url: string }) => c.url === '/ws?who=listener');
        expect(found).toBeDefined();
        return found as { id: string };
      },
      { timeout: 10_000 },
    );
    await ok(['connections', 'send', conn.id, 'one']);
    await ok(['connections', 'send', conn.id, Buffer.from('two').toString('base64'), '--type', 'binary']);
    const result = await listening;
    expect(result).toEqual({ code: 0, stdout: `one\n<binary 3 bytes> ${Buffer.from('two').toString('base64')}\n`, stderr: '' });
  });
});

describe('issue 22 item 8: mocks add --file and replay files', () => {
  it('reads a replay.file found on this machine and sends it inline, which the admin API accepts without a recordings directory', async () => {
    const { file } = scratchDir('wsmock-cmd-replay-');
    const recording = file(
      'feed.json',
      JSON.stringify({
        format: 'wsmock-recording/1',
        recordedAt: '2026-11-30T12:00:00.000Z',
        connections: [{ url: '/feed', startedAt: '2026-11-30T12:00:00.000Z', headers: {}, subprotocol: null, frames: [{ direction: 'server-to-client', at: 0, text: 'replayed' }], close: null }],
      }),
    );
    const config = file('replay.yaml', `version: "1.0"\nmocks:\n  - id: replayed\n    type: websocket\n    websocket:\n      path: /replayed\n      replay: { file: ${recording}, timing: asap }\n`);
    expect(await ok(['mocks', 'add', '--file', config])).toContain('Created mock: replayed');
    const client = await connect(`${s.wsUrl}/replayed`);
    expect(await client.next()).toBe('replayed');
    await client.close();
    expect((await runCli(['mocks', 'remove', 'replayed', ...admin])).code).toBe(0);

    // A path that is not here goes as written: this server has no recordings directory, so it refuses it.
    const missing = file('missing.yaml', 'version: "1.0"\nmocks:\n  - type: websocket\n    websocket:\n      path: /missing\n      replay: { file: nowhere.json }\n');
    const refused = await runCli(['mocks', 'add', '--file', missing, ...admin]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('started without a recordings directory');
  });
});
