import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../src/index.js';
import { root } from './helpers/pack.js';

/** GET with raw bytes as they came over the wire (no decoding). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer({ admin: { token: 'tok', basePath: '/__wsmock' } });
});
afterAll(() => server.close());

describe('GET / on the admin API: the dashboard', () => {
  it('serves one page, gzipped when asked, under 150 KB gzipped, without asking for the token', async () => {
    const gz = await rawGet(`${server.adminUrl}/`, { 'accept-encoding': 'gzip, br' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-security-policy']).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'; .*connect-src 'self'/);
    // Everything the page needs is in this one response: nothing else is fetched.
    expect(gz.body.length).toBeLessThan(150 * 1024);
    const html = gunzipSync(gz.body).toString('utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|import\(|url\(https?:/);

    const plain = await rawGet(server.adminUrl!);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(html);
    // The data routes still need the token.
    expect((await rawGet(`${server.adminUrl}/health`)).status).toBe(401);
  });

  it('unknown routes under it are 404 JSON as before', async () => {
    const res = await rawGet(`${server.adminUrl}/dashboard/nope`, { authorization: 'Bearer tok' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: 'not_found' });
    expect((await rawGet(`${server.adminUrl}/index.html`)).status).toBe(401);
  });

  it('the committed page is the one dashboard/ builds', async () => {
    const { stderr } = await promisify(execFile)(process.execPath, ['scripts/build-dashboard.mjs', '--check'], { cwd: root });
    expect(stderr).toBe('');
  });
});
