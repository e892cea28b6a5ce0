import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import middie from '@fastify/middie';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAdminHandler, createMockServer, type MockServer } from '../src/index.js';
import { adminClient, call } from './helpers/admin.js';
import { closeAllClients, connect } from './helpers/client.js';

// A server of its own rather than useMockServer's forwarding handle: the admin
// handler keeps its metrics per server object.
let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await closeAllClients();
  await server.reset();
});
afterAll(() => server.close());

/** The same checks for every framework: admin routes, the app's own routes, a push to a client. */
async function exercise(base: string, headers: Record<string, string> = {}, options: { appParsesJson?: boolean } = {}) {
  const api = adminClient(`${base}/__wsmock`, headers);
  expect((await api.get('/health')).body).toEqual({ status: 'ok' });

  const created = await api.post('/mocks', { id: 'chat', type: 'websocket', websocket: { path: '/chat' } });
  expect(created.status).toBe(201);
  const client = await connect(`${server.url}/chat`);
  const list = await api.get('/websocket/connections');
  expect(list.body.connections).toHaveLength(1);
  const id = list.body.connections[0].id;
  const sent = await api.post(`/websocket/connections/${id}/send`, { type: 'json', data: { via: 'framework' } });
  expect(sent.status).toBe(200);
  expect(await client.nextJson()).toEqual({ via: 'framework' });

  // With the app's own JSON parser in front, malformed JSON is the app's to answer.
  if (!options.appParsesJson) {
    const bad = await api.post('/mocks', '{oops', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_json');
  }
  expect((await api.put('/health')).status).toBe(405);

  // The app's own routes still answer, inside and outside the admin prefix.
  expect((await call(base, 'GET', '/api/hello', { headers })).body).toEqual({ hello: 'world' });
  expect((await call(base, 'POST', '/api/echo', { body: { a: 1 }, headers })).body).toEqual({ echoed: { a: 1 } });
  return { api, client };
}

describe('mounted in Express', () => {
  let http: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use('/api', express.json());
    app.use(createAdminHandler(server, { basePath: '/__wsmock', token: 'tok' }));
    app.get('/api/hello', (_req, res) => void res.json({ hello: 'world' }));
    app.post('/api/echo', (req, res) => void res.json({ echoed: req.body }));
    app.get('/__wsmock/app-route', (_req, res) => void res.json({ app: true }));
    http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => http.close(resolve)));

  it('serves the admin API next to the app’s routes', async () => {
    await exercise(base, { authorization: 'Bearer tok' });
    // Unknown paths under the prefix go on to the app, without needing the token.
    expect((await call(base, 'GET', '/__wsmock/app-route')).body).toEqual({ app: true });
    expect((await call(base, 'GET', '/__wsmock/health')).status).toBe(401);
  });

  it('works mounted with app.use(path, handler) and a JSON body parser in front', async () => {
    const app = express();
    app.use(express.json());
    app.use('/__wsmock', createAdminHandler(server));
    app.get('/api/hello', (_req, res) => void res.json({ hello: 'world' }));
    app.post('/api/echo', (req, res) => void res.json({ echoed: req.body }));
    const other = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      await exercise(url, {}, { appParsesJson: true });
      // express.json() read the body first; the adapter still refuses dangerous keys.
      const polluted = await call(url, 'POST', '/__wsmock/mocks', {
        body: '{"__proto__": {"polluted": 1}, "type": "websocket", "websocket": {"path": "/p"}}',
        headers: { 'content-type': 'application/json' },
      });
      expect(polluted.status).toBe(400);
      expect(polluted.body.error).toBe('forbidden_key');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const patched = await call(url, 'PATCH', '/__wsmock/mocks/chat', { body: { name: 'pre-parsed' } });
      expect(patched.status).toBe(200);
      expect(patched.body.mock.name).toBe('pre-parsed');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});

describe('mounted in Fastify with @fastify/middie', () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = Fastify();
    await app.register(middie);
    app.use(createAdminHandler(server, { basePath: '/__wsmock' }));
    app.get('/api/hello', async () => ({ hello: 'world' }));
    app.post('/api/echo', async (req) => ({ echoed: req.body }));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('serves the admin API next to the app’s routes', async () => {
    const { client } = await exercise(base);
    const deleted = await call(base, 'DELETE', '/__wsmock/mocks/chat');
    expect(deleted.status).toBe(204);
    expect((await client.closed).code).toBe(1012);
    expect((await call(base, 'GET', '/not-anywhere')).status).toBe(404);
  });

  it("issue 22 item 8: under a basePath, the page's own origin passes and another site's is refused with 403", async () => {
    expect((await call(base, 'POST', '/__wsmock/mocks', { body: { id: 'echo', type: 'websocket', websocket: { path: '/echo' } } })).status).toBe(201);
    const own = await call(base, 'POST', '/__wsmock/mocks/echo/toggle', { headers: { origin: base } });
    expect(own.status).toBe(200);
    const foreign = await call(base, 'POST', '/__wsmock/mocks/echo/toggle', { headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('forbidden_origin');
    expect(server.mocks.get('echo')!.enabled).toBe(false);
    // The app's own routes are the app's: no Origin check there.
    expect((await call(base, 'GET', '/api/hello', { headers: { origin: 'http://evil.example' } })).status).toBe(200);
  });
});
