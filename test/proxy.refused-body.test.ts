//
// Issue 22 item 7: an upstream that refuses the handshake with a body that
// never ends (a 403 announcing 100 MB, sent a byte at a time) must not hold
// the client's handshake past the proxy's handshake timeout. The upstream is
// a raw TCP server on loopback, so the test controls every byte it sends.
//
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WsMockError } from '../src/index.js';
import { refusal } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { realClearInterval, realSetInterval } from '../src/util/clock.js';

const server = useMockServer();
const upstreams: Server[] = [];
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const HEAD = 'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 100000000\r\n\r\n';

/** A raw upstream answering every request with `answer(socket)` once its head has arrived. */
async function rawUpstream(answer: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const upstream = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      answer(socket);
    };
    socket.on('data', onData);
  });
  // Closing the server waits for its sockets: drop them with it.
  const close = upstream.close.bind(upstream);
  upstream.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  upstreams.push(upstream);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  if (typeof address !== 'object' || address === null) throw new Error('the upstream has no port');
  return `ws://127.0.0.1:${address.port}/feed`;
}

describe('issue 22 item 7: a proxy upstream refusing with a body that never ends', () => {
  it('gets the client a 502 within the handshake timeout when the body trickles a byte at a time', async () => {
    const url = await rawUpstream((socket) => {
      socket.write(`${HEAD}x`);
      // One byte at a time, for as long as the proxy listens.
      const trickle = realSetInterval(() => socket.write('x'), 20);
      socket.once('close', () => realClearInterval(trickle));
    });
    const mock = server.websocket({ path: '/p', proxy: { url, handshakeTimeout: '300ms' } });
    const started = Date.now();
    const refused = await refusal(mock.url);
    expect(refused.status).toBe(502);
    expect(refused.body).toEqual({
      error: 'upstream_unreachable',
      upstream: url,
      code: 'ETIMEDOUT',
      cause: 'the upstream refused with HTTP 403 but its body did not end within 300 ms',
    });
    // The refusal waited for the timeout, not for the body.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers with the upstream status and the first KiB of its body as soon as that much arrived', async () => {
    const url = await rawUpstream((socket) => socket.write(HEAD + 'y'.repeat(64 * 1024)));
    // A timeout the test would notice: the answer must not wait for it.
    const mock = server.websocket({ path: '/p', proxy: { url, handshakeTimeout: '1h' } });
    const refused = await refusal(mock.url);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'upstream_refused', status: 403, upstream: url, body: 'y'.repeat(1024) });
  });

  it('refuses a handshakeTimeout that is not a duration, naming the field', () => {
    let caught: unknown;
    try {
      server.websocket({ path: '/p', proxy: { url: 'ws://127.0.0.1:1/x', handshakeTimeout: 'soon' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WsMockError);
    expect((caught as Error).message).toMatch(/proxy\.handshakeTimeout.*must be a non-negative number of milliseconds/s);
  });
});
