//
// The JSON-RPC kit's handles: calls the test answers itself, the server's
// notifications and calls to the client, the calls journals, and the mock
// lifecycle (update → 1012 and reconnect, remove, reset, close).
//
import { describe, expect, it } from 'vitest';
import { createMockServer, JsonRpcError, WsMockError } from '../src/index.js';
import { connect } from './helpers/client.js';
import { next, rpcClient } from './helpers/rpc.js';
import { useMockServer } from './helpers/server.js';
import { rejection } from './helpers/failures.js';

const server = useMockServer();

describe('calls the test answers', () => {
  it('holds a manual call until the test responds, and returns calls that came before the wait', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { getUser: { manual: true } } });
    const client = await rpcClient(mock.url);
    const answer = client.call('getUser', { id: 7 });
    const rpc = await mock.waitForConnection();
    const call = await rpc.waitForCall('getUser');
    expect([call.method, call.params, call.status, call.isNotification, call.connection.id]).toEqual(['getUser', { id: 7 }, 'pending', false, rpc.id]);
    call.respond({ id: 7, name: 'Ada' });
    await expect(answer).resolves.toEqual({ id: 7, name: 'Ada' });
    expect([call.status, call.outcome]).toEqual(['answered', { result: { id: 7, name: 'Ada' } }]);
  });

  it('fails a manual call with a code of the test\'s choosing, or -32603 for a plain Error', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { pay: { manual: true } } });
    const client = await rpcClient(mock.url);
    const declined = client.call('pay', [10]);
    const broken = client.call('pay', [20]);
    const typed = client.call('pay', [30]);
    (await mock.waitForCall('pay')).fail({ code: -32000, message: 'card declined', data: { retry: false } });
    (await mock.waitForCall('pay')).fail(new Error('gateway down'));
    (await mock.waitForCall('pay')).fail(new JsonRpcError(-32602));
    expect(await rejection(declined)).toEqual({ code: -32000, message: 'card declined', data: { retry: false } });
    expect(await rejection(broken)).toEqual({ code: -32603, message: 'gateway down' });
    expect(await rejection(typed)).toEqual({ code: -32602, message: 'Invalid params' });
  });

  it('answers unknown methods -32601 at once by default, and holds them for the test with unknownMethods: "wait"', async () => {
    const strict = server.jsonrpc('/strict');
    const waiting = server.jsonrpc('/waiting', { unknownMethods: 'wait' });
    const a = await rpcClient(strict.url);
    const b = await rpcClient(waiting.url);
    expect(await rejection(a.call('anything'))).toMatchObject({ code: -32601 });
    const held = b.call('anything', ['x']);
    const call = await waiting.waitForCall();
    expect(call.params).toEqual(['x']);
    call.respond('done');
    await expect(held).resolves.toBe('done');
  });

  it('answers a manual call inside a batch when the test responds, with the rest of the batch', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { quick: { result: 1 }, held: { manual: true } } });
    const client = await connect(mock.url);
    await client.send([
      { jsonrpc: '2.0', method: 'quick', id: 1 },
      { jsonrpc: '2.0', method: 'held', id: 2 },
    ]);
    (await mock.waitForCall('held')).respond(2);
    expect(await client.nextJson()).toEqual([
      { jsonrpc: '2.0', result: 1, id: 1 },
      { jsonrpc: '2.0', result: 2, id: 2 },
    ]);
  });

  it('refuses to answer a notification, an answered call or a call whose connection closed', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { done: { result: 1 }, held: { manual: true }, log: { result: 0 } } });
    const client = await rpcClient(mock.url);
    await client.notify('log', []);
    await client.call('done');
    void client.call('held').catch(() => undefined);
    const rpc = await mock.waitForConnection();
    const notification = await rpc.waitForCall('log');
    const answered = await rpc.waitForCall('done');
    const held = await rpc.waitForCall('held');
    expect(() => notification.respond(1)).toThrow(/Cannot respond call "log" \(notification\): it is a notification/);
    expect(() => answered.fail({ code: 1, message: 'x' })).toThrow(/Cannot fail call "done" \(id \d+\): the mock already answered it with result 1\./);
    await rpc.close();
    expect(held.status).toBe('dropped');
    const closed = (() => {
      try {
        held.respond(1);
      } catch (err) {
        return err as WsMockError;
      }
      return undefined;
    })();
    expect(closed?.code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
  });

  it('issue 22 item 6: respond() on a call the mock answered says how it answered and how to make the test answer it', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { done: { result: 'ok' }, held: { manual: true } } });
    const client = await rpcClient(mock.url);
    const missing = await client.call('missing').catch((err: unknown) => err);
    expect(missing).toMatchObject({ code: -32601 });
    await client.call('done');
    const answer = client.call('held');
    const rpc = await mock.waitForConnection();
    const unknown = await rpc.waitForCall('missing');
    const refused = (() => {
      try {
        unknown.respond({ id: 7 });
      } catch (err) {
        return err as WsMockError;
      }
      return undefined;
    })();
    expect(refused?.code).toBe('WSMOCK_ERR_INVALID_ARGUMENT');
    expect(refused?.message).toBe(
      'Cannot respond call "missing" (id 1): the mock already answered it with -32601 Method not found. ' +
        "Only a call the test answers waits for respond() or fail(): set unknownMethods: 'wait' to have calls to methods the mock does not list wait for the test, " +
        'or list it as { methods: { "missing": { manual: true } } }.',
    );
    expect(() => rpc.calls.find((c) => c.method === 'done')!.respond(1)).toThrow(
      /the mock already answered it with result "ok"\. Only a call the test answers waits for respond\(\) or fail\(\): declare the method with \{ manual: true \}/,
    );
    const held = await rpc.waitForCall('held');
    held.respond(2);
    expect(await answer).toBe(2);
    expect(() => held.respond(3)).toThrow(/Cannot respond call "held" \(id 3\): the test already answered it with result 2\.$/);
  });

  it('times out a waitForCall saying what arrived instead, and leaves the other calls for later', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { a: { result: 1 } } });
    const client = await rpcClient(mock.url);
    await client.call('a', [1]);
    const rpc = await mock.waitForConnection();
    const err = await rejection(rpc.waitForCall('b', { timeout: 50 }));
    expect(err).toBeInstanceOf(WsMockError);
    expect(err.code).toBe('WSMOCK_ERR_TIMEOUT');
    expect(err.message).toContain(`a call "b" on ${rpc.id}`);
    expect(err.message).toContain('"a" (id 1)');
    expect((await rpc.waitForCall()).method).toBe('a');
  });

  it('keeps separate places for the mock\'s waitForCall and each connection\'s, and journals every call', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { hi: { result: 'hi' } } });
    const one = await rpcClient(mock.url);
    const two = await rpcClient(mock.url);
    await one.call('hi', ['one']);
    await two.call('hi', ['two']);
    await one.notify('hi', ['three']);
    expect((await mock.waitForCall()).params).toEqual(['one']);
    expect((await mock.waitForCall()).params).toEqual(['two']);
    const first = await mock.waitForConnection();
    expect((await first.waitForCall()).params).toEqual(['one']);
    expect((await first.waitForCall()).params).toEqual(['three']);
    expect(mock.calls.map((c) => c.params)).toEqual([['one'], ['two'], ['three']]);
    expect(first.calls.map((c) => c.toJSON())).toEqual([
      { method: 'hi', params: ['one'], id: 1, connectionId: first.id, status: 'answered', result: 'hi' },
      { method: 'hi', params: ['three'], id: undefined, connectionId: first.id, status: 'notification' },
    ]);
  });

  it('fails a connection\'s waitForCall once the connection closes', async () => {
    const mock = server.jsonrpc('/rpc');
    await rpcClient(mock.url);
    const rpc = await mock.waitForConnection();
    const waiting = rejection(rpc.waitForCall('never'));
    await rpc.close({ code: 4000, reason: 'bye' });
    expect((await waiting).code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
  });
});

