//
// The JSON-RPC 2.0 kit on the wire: requests and notifications from the real
// rpc-websockets client, batches and malformed input from a raw ws client,
// and every error code of the specification.
//
import { describe, expect, it } from 'vitest';
import { JsonRpcError, JsonRpcErrorCode } from '../src/index.js';
import { connect, refusal } from './helpers/client.js';
import { rpcClient } from './helpers/rpc.js';
import { useMockServer } from './helpers/server.js';
import { rejection } from './helpers/failures.js';

const server = useMockServer();

describe('requests (rpc-websockets client)', () => {
  it('answers declarative results, templated from params with numbers kept numbers', async () => {
    const mock = server.jsonrpc('/rpc', {
      methods: {
        version: { result: '1.2.0' },
        first: { result: '{{params[0]}}' },
        echo: { result: { got: '{{params.value}}', text: 'value is {{params.value}}', method: '{{method}}' } },
        nothing: { result: null },
      },
    });
    const client = await rpcClient(mock.url);
    await expect(client.call('version')).resolves.toBe('1.2.0');
    await expect(client.call('first', [3, 4])).resolves.toBe(3);
    await expect(client.call('echo', { value: 7 })).resolves.toEqual({ got: 7, text: 'value is 7', method: 'echo' });
    await expect(client.call('echo', { value: { deep: [1] } })).resolves.toEqual({ got: { deep: [1] }, text: 'value is {"deep":[1]}', method: 'echo' });
    await expect(client.call('nothing')).resolves.toBeNull();
  });

  it('runs in-process methods with the params, sync and async', async () => {
    const mock = server.jsonrpc('/rpc', {
      methods: {
        add: (params) => (params as number[]).reduce((a, b) => a + b, 0),
        later: async (params) => ({ hello: (params as { name: string }).name }),
        whoami: (_params, call, rpc) => ({ method: call.method, id: call.id, connection: rpc.id }),
        nothing: () => undefined,
      },
    });
    const client = await rpcClient(mock.url);
    await expect(client.call('add', [1, 2, 3])).resolves.toBe(6);
    await expect(client.call('later', { name: 'Ada' })).resolves.toEqual({ hello: 'Ada' });
    const conn = await mock.waitForConnection();
    await expect(client.call('whoami')).resolves.toEqual({ method: 'whoami', id: expect.any(Number), connection: conn.id });
    await expect(client.call('nothing')).resolves.toBeNull();
  });

  it('answers configured errors, with templated messages and data', async () => {
    const mock = server.jsonrpc('/rpc', {
      methods: { fail: { error: { code: -32000, message: 'no user {{params.id}}', data: { id: '{{params.id}}' } } } },
    });
    const client = await rpcClient(mock.url);
    expect(await rejection(client.call('fail', { id: 9 }))).toEqual({ code: -32000, message: 'no user 9', data: { id: 9 } });
  });

  it('answers -32601 for a method it does not have, naming the ones it has', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { add: { result: 1 }, sub: { result: 2 } } });
    const client = await rpcClient(mock.url);
    expect(await rejection(client.call('mul', [1, 2]))).toEqual({
      code: -32601,
      message: 'Method not found',
      data: 'the mock has no method "mul"; it has "add", "sub"',
    });
  });

  it('maps thrown errors: JsonRpcError keeps its code, an integer code is kept, anything else is -32603 with its message', async () => {
    const mock = server.jsonrpc('/rpc', {
      methods: {
        invalid: () => {
          throw new JsonRpcError(JsonRpcErrorCode.INVALID_PARAMS, 'b must not be 0', { b: 0 });
        },
        standard: () => {
          throw new JsonRpcError(-32602);
        },
        coded: () => {
          throw Object.assign(new Error('bad params'), { code: -32602 });
        },
        broken: () => {
          throw new TypeError('x is undefined');
        },
        rejects: async () => {
          throw new Error('database down');
        },
        system: () => {
          throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
        },
      },
    });
    const client = await rpcClient(mock.url);
    expect(await rejection(client.call('invalid', [1, 0]))).toEqual({ code: -32602, message: 'b must not be 0', data: { b: 0 } });
    expect(await rejection(client.call('standard'))).toEqual({ code: -32602, message: 'Invalid params' });
    expect(await rejection(client.call('coded'))).toEqual({ code: -32602, message: 'bad params' });
    expect(await rejection(client.call('broken'))).toEqual({ code: -32603, message: 'x is undefined' });
    expect(await rejection(client.call('rejects'))).toEqual({ code: -32603, message: 'database down' });
    expect(await rejection(client.call('system'))).toEqual({ code: -32603, message: 'no such file' });
  });

  it('delays an answer without holding back the answers of later calls', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { slow: { result: 'slow', delay: '150ms' }, fast: { result: 'fast' } } });
    const client = await rpcClient(mock.url);
    const order: string[] = [];
    await Promise.all([client.call('slow').then((r) => order.push(r as string)), client.call('fast').then((r) => order.push(r as string))]);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('runs notifications and never answers them, not even for an unknown method', async () => {
    const seen: unknown[] = [];
    const mock = server.jsonrpc('/rpc', { methods: { log: (params) => void seen.push(params), add: { result: 3 } } });
    const client = await rpcClient(mock.url);
    await client.notify('log', { line: 'hello' });
    await client.notify('add', [1, 2]);
    await client.notify('unknown', []);
    await expect(client.call('add', [1, 2])).resolves.toBe(3);
    const conn = await mock.waitForConnection();
    // The one answer on the wire is the call's.
    expect(conn.connection.messages.filter((m) => m.direction === 'out').map((m) => m.json)).toEqual([{ jsonrpc: '2.0', result: 3, id: expect.any(Number) }]);
    expect(seen).toEqual([{ line: 'hello' }]);
    expect(conn.calls.map((c) => [c.method, c.status])).toEqual([
      ['log', 'notification'],
      ['add', 'notification'],
      ['unknown', 'notification'],
      ['add', 'answered'],
    ]);
  });

  it('reports a notification handler that throws as a server error, and answers nothing', async () => {
    const mock = server.jsonrpc('/rpc', {
      methods: {
        log: () => {
          throw new Error('disk full');
        },
        ping: { result: 'pong' },
      },
    });
    const errors: string[] = [];
    server.on('error', (err, context) => errors.push(`${context.mockId} ${err.message}`));
    const client = await rpcClient(mock.url);
    await client.notify('log', ['x']);
    await expect(client.call('ping')).resolves.toBe('pong');
    expect(errors).toEqual([`${mock.id} notification "log" failed: disk full`]);
  });
});

