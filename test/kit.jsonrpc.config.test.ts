//
// The JSON-RPC kit's config: validation naming each field, the envelope in
// config files, createMockServer({ mocks }) and the admin API.
//
import { beforeAll, describe, expect, it } from 'vitest';
import { issuesOf } from './helpers/failures.js';
import { JsonRpcMock, loadConfigFiles, parseConfig, WsMockError, type JsonRpcEnvelope } from '../src/index.js';
import { adminClient } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { rpcClient } from './helpers/rpc.js';
import { useMockServer, useServers } from './helpers/server.js';

const server = useMockServer();
const start = useServers();
const { file } = scratchDir('wsmock-jsonrpc-');


describe('invalid configs', () => {
  it('names every bad field', () => {
    expect(
      issuesOf(() =>
        server.jsonrpc('rpc', {
          methods: {
            none: {},
            two: { result: 1, error: { code: -1, message: 'x' } },
            badCode: { error: { code: 1.5, message: 'x' } },
            noMessage: { error: { code: 1 } as never },
            template: { result: { a: '{{#open}}' } },
            late: { manual: true, delay: 10 },
            typo: { reslt: 1 } as never,
            badDelay: { result: 1, delay: 'soon' },
          },
          unknownMethods: 'ignore' as never,
          colour: 'red',
        } as never),
      ),
    ).toEqual([
      { path: 'path', message: 'must start with "/"' },
      { path: 'methods.none', message: 'needs one of "result", "error" or "manual: true"' },
      { path: 'methods.two', message: 'takes only one of "result", "error"' },
      { path: 'methods.badCode.error.code', message: 'must be an integer (a JSON-RPC error code such as -32602)' },
      { path: 'methods.noMessage.error.message', message: 'is required and must be a string' },
      { path: 'methods.template.result.a', message: 'is not a valid template: Unclosed section "open" at 9' },
      { path: 'methods.late.delay', message: 'has no effect on a "manual" method: the test answers when it wants' },
      { path: 'methods.typo.reslt', message: 'is not a known field; did you mean "result"?' },
      { path: 'methods.typo', message: 'needs one of "result", "error" or "manual: true"' },
      { path: 'methods.badDelay.delay', message: expect.stringMatching(/^must be a non-negative number of milliseconds/) },
      { path: 'unknownMethods', message: 'must be one of "error"|"wait"' },
      { path: 'colour', message: 'is not a known field' },
    ]);
  });

  it('refuses a config that is not an object, and methods that are neither a spec nor a function', () => {
    expect(issuesOf(() => server.jsonrpc(42 as never))).toEqual([{ path: '', message: 'must be an object with at least a "path"' }]);
    expect(issuesOf(() => server.jsonrpc('/rpc', { methods: { n: 5 as never } }))).toEqual([{ path: 'methods.n', message: expect.stringMatching(/object/) }]);
    expect(issuesOf(() => server.jsonrpc('/rpc', { methods: [] as never }))).toEqual([{ path: 'methods', message: expect.stringMatching(/record|object/) }]);
  });

  it('refuses an invalid update, keeping the old config', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { a: { result: 1 } } });
    await expect(mock.update({ methods: { a: { result: 1, manual: true } } })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      issues: [{ path: 'methods.a', message: 'takes only one of "result", "manual"' }],
    });
    expect(mock.config.methods).toEqual({ a: { result: 1 } });
  });
});

