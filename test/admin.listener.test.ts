import { createServer } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAdminHandler, createMockServer, WsMockError } from '../src/index.js';
import { adminClient, call } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { useServers } from './helpers/server.js';

const start = useServers();

/**
 * Sends a request line that Node's HTTP parser refuses (a raw non-ASCII byte
 * after `start`) on a bare socket, and resolves with the reply's head and body.
 */
async function rawRequest(adminUrl: string, start: string): Promise<string[]> {
  const socket = netConnect({ host: '127.0.0.1', port: Number(new URL(adminUrl).port) });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => socket.once('close', resolve));
  socket.write(Buffer.concat([Buffer.from(start), Buffer.from([0xc3, 0xa9]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
  await ended;
  return Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
}

describe('the admin listener', () => {
  it('starts with createMockServer({ admin: true }) on 127.0.0.1 and an ephemeral port', async () => {
    const server = await start({ admin: true });
    expect(server.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.adminUrl).not.toBe(server.httpUrl);
    const res = await call(server.adminUrl!, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('starts with listenAdmin(), which resolves with adminUrl, and honours basePath', async () => {
    const server = await start();
    expect(server.adminUrl).toBeUndefined();
    const url = await server.listenAdmin({ basePath: '/__admin/' });
    expect(url).toBe(server.adminUrl);
    expect(url).toMatch(/:\d+\/__admin$/);
    expect((await call(url, 'GET', '/health')).status).toBe(200);
    const outside = await call(url.replace('/__admin', ''), 'GET', '/health');
    expect(outside.status).toBe(404);
    expect(outside.body.error).toBe('not_found');
  });

  it('is released by server.close(): adminUrl is unset and the port refuses connections', async () => {
    const server = await start({ admin: { port: 0 } });
    const url = server.adminUrl!;
    await server.close();
    expect(server.adminUrl).toBeUndefined();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('refuses a second listener, and one on a closed server', async () => {
    const server = await start({ admin: true });
    await expect(server.listenAdmin()).rejects.toThrow(/already running/);
    await server.close();
    await expect(server.listenAdmin()).rejects.toMatchObject({ code: 'WSMOCK_ERR_SERVER_CLOSED' });
  });

  it('rejects with WSMOCK_ERR_LISTEN_FAILED on a busy port and leaks nothing', async () => {
    const first = await start({ admin: true });
    const port = Number(new URL(first.adminUrl!).port);
    await expect(createMockServer({ admin: { port } })).rejects.toMatchObject({ code: 'WSMOCK_ERR_LISTEN_FAILED', message: expect.stringContaining(String(port)) });
  });

  it('validates the admin option, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ port: -1 }, 'admin.port'],
      [{ port: 'x' }, 'admin.port'],
      [{ token: '' }, 'admin.token'],
      [{ basePath: 'admin' }, 'admin.basePath'],
      [{ basePath: '/a?b' }, 'admin.basePath'],
      [{ tokn: 'x' }, 'admin.tokn'],
      ['yes', 'admin'],
    ];
    for (const [admin, path] of cases) {
      const err = await createMockServer({ admin: admin as never }).catch((e: unknown) => e);
      expect(err, JSON.stringify(admin)).toBeInstanceOf(WsMockError);
      expect((err as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
      expect((err as WsMockError).issues!.map((i) => i.path)).toEqual([path]);
    }
    const server = await start();
    await expect(server.listenAdmin({ port: 70000 })).rejects.toMatchObject({ issues: [{ path: 'port', message: 'must be from 0 to 65535' }] });
    expect(() => createAdminHandler(server, { basePath: 'x' })).toThrow(/basePath/);
  });
});

describe('authentication', () => {
  it('is off without a token', async () => {
    const server = await start({ admin: true });
    expect((await call(server.adminUrl!, 'GET', '/websocket/stats')).status).toBe(200);
  });

  it('with a token, needs Authorization: Bearer or X-API-Key on every route, else 401', async () => {
    const server = await start({ admin: { token: 's3cret' } });
    const url = server.adminUrl!;
    for (const path of ['/health', '/mocks', '/websocket/stats', '/metrics', '/nope']) {
      const res = await call(url, 'GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="wsmock"');
    }
    const wrong = await call(url, 'GET', '/health', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toContain('not the admin token');
    expect((await call(url, 'GET', '/health', { headers: { authorization: 'Basic czNjcmV0' } })).status).toBe(401);
    expect((await call(url, 'GET', '/health', { headers: { 'x-api-key': 's3cre' } })).status).toBe(401);

    expect((await call(url, 'GET', '/health', { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    expect((await call(url, 'GET', '/health', { headers: { authorization: 'bearer s3cret' } })).status).toBe(200);
    expect((await call(url, 'GET', '/health', { headers: { 'x-api-key': 's3cret' } })).status).toBe(200);
  });

  it('checks the token before doing anything', async () => {
    const server = await start({ admin: { token: 't' } });
    const chat = server.websocket({ id: 'chat', path: '/chat' });
    const client = await connect(chat.url);
    const conn = await chat.waitForConnection();
    const anon = adminClient(server.adminUrl!);
    expect((await anon.delete('/mocks')).status).toBe(401);
    expect((await anon.post(`/websocket/connections/${conn.id}/send`, { type: 'text', data: 'x' })).status).toBe(401);
    expect((await anon.post('/mocks', { type: 'websocket', websocket: { path: '/x' } })).status).toBe(401);
    expect((await anon.get('/mocks/a%2Fb')).status).toBe(401);
    expect(server.mocks.list().map((m) => m.id)).toEqual(['chat']);
    expect(client.isOpen).toBe(true);
    expect(client.received).toEqual([]);

    const authed = adminClient(server.adminUrl!, { authorization: 'Bearer t' });
    expect((await authed.post(`/websocket/connections/${conn.id}/send`, { type: 'text', data: 'hi' })).status).toBe(200);
    expect(await client.next()).toBe('hi');
  });
});

describe('createAdminHandler in node:http', () => {
  it('answers its routes and passes the others to next()', async () => {
    const server = await start();
    const admin = createAdminHandler(server, { basePath: '/admin' });
    const http = createServer((req, res) =>
      admin(req, res, () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('app');
      }),
    );
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      expect((await call(base, 'GET', '/admin/health')).body).toEqual({ status: 'ok' });
      expect((await call(base, 'GET', '/other')).text).toBe('app');
      expect((await call(base, 'GET', '/admin/unknown')).text).toBe('app');
      // A wrong method on a known path is still the adapter's to answer.
      expect((await call(base, 'DELETE', '/admin/health')).status).toBe(405);
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });

  // Found by the reliability suite's admin fuzzer: a request Node's HTTP parser
  // refuses (here a raw non-ASCII byte in the path) got a bare connection reset.
  it('answers a request that is not valid HTTP with a JSON 400, not a reset', async () => {
    const server = await start({ admin: true });
    const [head = '', body = ''] = await rawRequest(server.adminUrl!, 'GET /mocks/');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(head).toContain('Content-Type: application/json; charset=utf-8');
    expect(JSON.parse(body)).toMatchObject({ error: 'bad_request', message: expect.stringContaining('not valid HTTP') });
  });

  it('answers an unparseable HEAD request with the 400 head and no body', async () => {
    const server = await start({ admin: true });
    const [head = '', body] = await rawRequest(server.adminUrl!, 'HEAD /');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(body).toBe('');
  });
});