describe('the wire (raw ws client)', () => {
  it('answers every entry of a batch in one array, requests only, in order', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { add: (p) => (p as number[])[0]! + (p as number[])[1]!, hello: { result: 'hi' } } });
    const client = await connect(mock.url);
    const answer = await client.askJson([
      { jsonrpc: '2.0', method: 'add', params: [1, 2], id: 1 },
      { jsonrpc: '2.0', method: 'hello' },
      { jsonrpc: '2.0', method: 'nope', id: 'b' },
      { jsonrpc: '2.0', method: 'hello', id: null },
      1,
    ]);
    expect(answer).toEqual([
      { jsonrpc: '2.0', result: 3, id: 1 },
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found', data: expect.stringContaining('"nope"') }, id: 'b' },
      { jsonrpc: '2.0', result: 'hi', id: null },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request', data: 'a request must be an object, got 1' }, id: null },
    ]);
  });

  it('waits for every answer of a batch, async ones included, before sending the array', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { slow: { result: 'slow', delay: 50 }, fast: async () => 'fast' } });
    const client = await connect(mock.url);
    expect(
      await client.askJson([
        { jsonrpc: '2.0', method: 'slow', id: 1 },
        { jsonrpc: '2.0', method: 'fast', id: 2 },
      ]),
    ).toEqual([
      { jsonrpc: '2.0', result: 'slow', id: 1 },
      { jsonrpc: '2.0', result: 'fast', id: 2 },
    ]);
  });

  it('answers an empty batch with one -32600 error, and a batch of notifications with nothing', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { log: { result: true }, ping: { result: 'pong' } } });
    const client = await connect(mock.url);
    expect(await client.askJson([])).toEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request', data: 'an empty batch' }, id: null });
    await client.send([
      { jsonrpc: '2.0', method: 'log', params: [1] },
      { jsonrpc: '2.0', method: 'log', params: [2] },
    ]);
    // The next frame the client gets is the answer to the ping: nothing came for the notifications.
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id: 7 })).toEqual({ jsonrpc: '2.0', result: 'pong', id: 7 });
  });

  it('answers text that is not JSON with -32700 and id null, in a batch too, and keeps the connection open', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' } } });
    const client = await connect(mock.url);
    const parseError = { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error', data: 'the frame is not JSON' }, id: null };
    expect(await client.askJson('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]')).toEqual(parseError);
    expect(await client.askJson('[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method"]')).toEqual(parseError);
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id: 1 })).toEqual({ jsonrpc: '2.0', result: 'pong', id: 1 });
    expect(client.isOpen).toBe(true);
  });

  it('answers invalid request objects with -32600, keeping the id when it is a valid one', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' } } });
    const client = await connect(mock.url);
    const invalid = (id: unknown, data: string) => ({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request', data }, id });
    expect(await client.askJson({ jsonrpc: '2.0', method: 1, params: 'bar' })).toEqual(invalid(null, '"method" must be a string'));
    expect(await client.askJson({ method: 'ping', id: 1 })).toEqual(invalid(1, '"jsonrpc" must be exactly "2.0"'));
    expect(await client.askJson({ jsonrpc: '1.0', method: 'ping', id: 'a' })).toEqual(invalid('a', '"jsonrpc" must be exactly "2.0"'));
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id: { x: 1 } })).toEqual(invalid(null, '"id" must be a string, a number or null'));
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id: [1] })).toEqual(invalid(null, '"id" must be a string, a number or null'));
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', params: 'bar', id: 2 })).toEqual(invalid(2, '"params" must be an array or an object when present'));
    expect(await client.askJson('"just a string"')).toEqual(invalid(null, 'a request must be an object, got "just a string"'));
    expect(await client.askJson('42')).toEqual(invalid(null, 'a request must be an object, got 42'));
    expect(await client.askJson('null')).toEqual(invalid(null, 'a request must be an object, got null'));
    expect(await client.askJson([1, 2, 3])).toEqual([1, 2, 3].map((n) => invalid(null, `a request must be an object, got ${n}`)));
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id: 'ok' })).toEqual({ jsonrpc: '2.0', result: 'pong', id: 'ok' });
  });

  it('accepts string, number and null ids and echoes them as they came', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' } } });
    const client = await connect(mock.url);
    for (const id of ['abc', '', 0, -5, 1.5, null]) {
      expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id })).toEqual({ jsonrpc: '2.0', result: 'pong', id });
    }
  });

  it('reads JSON-RPC sent in binary frames as UTF-8 text', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' } } });
    const client = await connect(mock.url);
    await client.send(Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'ping', id: 3 })), { binary: true });
    expect(await client.nextJson()).toEqual({ jsonrpc: '2.0', result: 'pong', id: 3 });
  });

  it('keeps the WebSocket options of a mock: subprotocols, frame limit (1009), connection limit (503)', async () => {
    const mock = server.jsonrpc('/rpc', { subprotocols: ['jsonrpc-2.0'], maxMessageSize: 64, maxConnections: 1, methods: { ping: { result: 'pong' } } });
    const client = await connect(mock.url, { protocols: ['jsonrpc-2.0'] });
    expect(client.protocol).toBe('jsonrpc-2.0');
    expect((await refusal(mock.url)).status).toBe(503);
    expect(await client.askJson({ jsonrpc: '2.0', method: 'ping', id: 1 })).toEqual({ jsonrpc: '2.0', result: 'pong', id: 1 });
    await client.send({ jsonrpc: '2.0', method: 'ping', params: ['x'.repeat(100)], id: 2 });
    expect((await client.closed).code).toBe(1009);
  });

  it('never disturbs another connection when one sends garbage', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' } } });
    const bad = await connect(mock.url);
    const good = await connect(mock.url);
    await bad.send('\u0000\u0001 not json');
    await bad.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
    await bad.send('[[[]]]');
    expect(await good.askJson({ jsonrpc: '2.0', method: 'ping', id: 1 })).toEqual({ jsonrpc: '2.0', result: 'pong', id: 1 });
    expect((await bad.nextJson()).error.code).toBe(-32700);
    expect((await bad.nextJson()).error.code).toBe(-32700);
    expect(await bad.nextJson()).toEqual([{ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request', data: 'a request must be an object, got an array' }, id: null }]);
    expect(bad.isOpen && good.isOpen).toBe(true);
  });
});

describe('issue 22 item 8: a templated result key rendering to "__proto__"', () => {
  it('reaches the client as an own "__proto__" member, not dropped', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { keyed: { result: { '{{params.key}}': { polluted: true }, kept: 1 } } } });
    const client = await connect(mock.url);
    const text = await client.ask({ jsonrpc: '2.0', method: 'keyed', params: { key: '__proto__' }, id: 1 });
    expect(text).toBe('{"jsonrpc":"2.0","result":{"__proto__":{"polluted":true},"kept":1},"id":1}');
  });
});