describe('the envelope', () => {
  it('writes the declarative fields, leaving in-process methods and hooks out', () => {
    const mock = server.jsonrpc({
      id: 'rpc',
      path: '/rpc',
      methods: { a: { result: 1 }, b: () => 2, c: { manual: true } },
      unknownMethods: 'wait',
      maxConnections: 3,
      subprotocols: () => undefined,
      handshake: { verify: () => true },
    });
    expect(mock).toBeInstanceOf(JsonRpcMock);
    expect(mock.type).toBe('jsonrpc');
    expect(mock.toJSON()).toEqual({
      id: 'rpc',
      type: 'jsonrpc',
      enabled: true,
      jsonrpc: { path: '/rpc', maxConnections: 3, methods: { a: { result: 1 }, c: { manual: true } }, unknownMethods: 'wait' },
    });
  });

  it('loads from a config file and from createMockServer({ mocks }), answering as configured', async () => {
    const yaml = file(
      'rpc.yaml',
      [
        'version: "1.0"',
        'mocks:',
        '  - type: jsonrpc',
        '    jsonrpc:',
        '      path: /rpc',
        '      methods:',
        '        add: { result: "{{params[0]}}" }',
        '        fail: { error: { code: -32000, message: down } }',
        '',
      ].join('\n'),
    );
    const { mocks } = await loadConfigFiles([yaml]);
    expect(mocks).toEqual([
      { id: 'rpc', type: 'jsonrpc', jsonrpc: { path: '/rpc', methods: { add: { result: '{{params[0]}}' }, fail: { error: { code: -32000, message: 'down' } } } } },
    ]);
    const own = await start({ mocks });
    const mock = own.mocks.get('rpc') as JsonRpcMock;
    expect(mock).toBeInstanceOf(JsonRpcMock);
    const client = await rpcClient(mock.url);
    await expect(client.call('add', [5])).resolves.toBe(5);
    await expect(client.call('fail')).rejects.toEqual({ code: -32000, message: 'down' });
  });

  it('names the file, line and field of a bad JSON-RPC mock in a config file', () => {
    const text = ['version: "1.0"', 'mocks:', '  - type: jsonrpc', '    jsonrpc:', '      path: /rpc', '      methods:', '        add: { result: 1, manual: true }', ''].join('\n');
    const error = (() => {
      try {
        parseConfig(text, 'bad.yaml');
      } catch (err) {
        return err as WsMockError;
      }
      throw new Error('expected an error');
    })();
    expect(error.issues).toEqual([{ path: 'mocks[0].jsonrpc.methods.add', message: 'takes only one of "result", "manual"', file: 'bad.yaml', line: 7, column: 9 }]);
  });
});

describe('the admin API', () => {
  let api: ReturnType<typeof adminClient>;
  beforeAll(async () => {
    api = adminClient(await server.listenAdmin());
  });

  it('creates, replaces, patches and lists a JSON-RPC mock; update closes clients with 1012', async () => {
    const envelope: JsonRpcEnvelope = { id: 'rpc', type: 'jsonrpc', jsonrpc: { path: '/rpc', methods: { v: { result: 1 } } } };
    const created = await api.post('/mocks', envelope);
    expect(created.status).toBe(201);
    expect(created.body.mock).toEqual({ ...envelope, enabled: true });
    const client = await connect(`${server.url}/rpc`);
    expect(await client.askJson({ jsonrpc: '2.0', method: 'v', id: 1 })).toEqual({ jsonrpc: '2.0', result: 1, id: 1 });

    const replaced = await api.put('/mocks/rpc', { ...envelope, jsonrpc: { path: '/rpc', methods: { v: { result: 2 } } } });
    expect(replaced.status).toBe(200);
    expect((await client.closed).code).toBe(1012);

    const patched = await api.patch('/mocks/rpc', { jsonrpc: { unknownMethods: 'wait' } });
    expect(patched.body.mock.jsonrpc).toEqual({ path: '/rpc', methods: { v: { result: 2 } }, unknownMethods: 'wait' });
    const again = await connect(`${server.url}/rpc`);
    expect(await again.askJson({ jsonrpc: '2.0', method: 'v', id: 2 })).toEqual({ jsonrpc: '2.0', result: 2, id: 2 });
    expect((await api.get('/mocks')).body.mocks.map((m: { type: string }) => m.type)).toEqual(['jsonrpc']);
  });

  it('answers 400 naming the field for a bad JSON-RPC envelope or patch', async () => {
    const bad = await api.post('/mocks', { type: 'jsonrpc', jsonrpc: { path: '/rpc', methods: { a: {} } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('jsonrpc.methods.a');
    await api.post('/mocks', { id: 'rpc', type: 'jsonrpc', jsonrpc: { path: '/rpc' } });
    const patch = await api.patch('/mocks/rpc', { jsonrpc: { unknownMethods: 'sometimes' } });
    expect(patch.status).toBe(400);
    expect(JSON.stringify(patch.body)).toContain('jsonrpc.unknownMethods');
    const changeType = await api.put('/mocks/rpc', { type: 'websocket', websocket: { path: '/rpc' } });
    expect(changeType.status).toBe(400);
  });
});
