//
// Issue 22 item 8: what a caller of the admin API can make the machine do.
// A mock posted over HTTP reads recordings only inside the recordings
// directory and dials only the allowed upstreams; a browser page of another
// site, or one that rebinds its DNS name to 127.0.0.1, is refused.
// Everything over real HTTP: Node's fetch, and raw node:http requests where a
// test must choose the Host header (fetch does not let it).
//
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createAdminHandler, createMockServer, WsMockError, type MockServer, type RecordingFile } from '../src/index.js';
import { adminClient, echoEnvelope } from './helpers/admin.js';
import { connect } from './helpers/client.js';
import { scratchDir } from './helpers/files.js';
import { useServers } from './helpers/server.js';
import { useUpstream } from './helpers/upstream.js';

const start = useServers();

const recording: RecordingFile = {
  format: 'wsmock-recording/1',
  recordedAt: '2026-11-30T12:00:00.000Z',
  connections: [
    {
      url: '/feed',
      startedAt: '2026-11-30T12:00:00.000Z',
      headers: {},
      subprotocol: null,
      frames: [{ direction: 'server-to-client', at: 0, text: 'hello' }],
      close: { code: 4001, reason: 'bye', by: 'server', at: 1 },
    },
  ],
};

interface RawResponse {
  status: number;
  body: any;
  text: string;
}

