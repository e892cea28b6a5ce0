//
// Issue 22 item 7: a request target that is not a URL (`//[`, `http://[/ws`)
// on the mock port is answered 400, as a plain request and as an upgrade,
// and the server (in-process, and `wsmock serve`) goes on serving.
//
import { connect as tcp } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RejectionInfo } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useServe } from './helpers/cli.js';
import { useMockServer } from './helpers/server.js';

/** Writes `head` on a raw TCP socket and resolves with everything the server sent until it closed. */
function rawExchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcp({ port, host: '127.0.0.1' }, () => socket.write(head));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.once('error', reject);
    socket.once('close', () => resolve(text));
  });
}

const UPGRADE = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

/** The request heads that once threw `TypeError: Invalid URL` out of the request handlers. */
const BAD_TARGETS = [
  { name: 'GET //[ (plain HTTP)', head: 'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', upgrade: false },
  { name: 'GET //[ (upgrade)', head: `GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE}\r\n`, upgrade: true },
  { name: 'GET http://[/ws (plain HTTP)', head: 'GET http://[/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', upgrade: false },
  { name: 'GET http://[/ws (upgrade)', head: `GET http://[/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE}\r\n`, upgrade: true },
];

describe('issue 22 item 7: a request target that is not a URL', () => {
  const server = useMockServer();

  it.each(BAD_TARGETS)('$name is answered 400, and the server serves the next client', async ({ head, upgrade }) => {
    const echo = server.websocket({ id: 'echo', path: '/ws' });
    const rejected: RejectionInfo[] = [];
    server.on('rejected', (info) => rejected.push(info));
    const response = await rawExchange(server.port, head);
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'invalid_request_target', target: head.split(' ')[1] });
    if (upgrade) expect(rejected).toEqual([{ path: head.split(' ')[1], status: 400, error: 'invalid_request_target' }]);
    const client = await connect(echo.url);
    client.send('still here');
    expect(await client.next()).toBe('still here');
  });
});

describe('issue 22 item 7: wsmock serve survives a request target that is not a URL', () => {
  const serve = useServe();

  it('answers 400 to each bad target and goes on serving; the admin port answers them too', async () => {
    const s = await serve(['--port', '0', '--admin-port', '0']);
    const port = Number(new URL(s.wsUrl).port);
    for (const { head } of BAD_TARGETS) {
      expect(await rawExchange(port, head)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    }
    const adminPort = Number(new URL(s.adminUrl!).port);
    for (const { head, upgrade } of BAD_TARGETS) {
      if (!upgrade) expect(await rawExchange(adminPort, head)).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    }
    expect(s.child.exitCode).toBeNull();
    expect(await (await fetch(`${s.adminUrl}/health`)).json()).toEqual({ status: 'ok' });
    const client = await connect(`${s.wsUrl}/ws`);
    client.send('still here');
    expect(await client.next()).toBe('still here');
    await client.close();
  });
});
