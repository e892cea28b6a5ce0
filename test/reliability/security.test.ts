//
// Security properties of the admin API and configs: loopback by default, the
// token on every route, the body limit, and no prototype pollution.
//
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, WsMockError, type MockServer } from '../../src/index.js';

const TOKEN = 's3cret';
const ROUTES: [string, string][] = [
  ['GET', '/health'], ['GET', '/metrics'], ['GET', '/mocks'], ['POST', '/mocks'], ['DELETE', '/mocks'],
  ['GET', '/mocks/m'], ['PUT', '/mocks/m'], ['PATCH', '/mocks/m'], ['DELETE', '/mocks/m'], ['POST', '/mocks/m/toggle'],
  ['GET', '/mocks/m/websocket/connections'], ['DELETE', '/mocks/m/websocket/connections'],
  ['GET', '/websocket/connections'], ['GET', '/websocket/connections/conn-1'], ['DELETE', '/websocket/connections/conn-1'],
  ['POST', '/websocket/connections/conn-1/send'], ['POST', '/websocket/broadcast'], ['GET', '/websocket/stats'],
  ['GET', '/websocket/connections?wait=1&count=0&timeout=1s'],
  // The routes of remote handles (issue 27).
  ['GET', '/version'], ['POST', '/mocks/m/connections/next'], ['GET', '/websocket/connections/conn-1/frames?after=-1&wait=0'], ['GET', '/websocket/connections/conn-1/scenario?wait=0'], ['POST', '/reset'],
  ['GET', '/no/such/route'],
];

function http(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, json: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('security', () => {
  let server: MockServer;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    server = await createMockServer({ admin: { token: TOKEN } });
  });
  afterAll(() => server?.close());

  it('listens on loopback by default: the mock port and the admin listener', async () => {
    await using plain = await createMockServer({ admin: true });
    expect(plain.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(plain.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('the event stream needs the token; the dashboard page needs none and holds no data', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }] as Record<string, string>[]) {
      const res = await http(server.adminUrl!, 'GET', '/events', headers);
      expect(res.status).toBe(401);
    }
    const page = await http(server.adminUrl!, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.json).toMatch(/^<!doctype html>/);
    expect(page.json).not.toContain(TOKEN);
  });

  it('enforces the token on every route, with 401 JSON for a missing or wrong one', async () => {
    for (const [method, path] of ROUTES) {
      for (const headers of [{}, { authorization: 'Bearer nope' }, { 'x-api-key': 'nope' }, { authorization: `Basic ${TOKEN}` }] as Record<string, string>[]) {
        const res = await http(server.adminUrl!, method, path, headers);
        expect({ route: `${method} ${path}`, status: res.status, error: res.json.error }).toEqual({ route: `${method} ${path}`, status: 401, error: 'unauthorized' });
      }
      for (const headers of [auth, { 'x-api-key': TOKEN }] as Record<string, string>[]) {
        const res = await http(server.adminUrl!, method, path, headers);
        expect(res.status, `${method} ${path}`).not.toBe(401);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
      }
    }
  });

  it('refuses bodies over 1 MiB with 413, declared or streamed', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const declared = await http(server.adminUrl!, 'POST', '/mocks', { ...auth, 'content-type': 'application/json', 'content-length': String(big.length) }, big);
    expect(declared).toMatchObject({ status: 413, json: { error: 'payload_too_large' } });
    const chunked = await http(server.adminUrl!, 'POST', '/mocks', { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, big);
    expect(chunked).toMatchObject({ status: 413, json: { error: 'payload_too_large' } });
  });

  it('admits no prototype pollution from admin bodies or configs', async () => {
    const bodies = [
      '{"id":"p","type":"websocket","websocket":{"path":"/p"},"__proto__":{"polluted":1}}',
      '{"id":"p","type":"websocket","websocket":{"path":"/p","matchers":[{"match":{"type":"exact","value":"x"},"response":{"type":"json","value":{"__proto__":{"polluted":1}}}}]}}',
      '{"id":"p","type":"websocket","websocket":{"path":"/p","constructor":{"prototype":{"polluted":1}}}}',
    ];
    for (const body of bodies) {
      const res = await http(server.adminUrl!, 'POST', '/mocks', { ...auth, 'content-type': 'application/json' }, body);
      expect(res).toMatchObject({ status: 400, json: { error: 'forbidden_key' } });
    }
    for (const text of ['{"path":"/q","__proto__":{"polluted":1}}', '{"path":"/q","scenario":{"steps":[],"__proto__":{"polluted":1}}}', '{"path":"/q","constructor":{"prototype":{"polluted":1}}}']) {
      expect(() => server.websocket(JSON.parse(text))).toThrow(WsMockError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(server.mocks.list()).toEqual([]);
  });
});