/** One request with the headers exactly as given (Host included), over node:http. */
function raw(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${url.pathname.replace(/\/$/, '')}${path}`,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, text, body: text !== '' && /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A YAML document as the object a JSON body carries. */
const YAMLish = (text: string): unknown => YAML.parse(text);

const replayMock = (file: string) => ({ id: 'feed', type: 'websocket', websocket: { path: '/feed', replay: { file, timing: 'asap' } } });

describe('issue 22 item 8: replay.file over the admin API', () => {
  it('is refused when the server has no recordings directory, without reading the file or telling whether it exists', async () => {
    const server = await start({ admin: true });
    const api = adminClient(server.adminUrl!);
    const passwd = await api.post('/mocks', replayMock('/etc/passwd'));
    const missing = await api.post('/mocks', replayMock('/no/such/file.json'));
    for (const res of [passwd, missing]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_error');
      expect(res.body.details).toEqual([{ path: 'websocket.replay.file', message: expect.stringContaining('started without a recordings directory') }]);
    }
    expect(passwd.body.message).toBe(missing.body.message.replace('/no/such/file.json', '/etc/passwd'));
    expect(passwd.text).not.toMatch(/root:|ENOENT|EISDIR/);
    expect(server.mocks.list()).toEqual([]);

    // The recording sent inline still works.
    const inline = await api.post('/mocks', { id: 'feed', type: 'websocket', websocket: { path: '/feed', replay: { recording, timing: 'asap' } } });
    expect(inline.status).toBe(201);
    const client = await connect(`${server.url}/feed`);
    expect(await client.next()).toBe('hello');
    expect(await client.closed).toEqual({ code: 4001, reason: 'bye' });
  });

  describe('with a recordings directory', () => {
    const { dir, file } = scratchDir('wsmock-recordings-');
    const outside = scratchDir('wsmock-outside-');
    let server: MockServer;
    let api: ReturnType<typeof adminClient>;
    beforeAll(async () => {
      file('feed.json', JSON.stringify(recording));
      mkdirSync(join(dir, 'sub'));
      file('sub/feed.json', JSON.stringify(recording));
      file('notes.txt', 'secret: the content of a file that is not JSON');
      const secret = outside.file('secret.json', JSON.stringify(recording));
      symlinkSync(secret, join(dir, 'link.json'));
      symlinkSync('/etc/passwd', join(dir, 'passwd.json'));
      symlinkSync(join(outside.dir, 'missing.json'), join(dir, 'dangling.json'));
      server = await createMockServer({ admin: { recordings: dir } });
      api = adminClient(server.adminUrl!);
    });
    afterAll(() => server.close());

    it('replays a file named relative to it, and reads subdirectories', async () => {
      for (const name of ['feed.json', 'sub/feed.json', './sub/../feed.json']) {
        const created = await api.post('/mocks', replayMock(name));
        expect(created.status).toBe(201);
        const client = await connect(`${server.url}/feed`);
        expect(await client.next()).toBe('hello');
        expect(await client.closed).toEqual({ code: 4001, reason: 'bye' });
        expect((await api.delete('/mocks/feed')).status).toBe(204);
      }
    });

    it('refuses ".." and absolute paths that lead out of it, before touching the file system', async () => {
      for (const name of ['../feed.json', 'sub/../../x.json', '/etc/passwd', outside.file('plain.json', '{}')]) {
        const res = await api.post('/mocks', replayMock(name));
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([{ path: 'websocket.replay.file', message: 'must name a file inside the recordings directory, relative to it (no ".." or absolute path leading out of it)' }]);
      }
    });

    it('gives one answer for a missing file, a directory and links leading out of it, and never quotes a file', async () => {
      const answers = [];
      for (const name of ['missing.json', 'sub', 'link.json', 'passwd.json', 'dangling.json']) {
        const res = await api.post('/mocks', replayMock(name));
        expect(res.status).toBe(400);
        answers.push(res.body.details);
        expect(res.text).not.toMatch(/root:|ENOENT|EISDIR|EACCES/);
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0]).toEqual([{ path: 'websocket.replay.file', message: 'is not a readable recording file inside the recordings directory' }]);

      const text = await api.post('/mocks', replayMock('notes.txt'));
      expect(text.status).toBe(400);
      expect(text.body.details).toEqual([{ path: 'websocket.replay.file', message: expect.stringContaining('is not valid JSON') }]);
      expect(text.text).not.toContain('secret');
      expect(server.mocks.list()).toEqual([]);
    });

    it('applies to PUT and PATCH too', async () => {
      expect((await api.post('/mocks', echoEnvelope('e', '/e'))).status).toBe(201);
      const put = await api.put('/mocks/e', { type: 'websocket', websocket: { path: '/e', replay: { file: '../x.json' } } });
      expect(put.status).toBe(400);
      expect(put.body.details[0].path).toBe('websocket.replay.file');
      const patch = await api.patch('/mocks/e', { websocket: { replay: { file: 'link.json' } } });
      expect(patch.status).toBe(400);
      expect(patch.body.details).toEqual([{ path: 'websocket.replay.file', message: 'is not a readable recording file inside the recordings directory' }]);
      expect((await api.patch('/mocks/e', { websocket: { replay: { file: 'feed.json', timing: 'asap' } } })).status).toBe(200);
      await server.mocks.clear();
    });
  });

  it('an in-process mock still reads any path, and the option is checked', async () => {
    const { file } = scratchDir('wsmock-inproc-');
    const server = await start();
    server.websocket({ path: '/feed', replay: { file: file('feed.json', JSON.stringify(recording)), timing: 'asap' } });
    const client = await connect(`${server.url}/feed`);
    expect(await client.next()).toBe('hello');
    const err = await server.listenAdmin({ recordings: '' }).catch((e: unknown) => e as WsMockError);
    expect(err).toBeInstanceOf(WsMockError);
    expect((err as WsMockError).issues).toEqual([{ path: 'recordings', message: 'must be a directory path' }]);
  });
});

describe('contract.file over the admin API: confined like replay.file, and no $ref to another file', () => {
  const RPC = readFileSync(new URL('./fixtures/asyncapi/serve-rpc.yaml', import.meta.url), 'utf8');
  const contractMock = (contract: Record<string, unknown>) => ({ id: 'rpc', type: 'websocket', websocket: { path: '/rpc', contract: { channel: 'rpc', ...contract } } });
  const refTo = (ref: string) => ({ asyncapi: '3.0.0', info: { title: 't', version: '1' }, channels: { rpc: { address: '/rpc', messages: { m: { payload: { $ref: ref } } } } } });
  const { dir, file } = scratchDir('wsmock-contracts-');
  file('rpc.yaml', RPC);
  file('refs-out.yaml', RPC.replace("$ref: '#/components/messages/ping'", "$ref: '../../../etc/passwd'"));
  symlinkSync('/etc/passwd', join(dir, 'passwd.yaml'));

  it('is refused without a recordings directory; an inline document and its own #/ refs are served', async () => {
    const server = await start({ admin: true });
    const api = adminClient(server.adminUrl!);
    const refused = await api.post('/mocks', contractMock({ file: '/etc/passwd' }));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ path: 'websocket.contract.file', message: expect.stringContaining('started without a recordings directory') }]);
    const baseDir = await api.post('/mocks', contractMock({ contract: refTo('#/x'), baseDir: '/' }));
    expect(baseDir.body.details).toEqual([{ path: 'websocket.contract.baseDir', message: 'is refused over the admin API: a contract file is named relative to the recordings directory' }]);
    for (const ref of ['/etc/passwd', '../../etc/passwd#/a', 'other.yaml']) {
      const inline = await api.post('/mocks', contractMock({ contract: refTo(ref) }));
      expect(inline.status).toBe(400);
      expect(inline.body.details).toEqual([{ path: 'websocket.contract.contract', message: expect.stringContaining(`may $ref only inside its own document over the admin API ("#/components/…"), not ${JSON.stringify(ref)}`) }]);
    }
    expect(server.mocks.list()).toEqual([]);
    const served = await api.post('/mocks', contractMock({ contract: YAMLish(RPC) }));
    expect(served.status).toBe(201);
  });

  it('with a recordings directory, reads a contract inside it only, and refuses one whose $ref leads to another file', async () => {
    const server = await start({ admin: { recordings: dir } });
    const api = adminClient(server.adminUrl!);
    const created = await api.post('/mocks', contractMock({ file: 'rpc.yaml' }));
    expect(created.status).toBe(201);
    const client = await connect(`${server.url}/rpc`);
    client.send({ event: 'ping', reqid: 'not a number' });
    const conn = await server.waitForConnection();
    await expect.poll(() => conn.violations.length).toBeGreaterThan(0);
    expect(conn.violations[0]).toMatchObject({ direction: 'in', message: 'ping', errors: [{ path: '$.reqid' }] });
    for (const [name, message] of [
      ['../outside.yaml', 'must name a file inside the recordings directory, relative to it (no ".." or absolute path leading out of it)'],
      ['passwd.yaml', 'is not a readable contract file inside the recordings directory'],
      ['missing.yaml', 'is not a readable contract file inside the recordings directory'],
    ] as const) {
      const res = await api.post('/mocks', { ...contractMock({ file: name }), id: 'other', websocket: { path: '/other', contract: { file: name } } });
      expect(res.body.details).toEqual([{ path: 'websocket.contract.file', message }]);
    }
    const out = await api.patch('/mocks/rpc', { websocket: { contract: { file: 'refs-out.yaml', channel: 'rpc' } } });
    expect(out.status).toBe(400);
    expect(out.body.details).toEqual([{ path: 'websocket.contract.file', message: expect.stringContaining('not "../../../etc/passwd"') }]);
  });
});

describe('issue 22 item 8: proxy.url over the admin API', () => {
  const upstream = useUpstream();
  const proxyMock = (url: string) => ({ id: 'p', type: 'websocket', websocket: { path: '/p', proxy: { url, forwardHeaders: true } } });

  it('dials loopback by default, and refuses any other host naming the field and the rule', async () => {
    const server = await start({ admin: true });
    const api = adminClient(server.adminUrl!);
    const refused = await api.post('/mocks', proxyMock('ws://example.com/feed'));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      {
        path: 'websocket.proxy.url',
        message:
          'dials example.com, which a mock posted over the admin API may not dial: it may proxy only to localhost, 127.0.0.1, [::1] (wsmock serve --proxy-allow HOST[:PORT], or the admin option "proxyAllow")',
      },
    ]);
    expect((await api.post('/mocks', proxyMock('wss://10.0.0.1:8443/'))).status).toBe(400);
    expect(server.mocks.list()).toEqual([]);

    expect((await api.post('/mocks', proxyMock(`${upstream.url}/feed`))).status).toBe(201);
    const from = upstream.events.length;
    const client = await connect(`${server.url}/p`);
    await upstream.waitForEvent((e) => e.event === 'connection' && e.url === '/feed', from);
    await client.close();
  });

  it('with proxyAllow, dials only the listed hosts and ports, over POST, PUT and PATCH', async () => {
    const server = await start({ admin: { proxyAllow: [`127.0.0.1:${upstream.port}`, 'upstream.test'] } });
    const api = adminClient(server.adminUrl!);
    expect((await api.post('/mocks', proxyMock(`ws://localhost:${upstream.port}/`))).status).toBe(400);
    expect((await api.post('/mocks', proxyMock(`ws://127.0.0.1:${upstream.port + 1}/`))).body.details[0].message).toContain(
      `may proxy only to 127.0.0.1:${upstream.port}, upstream.test`,
    );
    expect((await api.post('/mocks', proxyMock('wss://upstream.test:9999/'))).status).toBe(201);
    expect((await api.put('/mocks/p', { type: 'websocket', websocket: { path: '/p', proxy: { url: 'ws://evil.test/' } } })).status).toBe(400);
    const patch = await api.patch('/mocks/p', { websocket: { proxy: { url: 'ws://[::1]:1/' } } });
    expect(patch.status).toBe(400);
    expect(patch.body.details[0].path).toBe('websocket.proxy.url');
    expect((await api.patch('/mocks/p', { websocket: { proxy: { url: `${upstream.url}/x` } } })).status).toBe(200);
  });

  it('leaves in-process mocks alone, and checks the option', async () => {
    const server = await start();
    expect(server.websocket({ path: '/p', proxy: { url: 'ws://example.com/' } }).path).toBe('/p');
    for (const bad of ['http://example.com', 'example.com/path', 'user@example.com', 'example.com:99999', '']) {
      const err = await createMockServer({ admin: { proxyAllow: [bad] } }).catch((e: unknown) => e as WsMockError);
      expect(err).toBeInstanceOf(WsMockError);
      expect((err as WsMockError).issues).toEqual([{ path: 'admin.proxyAllow[0]', message: expect.stringContaining(`must be HOST or HOST:PORT`) }]);
    }
  });
});

