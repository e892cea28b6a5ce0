import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminClient, call, echoEnvelope } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer({ admin: true });
let base: string;
let api: ReturnType<typeof adminClient>;
beforeAll(() => {
  base = server.adminUrl!;
  api = adminClient(base);
});

/** A raw request, for what fetch will not send (an exact path, no body framing). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('request bodies', () => {
  it('answers 400 invalid_json for malformed JSON, naming the problem', async () => {
    const res = await call(base, 'POST', '/mocks', { body: '{"type": "websocket",', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
    expect(res.body.message).toMatch(/not valid JSON/);
    expect(server.mocks.list()).toEqual([]);
  });

  it('answers 415 for a body that is not declared JSON', async () => {
    const form = await call(base, 'POST', '/mocks', { body: 'id=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.body).toEqual({ error: 'unsupported_media_type', message: expect.stringContaining('application/x-www-form-urlencoded') });
    const text = await call(base, 'POST', '/mocks', { body: JSON.stringify(echoEnvelope('a', '/a')), headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const none = await raw('POST', '/mocks', { 'content-length': '2' }, '{}');
    expect(none.status).toBe(415);
    expect(none.json.message).toContain('no Content-Type');
    expect(server.mocks.list()).toEqual([]);
  });

  it('accepts application/json with a charset and application/*+json', async () => {
    const a = await call(base, 'POST', '/mocks', { body: JSON.stringify(echoEnvelope('a', '/a')), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(a.status).toBe(201);
    const b = await call(base, 'PATCH', '/mocks/a', { body: JSON.stringify({ name: 'x' }), headers: { 'content-type': 'application/merge-patch+json' } });
    expect(b.status).toBe(200);
  });

  it('answers 400 empty_body where a body is required', async () => {
    for (const [method, path] of [
      ['POST', '/mocks'],
      ['PUT', '/mocks/a'],
      ['PATCH', '/mocks/a'],
      ['POST', '/websocket/broadcast'],
    ]) {
      await api.post('/mocks', echoEnvelope('a', '/a'));
      const res = await call(base, method!, path!, {});
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error).toBe('empty_body');
      expect(res.body.message).toContain(path);
      const blank = await call(base, method!, path!, { body: '  ', headers: { 'content-type': 'application/json' } });
      expect(blank.body.error).toBe('empty_body');
    }
  });

  it('answers 400 when the body is JSON but not an object', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await call(base, 'POST', '/mocks', { body, headers: { 'content-type': 'application/json' } });
      expect(res.status, body).toBe(400);
      expect(res.body.error).toBe('validation_error');
    }
  });

  it('answers 413 for a body over 1 MiB, declared or streamed', async () => {
    const big = JSON.stringify({ type: 'websocket', websocket: { path: '/big' }, name: 'x'.repeat(1024 * 1024) });
    const declared = await call(base, 'POST', '/mocks', { body: big, headers: { 'content-type': 'application/json' } });
    expect(declared.status).toBe(413);
    expect(declared.body.error).toBe('payload_too_large');
    const streamed = await fetch(`${base}/mocks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(server.mocks.list()).toEqual([]);
  });

  it('accepts a body just under 1 MiB', async () => {
    const name = 'x'.repeat(1024 * 1024 - 200);
    const res = await api.post('/mocks', { type: 'websocket', name, websocket: { path: '/big' } });
    expect(res.status).toBe(201);
  });
});

describe('prototype pollution', () => {
  it('refuses __proto__, constructor and prototype keys at any depth, changing nothing', async () => {
    await api.post('/mocks', echoEnvelope('chat', '/ws/chat'));
    const client = await connect(`${server.url}/ws/chat`);
    const conn = server.connections.list()[0]!;
    const bodies: [string, string][] = [
      ['POST', '{"__proto__": {"polluted": true}, "type": "websocket", "websocket": {"path": "/p"}}'],
      ['POST', '{"type": "websocket", "websocket": {"path": "/p", "handshake": {"body": {"constructor": {"prototype": {"polluted": true}}}}}}'],
      ['PATCH', '{"websocket": {"__proto__": {"polluted": true}}}'],
      ['SEND', '{"type": "json", "data": {"a": {"__proto__": {"polluted": true}}}}'],
      ['BROADCAST', '{"type": "json", "data": {"prototype": 1}}'],
    ];
    for (const [kind, body] of bodies) {
      const [method, path] =
        kind === 'SEND' ? ['POST', `/websocket/connections/${conn.id}/send`]
        : kind === 'BROADCAST' ? ['POST', '/websocket/broadcast']
        : kind === 'PATCH' ? ['PATCH', '/mocks/chat']
        : ['POST', '/mocks'];
      const res = await call(base, method, path, { body, headers: { 'content-type': 'application/json' } });
      expect(res.status, body).toBe(400);
      expect(res.body.error).toBe('forbidden_key');
      expect(res.body.message).toMatch(/"(__proto__|constructor|prototype)"/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(server.mocks.list().map((m) => m.id)).toEqual(['chat']);
    expect(client.received).toEqual([]);
    expect(client.isOpen).toBe(true);
  });
});

describe('paths and methods', () => {
  it('refuses encoded slashes in a path segment with 400', async () => {
    await api.post('/mocks', echoEnvelope('a', '/a'));
    for (const path of ['/mocks/a%2Fb', '/mocks/a%2fb/toggle', '/websocket/connections/conn-1%2F..', '/mocks/a%5Cb']) {
      const res = await raw('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.json.error).toBe('invalid_path');
    }
    const del = await raw('DELETE', '/mocks/a%2F');
    expect(del.status).toBe(400);
    expect(server.mocks.get('a')).toBeDefined();
    const badEscape = await raw('GET', '/mocks/%E0%A4%A');
    expect(badEscape.status).toBe(400);
  });

  it('decodes ordinary percent-encoding in ids', async () => {
    await api.post('/mocks', echoEnvelope('a.b_c-d', '/a'));
    expect((await raw('GET', '/mocks/a%2Eb_c-d')).status).toBe(200);
  });

  it('answers 405 with Allow for a wrong method on a known path', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/health', 'GET'],
      ['PATCH', '/mocks', 'GET, POST, DELETE'],
      ['POST', '/mocks/x', 'GET, PUT, PATCH, DELETE'],
      ['GET', '/mocks/x/toggle', 'POST'],
      ['GET', '/websocket/connections/c/send', 'POST'],
      ['PUT', '/websocket/stats', 'GET'],
      ['GET', '/websocket/broadcast', 'POST'],
      ['POST', '/metrics', 'GET'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await raw(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.json).toEqual({ error: 'method_not_allowed', message: expect.stringContaining(allow) });
    }
  });

  it('answers 404 JSON for an unknown route when standalone', async () => {
    // `/` is the dashboard page (test/admin.dashboard.test.ts); anything else unknown is 404 JSON.
    for (const path of ['/nope', '/index.html', '/mocks/a/b/c', '//health']) {
      const res = await raw('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.json.error).toBe('not_found');
    }
  });

  it('accepts a trailing slash', async () => {
    expect((await raw('GET', '/health/')).status).toBe(200);
    expect((await raw('GET', '/mocks/?x=1')).status).toBe(200);
  });
});
