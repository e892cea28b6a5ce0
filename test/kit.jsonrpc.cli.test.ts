//
// A JSON-RPC mock through `wsmock serve`: from a config file, and added over
// the admin API by `wsmock mocks add --file`.
//
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe, type Serving } from './helpers/cli.js';
import { scratchDir } from './helpers/files.js';
import { rpcClient } from './helpers/rpc.js';

const { file } = scratchDir('wsmock-jsonrpc-cli-');
let s: Serving;
let admin: string[];

beforeAll(async () => {
  const config = file(
    'rpc.yaml',
    ['version: "1.0"', 'mocks:', '  - id: rpc', '    type: jsonrpc', '    jsonrpc:', '      path: /rpc', '      methods:', '        sum: { result: "{{params.a}}" }', ''].join('\n'),
  );
  s = await startServe(['--port', '0', '--admin-port', '0', '--config', config]);
  admin = ['--admin-url', s.adminUrl!];
});
afterAll(() => s.stop());

describe('wsmock serve with JSON-RPC mocks', () => {
  it('serves a JSON-RPC mock from a config file', async () => {
    expect(s.output()).toContain(`rpc                  ${s.wsUrl}/rpc`);
    const client = await rpcClient(`${s.wsUrl}/rpc`);
    await expect(client.call('sum', { a: 5 })).resolves.toBe(5);
    await expect(client.call('nope')).rejects.toMatchObject({ code: -32601 });
  });

  it('adds one with `mocks add --file` and lists it with its path', async () => {
    const envelope = file('more.json', JSON.stringify({ version: '1.0', mocks: [{ id: 'more', type: 'jsonrpc', jsonrpc: { path: '/more', methods: { v: { result: 2 } } } }] }));
    const added = await runCli(['mocks', 'add', '--file', envelope, ...admin]);
    expect([added.code, added.stderr, added.stdout]).toEqual([0, '', 'Created mock: more\n  Type: jsonrpc\n  Path: /more\n']);
    const list = await runCli(['mocks', 'list', ...admin]);
    expect(list.stdout).toContain('more  /more  yes');
    const client = await rpcClient(`${s.wsUrl}/more`);
    await expect(client.call('v')).resolves.toBe(2);
  });
});
