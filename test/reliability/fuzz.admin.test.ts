//
// Fuzzing the admin API: random methods, paths, headers, bodies and
// encodings over raw HTTP (node:http, so any method and header goes through).
// Never a 5xx, never a crash, and every 4xx is a JSON `{ error, message }`.
//
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../src/index.js';
import { connect, type TestClient } from '../helpers/client.js';
import { suiteSeed } from './helpers/random.js';

const RUNS = 1_000;
const TOKEN = 'fuzz-token';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // A fresh connection per request: Node's server closes a keep-alive
    // connection whose request body it answered without reading, and a
    // pooled client would then fail the next request with "socket hang up".
    // Framed bodies only: a GET body without Content-Length is bytes after the
    // request as far as HTTP is concerned, and Node's parser drops the socket.
    const framed = body === undefined ? headers : { ...headers, 'content-length': String(body.length) };
    const req = request({ host: hostname, port, method, path, headers: framed, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const segment = fc.oneof(
  fc.constantFrom('mocks', 'websocket', 'connections', 'send', 'broadcast', 'stats', 'toggle', 'health', 'metrics', 'fuzz-mock', 'conn-1', 'conn-2', '', '..', '.', '%2F', '%5c', '%', '%zz', '%00', '__proto__', 'constructor', 'prototype', '\u00e9'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => encodeURIComponent(s)),
);
const routePaths = [
  '/health', '/metrics', '/mocks', '/mocks/fuzz-mock', '/mocks/fuzz-mock/toggle', '/mocks/fuzz-mock/websocket/connections',
  '/websocket/connections', '/websocket/connections/conn-1', '/websocket/connections/conn-1/send', '/websocket/broadcast', '/websocket/stats',
  '/version', '/websocket/connections/conn-1/frames', '/websocket/connections/conn-1/scenario',
];
const pathArb = fc.oneof(
  fc.constantFrom(...routePaths),
  fc.array(segment, { minLength: 0, maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
  fc.tuple(fc.constantFrom(...routePaths), fc.string({ unit: 'grapheme-ascii', maxLength: 20 })).map(([p, q]) => `${p}?${encodeURIComponent(q)}=${encodeURIComponent(q)}&code=${q.length}`),
  fc.constantFrom('//mocks', '/mocks//', '/mocks/', '/./mocks', '/mocks/..%2f', '/mocks?mockId=%', '/websocket/connections?mockId=__proto__'),
);
const methodArb = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE');

const envelopeish = fc.oneof(
  fc.record({ id: fc.constantFrom('fuzz-mock', 'other'), type: fc.constant('websocket'), websocket: fc.record({ path: fc.constantFrom('/a', '/b/:x', 'nope', '') }) }),
  fc.record({ type: fc.constantFrom('text', 'json', 'binary', 'nope'), data: fc.oneof(fc.string(), fc.json(), fc.constant('%%%not base64')) }),
  fc.record({ code: fc.oneof(fc.integer({ min: -10, max: 6000 }), fc.string()), reason: fc.string({ maxLength: 200 }) }, { requiredKeys: [] }),
  fc.record({ websocket: fc.dictionary(fc.constantFrom('path', 'matchers', 'echoMode', 'scenario', 'maxConnections', 'idleTimeout'), fc.jsonValue()) }, { requiredKeys: [] }),
);
const bodyArb: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  fc.constant(undefined),
  envelopeish.map((v) => Buffer.from(JSON.stringify(v))),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constantFrom('{"__proto__":{"polluted":1}}', '{"a":{"constructor":{"prototype":{"polluted":1}}}}', '{', '[]', 'null', '""', '{"id":"x","type":"websocket","websocket":{"path":"/p","__proto__":{}}}').map((s) => Buffer.from(s)),
  // Bodies over the 1 MiB limit have their own test in security.test.ts: a
  // client still writing one may see a reset once the answer is sent.
  fc.integer({ min: 1_000, max: 64_000 }).map((n) => Buffer.from(`{"pad":"${'x'.repeat(n)}"}`)),
);
const headersArb = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', ''),
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus'),
    authorization: fc.constantFrom(`Bearer ${TOKEN}`, 'Bearer wrong', 'Basic abc', `bearer   ${TOKEN}  `, ''),
    'x-api-key': fc.constantFrom(TOKEN, 'wrong', ''),
    accept: fc.constantFrom('application/json', '*/*', 'text/html'),
  },
  { requiredKeys: [] },
);

describe('fuzz: random admin requests', () => {
  let server: MockServer;
  let client: TestClient;

  beforeAll(async () => {
    server = await createMockServer({ admin: { token: TOKEN } });
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it(`never answers 5xx, never crashes, and every 4xx is JSON { error, message } (${RUNS} runs)`, async () => {
    const seed = suiteSeed(0xad_1234);
    let authorized = 0;
    await fc.assert(
      fc
        .asyncProperty(methodArb, pathArb, headersArb, bodyArb, async (method, path, headers, body) => {
          const res = await send(server.adminUrl!, method, path, headers, body);
          expect(res.status, `${method} ${path} → ${res.status} ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400 && method !== 'HEAD') {
            expect(res.headers['content-type']).toMatch(/^application\/json/);
            const parsed = JSON.parse(res.body) as { error: unknown; message: unknown };
            expect(typeof parsed.error).toBe('string');
            expect(typeof parsed.message).toBe('string');
          }
          if (res.status !== 401) authorized++;
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        })
        .beforeEach(async () => {
          // Something to act on: a mock with the id and a connection with the id the paths name.
          // (A fuzzed request may have disabled it, or replaced it with one on another path.)
          const existing = server.mocks.get('fuzz-mock');
          if (existing && !existing.enabled) await existing.remove();
          if (!server.mocks.get('fuzz-mock')) server.websocket({ id: 'fuzz-mock', path: `/fuzz-${server.stats().totalConnections}` });
          if (server.connections.list().length === 0) {
            await client?.close();
            client = await connect(server.mocks.get('fuzz-mock')!.url);
          }
        }),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
    // The token was presented often enough that routes really ran.
    expect(authorized).toBeGreaterThan(RUNS / 5);
    const health = await send(server.adminUrl!, 'GET', '/health', { authorization: `Bearer ${TOKEN}` }, undefined);
    expect(health).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  });
});