describe('the server speaks first', () => {
  it('notifies one connection or every connection of the mock (rpc-websockets emits the method)', async () => {
    const mock = server.jsonrpc('/rpc');
    const one = await rpcClient(mock.url);
    const two = await rpcClient(mock.url);
    const rpc = await mock.waitForConnection();
    await mock.waitForConnectionCount(2);
    const direct = next(one, 'price');
    await rpc.notify('price', { symbol: 'ACME', value: 42 });
    expect(await direct).toEqual([{ symbol: 'ACME', value: 42 }]);
    const both = Promise.all([next(one, 'news'), next(two, 'news')]);
    expect(mock.notify('news', ['hello'])).toBe(2);
    expect(await both).toEqual([[['hello']], [['hello']]]);
    expect(rpc.connection.messages.at(-1)!.json).toEqual({ jsonrpc: '2.0', method: 'news', params: ['hello'] });
  });

  it('calls the client and resolves with its result, or rejects with its error as a JsonRpcError', async () => {
    const mock = server.jsonrpc('/rpc');
    const client = await connect(mock.url);
    const rpc = await mock.waitForConnection();
    const answer = rpc.call('confirm', { text: 'Delete?' });
    const request = await client.nextJson();
    expect(request).toEqual({ jsonrpc: '2.0', method: 'confirm', params: { text: 'Delete?' }, id: expect.any(Number) });
    await client.send({ jsonrpc: '2.0', result: true, id: request.id });
    await expect(answer).resolves.toBe(true);

    const refused = rpc.call('confirm', ['again']);
    const second = await client.nextJson();
    await client.send({ jsonrpc: '2.0', error: { code: 4001, message: 'user said no', data: 'x' }, id: second.id });
    const err = await rejection(refused);
    expect(err).toBeInstanceOf(JsonRpcError);
    expect([err.code, err.message, err.data]).toEqual([4001, 'user said no', 'x']);
  });

  it('ignores answers to calls it never made, and times out a call nobody answers', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' } } });
    const client = await connect(mock.url);
    const rpc = await mock.waitForConnection();
    await client.send({ jsonrpc: '2.0', result: 'stray', id: 999 });
    const err = await rejection(rpc.call('slow', [], { timeout: 50 }));
    expect([err.code, err.message]).toEqual(['WSMOCK_ERR_TIMEOUT', expect.stringContaining(`the answer of ${rpc.id} to the call "slow"`)]);
    // Neither the stray answer nor the late one gets anything back.
    const late = (await client.nextJson()).id;
    await client.send({ jsonrpc: '2.0', result: 'late', id: late });
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id: 'p' })).toEqual({ jsonrpc: '2.0', result: 'pong', id: 'p' });
  });

  it('rejects a call when the connection closes, and refuses bad arguments', async () => {
    const mock = server.jsonrpc('/rpc');
    const client = await connect(mock.url);
    const rpc = await mock.waitForConnection();
    const pending = rejection(rpc.call('never'));
    await client.nextJson();
    await client.close();
    expect((await pending).code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    expect((await rejection(rpc.call('again'))).code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    expect((await rejection(rpc.notify('x'))).code).toBe('WSMOCK_ERR_CONNECTION_CLOSED');
    expect((await rejection(rpc.notify(1 as never))).message).toBe('notify(method, params): method must be a string, got number');
    expect(() => mock.notify('x', 'bare' as never)).toThrow('notify(method, params): params must be an array or an object (JSON-RPC 2.0 §4.2), got "bare"');
  });
});