describe('issue 22 item 8: Host and Origin checks', () => {
  it('the admin listener refuses a Host that is not its own (DNS rebinding) with 403, and answers IP addresses and localhost', async () => {
    const server = await start({ admin: true });
    const port = new URL(server.adminUrl!).port;
    const rebound = await raw(server.adminUrl!, 'POST', '/mocks', { host: `attacker.example:${port}` }, echoEnvelope('evil', '/evil'));
    expect(rebound.status).toBe(403);
    expect(rebound.body).toEqual({ error: 'forbidden_host', message: expect.stringContaining(`The Host header "attacker.example:${port}" is not a name this admin API answers to`) });
    expect((await raw(server.adminUrl!, 'GET', '/mocks', { host: 'attacker.example' })).status).toBe(403);
    expect(server.mocks.list()).toEqual([]);

    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `app.localhost:${port}`, `[::1]:${port}`, `192.168.1.20:${port}`, 'LOCALHOST']) {
      expect((await raw(server.adminUrl!, 'GET', '/health', { host })).status).toBe(200);
    }
  });

  it('a configured host name and allowedHosts are answered; with a token no Host check is made', async () => {
    const named = await start({ admin: { allowedHosts: ['wsmock.internal'] } });
    expect((await raw(named.adminUrl!, 'GET', '/health', { host: 'wsmock.internal:80' })).status).toBe(200);
    expect((await raw(named.adminUrl!, 'GET', '/health', { host: 'other.internal' })).status).toBe(403);

    const locked = await start({ admin: { token: 'tok' } });
    expect((await raw(locked.adminUrl!, 'GET', '/mocks', { host: 'wsmock:4290' })).status).toBe(401);
    expect((await raw(locked.adminUrl!, 'GET', '/mocks', { host: 'wsmock:4290', authorization: 'Bearer tok' })).status).toBe(200);
  });

  it('refuses a cross-site POST /mocks/echo/toggle with no body (no preflight needed), and keeps the mock as it was', async () => {
    const server = await start({ admin: true, mocks: [echoEnvelope('echo', '/echo')] });
    const port = new URL(server.adminUrl!).port;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(port) + 1}`, 'null', `https://127.0.0.1:${port}`.replace('https', 'ftp')]) {
      const res = await raw(server.adminUrl!, 'POST', '/mocks/echo/toggle', { host: `127.0.0.1:${port}`, origin });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'forbidden_origin', message: expect.stringContaining(`The Origin header "${origin}" is not this admin API's own`) });
    }
    expect(server.mocks.get('echo')!.enabled).toBe(true);

    // The dashboard's own calls carry its origin; curl and Node's fetch carry none.
    const own = await raw(server.adminUrl!, 'POST', '/mocks/echo/toggle', { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
    expect(own.body.mock.enabled).toBe(false);
    const res = await fetch(`${server.adminUrl}/mocks/echo/toggle`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(server.mocks.get('echo')!.enabled).toBe(true);
  });

  describe('a handler mounted in an app (node:http, basePath)', () => {
    let server: MockServer;
    let http: Server;
    let base: string;
    beforeAll(async () => {
      server = await createMockServer({ mocks: [echoEnvelope('echo', '/echo')] });
      const handler = createAdminHandler(server, { basePath: '/__wsmock' });
      http = createServer((req, res) => handler(req, res));
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => http.close(resolve));
      await server.close();
    });

    it('answers any Host (the app decides its names), and refuses another site’s Origin', async () => {
      const host = new URL(base).host;
      expect((await raw(`${base}/__wsmock`, 'GET', '/health', { host: 'myapp.test' })).status).toBe(200);
      expect((await raw(`${base}/__wsmock`, 'POST', '/mocks/echo/toggle', { host, origin: 'http://evil.example' })).status).toBe(403);
      expect((await raw(`${base}/__wsmock`, 'POST', '/mocks/echo/toggle', { host, origin: base })).status).toBe(200);
      expect((await raw(`${base}/__wsmock`, 'POST', '/mocks/echo/toggle', { host: 'myapp.test', origin: 'http://myapp.test' })).status).toBe(200);
    });

    it('checks the Host when given allowedHosts', async () => {
      const handler = createAdminHandler(server, { allowedHosts: ['myapp.test'] });
      const app = createServer((req, res) => handler(req, res));
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
      try {
        expect((await raw(url, 'GET', '/health', { host: 'myapp.test' })).status).toBe(200);
        expect((await raw(url, 'GET', '/health', { host: 'attacker.example' })).status).toBe(403);
      } finally {
        await new Promise((resolve) => app.close(resolve));
      }
    });
  });
});
