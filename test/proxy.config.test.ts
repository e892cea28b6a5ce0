//
// Proxy mocks defined in config files and over the admin API, and the
// validation of their fields.
//
import { describe, expect, it } from 'vitest';
import { parseConfig, WsMockError, WsMockErrorCode } from '../src/index.js';
import { adminClient } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { useUpstream } from './helpers/upstream.js';

const server = useMockServer();
const upstream = useUpstream();

function configError(fn: () => unknown): WsMockError {
  try {
    fn();
  } catch (err) {
    return err as WsMockError;
  }
  throw new Error('expected a WSMOCK_ERR_INVALID_CONFIG');
}

describe('config files', () => {
  it('a YAML proxy mock with intercept rules and a forwarding matcher runs', async () => {
    const loaded = parseConfig(
      [
        'version: "1.0"',
        'mocks:',
        '  - id: feed',
        '    type: websocket',
        '    websocket:',
        '      path: /feed',
        `      proxy: { url: "${upstream.url}/feed", headers: { x-env: ci }, dropClose: { code: 4000 } }`,
        '      matchers:',
        '        - match: { type: exact, value: ping }',
        '          response: { type: text, value: pong }',
        '          forward: true',
        '      intercept:',
        '        - match: { type: exact, value: ping }',
        '          noResponse: true',
      ].join('\n'),
      'proxy.yaml',
    );
    for (const envelope of loaded.mocks) server.mocks.define(envelope);
    const client = await connect(`${server.url}/feed`);
    await client.send('ping');
    // The matcher answered, the frame went upstream too, and its echo was dropped by intercept.
    expect(await client.next()).toBe('pong');
    expect(await client.ask('other')).toBe('other');
    expect(server.mocks.get('feed')!.toJSON()).toMatchObject({ websocket: { proxy: { url: `${upstream.url}/feed`, dropClose: { code: 4000 } } } });
  });

  it('an upstream URL that is not ws: or wss: is an invalid config naming the field', () => {
    const error = configError(() =>
      parseConfig(['version: "1.0"', 'mocks:', '  - type: websocket', '    websocket:', '      path: /x', '      proxy: { url: "http://example.com" }'].join('\n'), 'bad.yaml'),
    );
    expect(error.code).toBe(WsMockErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('proxy.url');
    expect(error.message).toContain('must be a ws: or wss: URL');
  });

  it('intercept without proxy in a config file names the field and the line', () => {
    const error = configError(() =>
      parseConfig(['version: "1.0"', 'mocks:', '  - type: websocket', '    websocket:', '      path: /x', '      intercept: []'].join('\n'), 'rules.yaml'),
    );
    expect(error.code).toBe(WsMockErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('websocket.intercept');
    expect(error.message).toContain('is only used by a proxy mock');
  });
});

describe('in-process validation', () => {
  it('names each bad proxy field', () => {
    const error = configError(() => server.websocket({ path: '/x', proxy: { url: 'not a url', forwardHeaders: 'yes' as never, dropClose: { code: 1006 } } }));
    expect(error.code).toBe(WsMockErrorCode.INVALID_CONFIG);
    expect(error.issues!.map((i) => i.path).sort()).toEqual(['proxy.dropClose.code', 'proxy.forwardHeaders', 'proxy.url']);
  });

  it('intercept, onUpstreamMessage and forward need proxy; echoMode and subprotocols do not go with it', () => {
    const without = configError(() =>
      server.websocket({ path: '/x', intercept: [], onUpstreamMessage: () => undefined, matchers: [{ forward: true }] }),
    );
    expect(without.issues!.map((i) => i.path)).toEqual(['intercept', 'onUpstreamMessage', 'matchers[0].forward']);
    const withProxy = configError(() => server.websocket({ path: '/x', proxy: { url: upstream.url }, echoMode: true, subprotocols: ['a'] }));
    expect(withProxy.issues!.map((i) => i.path)).toEqual(['echoMode', 'subprotocols']);
  });
});

describe('admin API', () => {
  it('POST /mocks with a proxy envelope creates a proxy mock', async () => {
    const adminUrl = server.adminUrl ?? (await server.listenAdmin());
    const api = adminClient(adminUrl);
    const created = await api.post('/mocks', { id: 'relay', type: 'websocket', websocket: { path: '/relay', proxy: { url: upstream.url } } });
    expect(created.status).toBe(201);
    expect(created.body.mock.websocket.proxy).toEqual({ url: upstream.url });
    const client = await connect(`${server.url}/relay`);
    expect(await client.ask('via admin')).toBe('via admin');
    const metrics = (await api.get('/metrics')).text;
    expect(metrics).toContain('wsmock_upstream_messages_sent_total{mock_id="relay",type="websocket"} 1');
    expect(metrics).toContain('wsmock_upstream_messages_received_total{mock_id="relay",type="websocket"} 1');
    const bad = await api.post('/mocks', { type: 'websocket', websocket: { path: '/bad', proxy: { url: 'ftp://x' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['websocket.proxy.url']);
  });
});
