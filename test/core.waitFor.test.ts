import { afterEach, describe, expect, it, vi } from 'vitest';
import { WsMockError } from '../src/index.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(() => {
  vi.useRealTimers();
});

describe('waitForConnection', () => {
  it('returns three connections that arrived before the first call, in order', async () => {
    const mock = server.websocket('/q');
    await connect(`${mock.url}?n=1`);
    await connect(`${mock.url}?n=2`);
    await connect(`${mock.url}?n=3`);
    await expect.poll(() => mock.connections.length).toBe(3);
    const first = await mock.waitForConnection();
    const second = await mock.waitForConnection();
    const third = await mock.waitForConnection();
    expect([first.query.n, second.query.n, third.query.n]).toEqual(['1', '2', '3']);
  });

  it('resolves when the connection arrives after the call', async () => {
    const mock = server.websocket('/later');
    const waiting = mock.waitForConnection();
    await connect(mock.url);
    expect((await waiting).mockId).toBe(mock.id);
  });

  it('server.waitForConnection sees every mock and has its own cursor', async () => {
    const a = server.websocket('/a');
    const b = server.websocket('/b');
    await connect(a.url);
    await connect(b.url);
    const first = await server.waitForConnection();
    const second = await server.waitForConnection();
    expect([first.mockId, second.mockId]).toEqual([a.id, b.id]);
    expect((await a.waitForConnection()).id).toBe(first.id);
  });

  it('a predicate skips connections without consuming them', async () => {
    const mock = server.websocket('/p');
    await connect(`${mock.url}?role=viewer`);
    await connect(`${mock.url}?role=admin`);
    const admin = await mock.waitForConnection({ predicate: (c) => c.query.role === 'admin' });
    expect(admin.query.role).toBe('admin');
    expect((await mock.waitForConnection()).query.role).toBe('viewer');
  });

  it('times out with WSMOCK_ERR_TIMEOUT saying what it waited for', async () => {
    const mock = server.websocket({ id: 'lonely', path: '/lonely' });
    const error = await mock.waitForConnection({ timeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsMockError);
    expect((error as WsMockError).code).toBe('WSMOCK_ERR_TIMEOUT');
    expect((error as WsMockError).message).toBe(
      'Timed out after 50 ms waiting for a connection on mock "lonely" (/lonely). No connection arrived.',
    );
  });

  it('rejects a pending wait with WSMOCK_ERR_MOCK_NOT_FOUND when the mock is removed', async () => {
    const mock = server.websocket('/gone');
    const waiting = mock.waitForConnection({ timeout: 5000 });
    await mock.remove();
    await expect(waiting).rejects.toMatchObject({ code: 'WSMOCK_ERR_MOCK_NOT_FOUND' });
  });

  it('rejects an invalid timeout with WSMOCK_ERR_INVALID_ARGUMENT', async () => {
    const mock = server.websocket('/t');
    await expect(mock.waitForConnection({ timeout: -1 })).rejects.toMatchObject({ code: 'WSMOCK_ERR_INVALID_ARGUMENT' });
  });
});

describe('waitForMessage', () => {
  it('is a cursor over received messages, including ones before the call', async () => {
    const mock = server.websocket({ path: '/m', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('one');
    client.send('two');
    client.send('three');
    expect((await conn.waitForMessage()).text).toBe('one');
    expect((await conn.waitForMessage()).text).toBe('two');
    expect((await conn.waitForMessage()).text).toBe('three');
  });

  it('consumes the messages a matching call skipped', async () => {
    const mock = server.websocket({ path: '/m', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send({ type: 'noise', n: 1 });
    client.send({ type: 'ack', n: 2 });
    client.send({ type: 'noise', n: 3 });
    const ack = await conn.waitForMessage({ type: 'json', path: '$.type', value: 'ack' });
    expect(ack.json).toEqual({ type: 'ack', n: 2 });
    expect((await conn.waitForMessage()).json).toEqual({ type: 'noise', n: 3 });
  });

  it('accepts a predicate', async () => {
    const mock = server.websocket({ path: '/m', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send(Buffer.from([1, 2, 3]), { binary: true });
    client.send('text');
    const bin = await conn.waitForMessage((m) => m.binary);
    expect(bin.data).toEqual(Buffer.from([1, 2, 3]));
    expect(bin.size).toBe(3);
  });

  it('times out listing what arrived instead', async () => {
    const mock = server.websocket({ path: '/m', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('hello');
    await conn.waitForMessage({ type: 'exact', value: 'hello' });
    client.send('not it');
    await vi.waitFor(() => expect(conn.received).toHaveLength(2));
    const error = (await conn.waitForMessage({ type: 'exact', value: 'bye' }, { timeout: 30 }).catch((e) => e)) as WsMockError;
    expect(error.code).toBe('WSMOCK_ERR_TIMEOUT');
    expect(error.message).toContain(`Timed out after 30 ms waiting for a message matching exact "bye" on ${conn.id}.`);
    expect(error.message).toContain('- not it');
  });

  it('rejects with WSMOCK_ERR_CONNECTION_CLOSED when the connection closes first', async () => {
    const mock = server.websocket({ path: '/m', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    const waiting = expect(conn.waitForMessage(undefined, { timeout: 5000 })).rejects.toMatchObject({
      code: 'WSMOCK_ERR_CONNECTION_CLOSED',
      message: `Cannot waitForMessage: connection ${conn.id} is closed (code 4001).`,
    });
    await client.close(4001);
    await waiting;
  });

  it('still returns messages received before the connection closed', async () => {
    const mock = server.websocket({ path: '/m', echoMode: false });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection();
    client.send('last words');
    await client.close();
    await conn.waitForClose();
    expect((await conn.waitForMessage()).text).toBe('last words');
  });
});

describe('fake timers', () => {
  it('idle timeouts and waitFor timeouts run on the real clock under vi.useFakeTimers()', async () => {
    vi.useFakeTimers();
    const mock = server.websocket({ path: '/fake', idleTimeout: 80 });
    const client = await connect(mock.url);
    const conn = await mock.waitForConnection({ timeout: 1000 });
    expect(conn.mockId).toBe(mock.id);
    // Nobody advances the fake clock: these only happen if wsmock uses the real one.
    expect(await client.closed).toEqual({ code: 1001, reason: 'idle timeout' });
    const timeout = await mock.waitForConnection({ timeout: 50 }).catch((e: WsMockError) => e);
    expect((timeout as WsMockError).code).toBe('WSMOCK_ERR_TIMEOUT');
  });
});
