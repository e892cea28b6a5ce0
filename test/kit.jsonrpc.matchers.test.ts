//
// toReceiveCall on a JSON-RPC connection and on a JSON-RPC mock, with Vitest;
// the Jest and Playwright entries register the same function.
//
import { describe, expect, it } from 'vitest';
import { wsmockMatchers as jestMatchers } from '../src/adapters/jest.js';
import { wsmockMatchers as playwrightMatchers } from '../src/adapters/playwright.js';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { connect } from './helpers/client.js';
import { rpcClient } from './helpers/rpc.js';
import { useMockServer } from './helpers/server.js';
import { failure } from './helpers/failures.js';

expect.extend(wsmockMatchers);

const server = useMockServer();

describe('toReceiveCall', () => {
  it('takes the next call to the method on a connection or the mock, comparing params with asymmetric matchers', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { subscribe: { result: true }, ping: { result: 'pong' } } });
    const client = await rpcClient(mock.url);
    await client.call('ping');
    await client.call('subscribe', ['prices', { depth: 3 }]);
    await client.notify('subscribe', ['news']);
    const rpc = await mock.waitForConnection();
    await expect(rpc).toReceiveCall('subscribe', ['prices', { depth: expect.any(Number) }]);
    await expect(rpc).toReceiveCall('subscribe');
    await expect(mock).toReceiveCall('subscribe', ['prices', expect.objectContaining({ depth: 3 })]);
    await expect(rpc).toReceiveCall('ping');
  });

  it('fails with a diff of the params and the recent calls', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { subscribe: { result: true } } });
    const client = await rpcClient(mock.url);
    await client.call('subscribe', ['prices']);
    const rpc = await mock.waitForConnection();
    const message = await failure(() => expect(rpc).toReceiveCall('subscribe', ['news']));
    expect(message).toContain(`The next call "subscribe" on ${rpc.id} has other params.`);
    expect(message).toMatch(/- +"news"/);
    expect(message).toMatch(/\+ +"prices"/);
    expect(message).toContain(`Calls on ${rpc.id}:\n  subscribe ["prices"]`);
  });

  it('fails when no call to the method comes in time, saying what came instead', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' } } });
    const client = await rpcClient(mock.url);
    await client.call('ping', [1]);
    const message = await failure(() => expect(mock).toReceiveCall('subscribe', undefined, { timeout: 50 }));
    expect(message).toContain('Expected: a call "subscribe"\nReceived: nothing.');
    expect(message).toContain('"ping" (id 1)');
    expect(message).toContain(`Calls on mock "${mock.id}":\n  ping [1]`);
  });

  it('.not passes when no matching call arrives within the window, leaving other calls for later', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { ping: { result: 'pong' }, subscribe: { result: true } } });
    const client = await rpcClient(mock.url);
    await client.call('ping');
    await client.call('subscribe', ['prices']);
    const rpc = await mock.waitForConnection();
    await expect(rpc).not.toReceiveCall('unsubscribe', undefined, { within: 50 });
    await expect(rpc).not.toReceiveCall('subscribe', ['news'], { within: 50 });
    await expect(rpc).toReceiveCall('ping');
    await expect(rpc).toReceiveCall('subscribe', ['prices']);
  });

  it('.not fails when a matching call arrives within the window', async () => {
    const mock = server.jsonrpc('/rpc', { methods: { logout: { result: true } } });
    const client = await connect(mock.url);
    const rpc = await mock.waitForConnection();
    const assertion = failure(() => expect(rpc).not.toReceiveCall('logout', undefined, { within: 2000 }));
    await client.send({ jsonrpc: '2.0', method: 'logout', params: ['now'] });
    expect(await assertion).toContain(`Expected no call "logout" on ${rpc.id} within 2000 ms\nReceived: logout ["now"]`);
  });

  it('refuses a subject that is not a JSON-RPC connection or mock, .not included', async () => {
    const ws = server.websocket('/ws');
    await connect(ws.url);
    const conn = await ws.waitForConnection();
    expect(await failure(() => expect(conn).toReceiveCall('x'))).toContain('toReceiveCall() works on a JSON-RPC connection');
    expect(await failure(() => expect(ws).not.toReceiveCall('x'))).toContain('toReceiveCall() works on a JSON-RPC connection');
    const mock = server.jsonrpc('/rpc');
    const pending = mock.waitForConnection();
    pending.catch(() => undefined); // nobody connects: reset() aborts it
    expect(await failure(() => expect(pending).toReceiveCall('x'))).toContain('Received: a Promise (did you forget to await it?)');
  });

  it('is registered by the Jest and Playwright entries too', () => {
    expect(jestMatchers.toReceiveCall).toBe(wsmockMatchers.toReceiveCall);
    expect(typeof playwrightMatchers.toReceiveCall).toBe('function');
  });
});