describe('lifecycle', () => {
  it('closes clients with 1012 on update(), and a reconnecting rpc-websockets client gets the new methods', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { version: { result: 1 } } });
    const client = await rpcClient(mock.url, { reconnect: true, reconnect_interval: 20 });
    await expect(client.call('version')).resolves.toBe(1);
    const closed = next(client, 'close');
    const reopened = next(client, 'open');
    expect(await mock.update({ methods: { version: { result: 2 } } })).toBe(1);
    expect((await closed)[0]).toBe(1012);
    await reopened;
    await expect(client.call('version')).resolves.toBe(2);
    expect(mock.connections).toHaveLength(1);
  });

  it('remove() frees the path, closes with 1012 and aborts pending waits; reset() removes JSON-RPC mocks too', async () => {
    const mock = server.jsonrpc('/rpc');
    const client = await connect(mock.url);
    const waiting = rejection(mock.waitForCall('never'));
    expect(await mock.remove()).toBe(1);
    expect((await client.closed).code).toBe(1012);
    expect((await waiting).code).toBe('WSMOCK_ERR_MOCK_NOT_FOUND');
    const again = server.jsonrpc('/rpc');
    await connect(again.url);
    await server.reset();
    expect(server.mocks.list()).toEqual([]);
  });

  it('forgets the calls of connections the server releases (journal.releaseClosed), keeping the others', async () => {
    const own = await createMockServer({ journal: { releaseClosed: true } });
    try {
      const mock = own.jsonrpc('/rpc', { methods: { hi: { result: 'hi' } } });
      const gone = await connect(mock.url);
      const staying = await connect(mock.url);
      await gone.askJson({ jsonrpc: '2.0', method: 'hi', params: ['gone'], id: 1 });
      await staying.askJson({ jsonrpc: '2.0', method: 'hi', params: ['staying'], id: 1 });
      expect(mock.calls.map((c) => c.params)).toEqual([['gone'], ['staying']]);
      await gone.close();
      await mock.waitForConnectionCount(1);
      expect(mock.calls.map((c) => c.params)).toEqual([['staying']]);
      expect((await mock.waitForCall()).params).toEqual(['staying']);
    } finally {
      await own.close();
    }
  });

  it('server.close() aborts pending calls and waits, and releases everything', async () => {
    const own = await createMockServer();
    const mock = own.jsonrpc('/rpc', { methods: { held: { manual: true }, slow: { result: 1, delay: '10s' } } });
    const client = await connect(mock.url);
    await client.send({ jsonrpc: '2.0', method: 'slow', id: 1 });
    await client.send({ jsonrpc: '2.0', method: 'held', id: 2 });
    const rpc = await mock.waitForConnection();
    await rpc.waitForCall('held');
    const waits = [rejection(rpc.call('ask', [])), rejection(mock.waitForCall('never')), rejection(rpc.waitForCall('never'))];
    await own.close();
    expect((await client.closed).code).toBe(1001);
    const codes = (await Promise.all(waits)).map((err) => err.code);
    expect(codes.every((code) => code === 'WSMOCK_ERR_SERVER_CLOSED' || code === 'WSMOCK_ERR_CONNECTION_CLOSED')).toBe(true);
  });
});
