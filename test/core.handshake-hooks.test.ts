import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMockServer, WsMockError, type HandshakeRequest, type RejectionInfo, type WebSocketEnvelope } from '../src/index.js';
import { connect, refusal, startClient } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

// handshake.verify and subprotocols as a function: in-process hooks deciding
// each handshake. Real `ws` clients.

const server = useMockServer();

function rejections(): RejectionInfo[] {
  const seen: RejectionInfo[] = [];
  server.on('rejected', (info) => seen.push(info));
  return seen;
}

/** A promise and the function that resolves it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('handshake.verify', () => {
  it('sees the request, accepts on true and refuses on false with 401 handshake_refused, counted and emitted', async () => {
    const seen = rejections();
    const requests: HandshakeRequest[] = [];
    const mock = server.websocket({
      id: 'guarded',
      path: '/guarded/:room',
      handshake: {
        verify: (request) => {
          requests.push(request);
          return request.query.token === 'ok';
        },
      },
    });
    const good = await connect(`${server.url}/guarded/a?token=ok`, { headers: { origin: 'http://app.test', 'x-k': 'v' } });
    expect(await good.ask('hi')).toBe('hi');
    expect(requests[0]).toEqual({
      url: '/guarded/a?token=ok',
      path: '/guarded/a',
      query: { token: 'ok' },
      headers: expect.objectContaining({ origin: 'http://app.test', 'x-k': 'v' }),
      origin: 'http://app.test',
      remoteAddress: '127.0.0.1',
    });
    const bad = await refusal(`${server.url}/guarded/a?token=no`);
    expect(bad).toMatchObject({ status: 401, body: { error: 'handshake_refused' } });
    expect(requests[1]!.origin).toBeUndefined();
    expect(seen).toEqual([{ path: '/guarded/a', status: 401, error: 'handshake_refused', mockId: 'guarded' }]);
    expect(server.stats().rejectedConnections).toBe(1);
    expect(mock.connections).toHaveLength(1);
  });

  it('refuses with the status, headers and body of a returned refusal', async () => {
    const seen = rejections();
    server.websocket({ id: 'teapot', path: '/teapot', handshake: { verify: () => ({ status: 418, headers: { 'x-why': 'tea' }, body: { error: 'short_and_stout' } }) } });
    server.websocket({ path: '/plain', handshake: { verify: () => ({ status: 403 }) } });
    const refused = await refusal(`${server.url}/teapot`);
    expect(refused).toMatchObject({ status: 418, body: { error: 'short_and_stout' }, headers: { 'x-why': 'tea' } });
    expect(await refusal(`${server.url}/plain`)).toMatchObject({ status: 403, body: { error: 'handshake_refused', status: 403 } });
    expect(seen.map((r) => [r.status, r.error])).toEqual([
      [418, 'short_and_stout'],
      [403, 'handshake_refused'],
    ]);
  });

  it('holds the handshake while an async verify decides, then accepts or refuses', async () => {
    const decisions: { resolve: (ok: boolean) => void }[] = [];
    const mock = server.websocket({
      path: '/async',
      handshake: {
        verify: () => {
          const d = deferred<boolean>();
          decisions.push(d);
          return d.promise;
        },
      },
    });
    const first = startClient(mock.url);
    const second = startClient(mock.url);
    await expect.poll(() => decisions.length).toBe(2);
    expect(first.isOpen).toBe(false);
    decisions[0]!.resolve(true);
    await first.opened;
    decisions[1]!.resolve(false);
    await expect(second.opened).rejects.toMatchObject({ status: 401 });
    expect(mock.connections).toHaveLength(1);
  });

  it('a verify that throws, rejects or answers something else refuses with 500 and emits error naming the rule', async () => {
    const errors: [string, unknown][] = [];
    server.on('error', (error, context) => errors.push([error.message, context]));
    server.websocket({ id: 'throws', path: '/throws', handshake: { verify: () => { throw new Error('boom'); } } });
    server.websocket({ id: 'rejects', path: '/rejects', handshake: { verify: () => Promise.reject(new Error('later boom')) } });
    server.websocket({ id: 'odd', path: '/odd', handshake: { verify: () => ({ status: 200 }) as never } });
    expect(await refusal(`${server.url}/throws`)).toMatchObject({ status: 500, body: { error: 'handshake_verify_failed', message: 'boom' } });
    expect(await refusal(`${server.url}/rejects`)).toMatchObject({ status: 500, body: { error: 'handshake_verify_failed', message: 'later boom' } });
    expect(await refusal(`${server.url}/odd`)).toMatchObject({ status: 500, body: { error: 'handshake_verify_failed' } });
    expect(errors).toEqual([
      ['boom', { mockId: 'throws' }],
      ['later boom', { mockId: 'rejects' }],
      ['handshake.verify must return true, false or { status, headers?, body? } with status from 400 to 599, got {"status":200}.', { mockId: 'odd' }],
    ]);
    server.removeAllListeners('error');
  });

  it('is validated, and left out of toJSON()', () => {
    const error = (() => {
      try {
        server.websocket({ path: '/bad', handshake: { verify: 'yes' as never }, subprotocols: 3 as never });
      } catch (err) {
        return err as WsMockError;
      }
      throw new Error('nothing thrown');
    })();
    expect(error.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(error.issues).toEqual([
      { path: 'subprotocols', message: expect.stringMatching(/^must be array/) },
      { path: 'handshake.verify', message: 'verify must be a function' },
    ]);
    const mock = server.websocket({ id: 'hooked', path: '/hooked', subprotocols: () => undefined, handshake: { verify: () => true, delay: 5 } });
    expect(mock.toJSON()).toEqual({ id: 'hooked', type: 'websocket', enabled: true, websocket: { path: '/hooked', handshake: { delay: 5 } } });
    const bare = server.websocket({ id: 'bare', path: '/bare', handshake: { verify: () => true } });
    expect((bare.toJSON() as WebSocketEnvelope).websocket).toEqual({ path: '/bare' });
  });
});

describe('held handshakes and the server', () => {
  it('a client that leaves during an async verify is dropped; close() drops handshakes still held', async () => {
    const own = await createMockServer();
    let calls = 0;
    const never = new Promise<boolean>(() => undefined);
    own.websocket('/held', {
      handshake: {
        verify: () => {
          calls++;
          return never;
        },
      },
    });
    const leaving = startClient(`${own.url}/held`);
    await expect.poll(() => calls).toBe(1);
    leaving.ws.terminate();
    await leaving.closed;
    const raw = net.connect(own.port, '127.0.0.1');
    raw.write(`GET /held HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await expect.poll(() => calls).toBe(2);
    const ended = once(raw, 'close');
    await own.close();
    await ended;
    expect(raw.destroyed).toBe(true);
  });
});

describe('subprotocols as a function', () => {
  it('chooses among the offered ones with the request, refuses on false or an unoffered choice, and agrees none on undefined', async () => {
    const seen = rejections();
    const calls: [string[], string][] = [];
    const mock = server.websocket({
      id: 'proto',
      path: '/proto',
      subprotocols: (offered, request) => {
        calls.push([offered, request.path]);
        if (offered.includes('v2')) return 'v2';
        if (offered.includes('v9')) return 'v10';
        if (offered.length === 0) return undefined;
        return false;
      },
    });
    const v2 = await connect(mock.url, { protocols: ['v1', 'v2'] });
    expect(v2.protocol).toBe('v2');
    expect((await mock.waitForConnection()).subprotocol).toBe('v2');
    const none = await connect(mock.url);
    expect(none.protocol).toBe('');
    expect(await refusal(mock.url, { protocols: ['v1'] })).toMatchObject({ status: 400, body: { error: 'subprotocol_not_supported', offered: ['v1'] } });
    expect(await refusal(mock.url, { protocols: ['v9'] })).toMatchObject({
      status: 400,
      body: { error: 'subprotocol_not_supported', offered: ['v9'], chosen: 'v10' },
    });
    expect(calls).toEqual([
      [['v1', 'v2'], '/proto'],
      [[], '/proto'],
      [['v1'], '/proto'],
      [['v9'], '/proto'],
    ]);
    expect(seen.map((r) => [r.status, r.error, r.mockId])).toEqual([
      [400, 'subprotocol_not_supported', 'proto'],
      [400, 'subprotocol_not_supported', 'proto'],
    ]);
  });

  it('a selector that throws refuses with 500 subprotocol_selection_failed and emits error', async () => {
    const errors: [string, unknown][] = [];
    server.on('error', (error, context) => errors.push([error.message, context]));
    const mock = server.websocket({ id: 'picky', path: '/picky', subprotocols: () => { throw new Error('no idea'); } });
    expect(await refusal(mock.url, { protocols: ['v1'] })).toMatchObject({ status: 500, body: { error: 'subprotocol_selection_failed', message: 'no idea' } });
    expect(errors).toEqual([['no idea', { mockId: 'picky' }]]);
    server.removeAllListeners('error');
  });

  it('with requireSubprotocol, undefined refuses with 400 subprotocol_required', async () => {
    const mock = server.websocket({ path: '/req', requireSubprotocol: true, subprotocols: () => undefined });
    expect(await refusal(mock.url)).toMatchObject({ status: 400, body: { error: 'subprotocol_required', offered: [] } });
  });
});
