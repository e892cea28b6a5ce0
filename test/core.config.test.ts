import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuesOf } from './helpers/failures.js';
import { createMockServer, WsMockError, type MockServer } from '../src/index.js';

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());


describe('mock config validation', () => {
  it('names every bad field with its rule', () => {
    const issues = issuesOf(() =>
      server.websocket({
        path: 'relative',
        maxMessageSize: -1,
        maxConnections: 1.5,
        idleTimeout: '5 minutes',
        heartbeat: { interval: 'soon' },
        colour: 'blue',
      } as never),
    );
    expect(issues).toEqual([
      { path: 'path', message: 'must start with "/"' },
      { path: 'maxMessageSize', message: 'must be a positive whole number of bytes' },
      { path: 'maxConnections', message: 'must be a whole number' },
      { path: 'idleTimeout', message: 'must be a non-negative number of milliseconds or a string like "500ms", "10s", "5m", "1h"' },
      { path: 'heartbeat.interval', message: 'must be a non-negative number of milliseconds or a string like "500ms", "10s", "5m", "1h"' },
      { path: 'colour', message: 'is not a known field' },
    ]);
  });

  it('requires a path', () => {
    expect(issuesOf(() => server.websocket({} as never))).toEqual([{ path: 'path', message: 'is required and must be a string starting with "/"' }]);
  });

  it('puts every issue in the message too', () => {
    expect(() => server.websocket({ path: '/ok', subprotocols: ['bad token'] })).toThrow(
      'Invalid mock config: 1 problem\n  - subprotocols[0]: must be a valid token',
    );
  });

  it('refuses a duplicate id with WSMOCK_ERR_DUPLICATE_ID', () => {
    server.websocket({ id: 'dup', path: '/dup1' });
    expect(() => server.websocket({ id: 'dup', path: '/dup2' })).toThrow(expect.objectContaining({ code: 'WSMOCK_ERR_DUPLICATE_ID' }));
  });

  it('refuses a second enabled mock on the same path, also with other parameter names', async () => {
    server.websocket({ path: '/same/:a' });
    expect(() => server.websocket({ path: '/same/:b' })).toThrow(expect.objectContaining({ code: 'WSMOCK_ERR_PATH_CONFLICT' }));
    const disabled = server.websocket({ path: '/same/:c', enabled: false });
    await expect(disabled.enable()).rejects.toMatchObject({ code: 'WSMOCK_ERR_PATH_CONFLICT' });
  });

  it('rejects an update that changes the id or breaks the config, and keeps the old config', async () => {
    const mock = server.websocket({ id: 'stable', path: '/stable', maxConnections: 3 });
    await expect(mock.update({ id: 'other' })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_CONFIG' });
    await expect(mock.update({ maxConnections: -5 })).rejects.toMatchObject({
      issues: [{ path: 'maxConnections', message: 'must be 0 or more' }],
    });
    expect(mock.config.maxConnections).toBe(3);
  });

  it('validates server options before listening', async () => {
    const error = (await createMockServer({ port: 70000, timeout: -1, mocks: [{ path: 'x' }] } as never).catch((e) => e)) as WsMockError;
    expect(error.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(error.issues).toEqual([
      { path: 'port', message: 'must be from 0 to 65535' },
      { path: 'timeout', message: 'must be a non-negative number of milliseconds' },
    ]);
    const mocks = (await createMockServer({ mocks: [{ path: '/ok' }, { path: 'bad' }] }).catch((e) => e)) as WsMockError;
    expect(mocks.issues).toEqual([{ path: 'mocks[1].path', message: 'must start with "/"' }]);
  });

  it('instanceof WsMockError works across copies of the package', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('wsmock.error')]: true });
    expect(foreign instanceof WsMockError).toBe(true);
    expect(new Error('y') instanceof WsMockError).toBe(false);
  });

  it('config returns a copy, and the mock keeps its own', () => {
    const input = { path: '/copy', subprotocols: ['a'] };
    const mock = server.websocket(input);
    input.subprotocols.push('b');
    (mock.config.subprotocols as string[]).push('c');
    expect(mock.config.subprotocols).toEqual(['a']);
  });
});

describe('mocks in the envelope form', () => {
  it('server.mocks.define() takes an envelope and gives the same mock as server.websocket()', async () => {
    const mock = server.mocks.define({ id: 'env-echo', type: 'websocket', websocket: { path: '/env/echo', echoMode: true } });
    expect(mock.type).toBe('websocket');
    expect(mock.toJSON()).toEqual({ id: 'env-echo', type: 'websocket', enabled: true, websocket: { path: '/env/echo', echoMode: true } });
    expect(server.mocks.get('env-echo')).toBe(mock);
    await mock.remove();
  });

  it('refuses an unknown type naming the known ones, and a bad field under the type', () => {
    expect(issuesOf(() => server.mocks.define({ type: 'http', websocket: { path: '/x' } } as never))).toEqual([
      { path: 'type', message: expect.stringMatching(/^must be one of "websocket"/) },
    ]);
    expect(issuesOf(() => server.mocks.define({ type: 'websocket', websocket: { path: 'x' } }))).toEqual([
      { path: 'websocket.path', message: 'must start with "/"' },
    ]);
  });

  it('createMockServer({ mocks }) takes envelopes and flat configs side by side, and validates both before listening', async () => {
    const both = await createMockServer({
      mocks: [{ type: 'websocket', id: 'a', websocket: { path: '/a' } }, { id: 'b', path: '/b' }],
    });
    try {
      expect(both.mocks.list().map((m) => [m.id, m.path])).toEqual([['a', '/a'], ['b', '/b']]);
    } finally {
      await both.close();
    }
    await expect(createMockServer({ mocks: [{ type: 'websocket', websocket: { path: 'nope' } }] })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_INVALID_CONFIG',
      issues: [{ path: 'mocks[0].websocket.path', message: 'must start with "/"' }],
    });
  });
});

describe('issue 22 item 6: "did you mean" for a near-miss key', () => {
  const meant = (key: string, field: string) => ({ path: key, message: `is not a known field; did you mean "${field}"?` });

  it('in server.websocket() and in the kits\' options', () => {
    expect(issuesOf(() => server.websocket({ path: '/typo', echomode: true } as never))).toEqual([meant('echomode', 'echoMode')]);
    expect(issuesOf(() => server.jsonrpc({ path: '/rpc', methods: { sum: { reslt: 1 } } } as never))).toContainEqual(meant('methods.sum.reslt', 'result'));
    expect(issuesOf(() => server.graphql({ path: '/gql', operation: [] } as never))).toEqual([meant('operation', 'operations')]);
  });

  it('in server.mocks.define(), under the kind and at the top of the envelope', () => {
    expect(issuesOf(() => server.mocks.define({ type: 'websocket', websocket: { path: '/d', matcher: [] } } as never))).toEqual([
      meant('websocket.matcher', 'matchers'),
    ]);
    expect(issuesOf(() => server.mocks.define({ type: 'websocket', enable: false, websocket: { path: '/d' } } as never))).toEqual([
      meant('enable', 'enabled'),
    ]);
  });

  it('in createMockServer() options and the mocks they hold', async () => {
    await expect(createMockServer({ closeTimout: 10 } as never)).rejects.toMatchObject({ issues: [meant('closeTimout', 'closeTimeout')] });
    await expect(createMockServer({ mocks: [{ path: '/a', idleTimout: '1s' }] } as never)).rejects.toMatchObject({
      issues: [meant('mocks[0].idleTimout', 'idleTimeout')],
    });
  });
});
