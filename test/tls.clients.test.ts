import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { io } from 'socket.io-client';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './helpers/files.js';
import { root } from './helpers/pack.js';
import { useServers } from './helpers/server.js';
import { selfSignedPair } from './helpers/tls.js';

const run = promisify(execFile);
const { file } = scratchDir('wsmock-tls-');

const start = useServers();

// A WHATWG WebSocket in a process of its own, trusting what NODE_EXTRA_CA_CERTS
// names (read once, when Node starts): it sends "hello" and prints the reply.
const CLIENT = `
const { WebSocket } = process.env.IMPL === 'undici' ? await import('undici') : globalThis;
const ws = new WebSocket(process.argv[1]);
ws.onopen = () => ws.send('hello');
ws.onmessage = (e) => { console.log('got ' + e.data); ws.close(); };
ws.onerror = () => console.log('error');
`;
// Node 20 has the global WebSocket behind a flag; 22 and later without one.
const FLAGS = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket', '--no-warnings'] : [];

async function childClient(impl: 'undici' | 'global', url: string, caFile?: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, IMPL: impl };
  delete env.NODE_EXTRA_CA_CERTS;
  if (caFile) env.NODE_EXTRA_CA_CERTS = caFile;
  const { stdout } = await run(process.execPath, [...FLAGS, '--input-type=module', '-e', CLIENT, url], { cwd: root, env, timeout: 20_000 });
  return stdout;
}

describe('WHATWG WebSocket clients in a child process with NODE_EXTRA_CA_CERTS', () => {
  it.each(['undici', 'global'] as const)("%s's WebSocket connects and exchanges messages when trusting the CA, and fails without it", async (impl) => {
    const server = await start({ tls: true });
    const feed = server.websocket('/feed');
    const caFile = file(`ca-${impl}.pem`, server.tls!.ca);
    expect(await childClient(impl, feed.url, caFile)).toBe('got hello\n');
    expect((await feed.waitForConnection()).received.map((m) => m.text)).toEqual(['hello']);
    expect(await childClient(impl, feed.url)).toBe('error\n');
    expect(server.stats().totalConnections).toBe(1);
  });
});

describe('the admin API over https', () => {
  it('admin: { tls: true } on a TLS server shares its certificate: one CA for both listeners', async () => {
    const server = await start({ tls: true, admin: { tls: true, token: 's3cret' } });
    expect(server.adminUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    server.websocket('/feed');
    const dispatcher = new Agent({ connect: { ca: server.tls!.ca } });
    const res = await fetch(`${server.adminUrl}/mocks`, { dispatcher, headers: { authorization: 'Bearer s3cret' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ mocks: [{ type: 'websocket', websocket: { path: '/feed' } }] });
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      import('node:tls').then(({ connect }) => {
        const socket = connect({ host: '127.0.0.1', port: Number(new URL(server.adminUrl!).port), ca: server.tls!.ca }, () => {
          resolve(socket.getPeerX509Certificate()!);
          socket.end();
        }).on('error', reject);
      }, reject);
    });
    expect(peer.toString()).toBe(new X509Certificate(server.tls!.cert).toString());
    await expect(fetch(`${server.adminUrl}/health`)).rejects.toMatchObject({ cause: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
    await dispatcher.close();
  });

  it('admin: { tls: true } on a plain server gets an ephemeral certificate, reported as server.tls; the mock port stays ws://', async () => {
    const server = await start({ admin: { tls: true } });
    expect(server.url).toMatch(/^ws:\/\//);
    expect(server.adminUrl).toMatch(/^https:\/\//);
    expect(server.tls).not.toBeNull();
    const dispatcher = new Agent({ connect: { ca: server.tls!.ca } });
    expect(await (await fetch(`${server.adminUrl}/health`, { dispatcher })).json()).toEqual({ status: 'ok' });
    await dispatcher.close();
  });

  it('a TLS server keeps a plain HTTP admin listener unless asked', async () => {
    const server = await start({ tls: true, admin: true });
    expect(server.adminUrl).toMatch(/^http:\/\//);
    expect(await (await fetch(`${server.adminUrl}/health`)).json()).toEqual({ status: 'ok' });
  });

  it('listenAdmin({ tls: { key, cert } }) serves your own pair, and the child process trusts it through NODE_EXTRA_CA_CERTS', async () => {
    const pair = await selfSignedPair();
    const server = await start({});
    const adminUrl = await server.listenAdmin({ tls: { key: pair.key, cert: pair.cert }, basePath: '/__wsmock' });
    expect(adminUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/__wsmock$/);
    expect(server.tls).toBeNull();
    const caFile = file('admin-ca.pem', pair.cert);
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', 'const r = await fetch(process.argv[1]); console.log(r.status, await r.text());', `${adminUrl}/health`], {
      cwd: root,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      timeout: 20_000,
    });
    expect(stdout).toBe('200 {"status":"ok"}\n');
  });
});

describe('protocol kits over TLS', () => {
  it('socket.io-client reaches a Socket.IO mock at server.url (https polling, then the wss upgrade) trusting the CA', async () => {
    const server = await start({ tls: true });
    const mock = server.socketio('/socket.io/', { events: { ping: { ack: ['pong'] } } });
    for (const transports of [['polling', 'websocket'], ['websocket']]) {
      const client = io(server.url, { ca: server.tls!.ca, transports, forceNew: true, reconnection: false });
      const socket = await mock.waitForConnection({ timeout: 5000 });
      expect(await client.emitWithAck('ping')).toBe('pong');
      const welcomed = new Promise<unknown[]>((resolve) => client.once('welcome', (...args: unknown[]) => resolve(args)));
      socket.emit('welcome', transports.join('+'));
      expect(await welcomed).toEqual([transports.join('+')]);
      client.disconnect();
    }
  });
});
