//
// Issue 26, tested against a real API's contract: Kraken's public WebSocket
// API, in AsyncAPI 2.6 (one channel `/`, request/reply through `x-reply`) and
// 3.0 (seven channels on `/`, operations with `reply`), both without
// `servers` and with an example that fails its own schema, as published
// contracts are. Real clients (`ws`, and Node's own WebSocket) written the way
// the contract says: they ping, subscribe and get replies built from it.
//
import { WebSocket as NodeWebSocket } from 'undici';
import { describe, expect, it } from 'vitest';
import type { ContractViolation, MockServer } from '../src/index.js';
import { connect } from './helpers/client.js';
import { fixture, VERSIONS } from './helpers/asyncapiFixtures.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer({ seed: 7 });

/** The next violation the server emits, with its connection's id. */
function nextViolation(on: MockServer): Promise<ContractViolation> {
  return new Promise((resolve) => on.once('contract:violation', (violation) => resolve(violation)));
}

/** Node's own WebSocket (undici's: Node 20 has no global one): the next message it gets, as JSON. */
function nodeClient(url: string) {
  const ws = new NodeWebSocket(url);
  const inbox: unknown[] = [];
  const waiting: ((value: unknown) => void)[] = [];
  ws.addEventListener('message', (event) => {
    const value = JSON.parse(String(event.data));
    const next = waiting.shift();
    if (next) next(value);
    else inbox.push(value);
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error(`Node's WebSocket could not connect to ${url}`)));
  });
  const next = () => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return { ws, opened, next, send: (value: unknown) => ws.send(JSON.stringify(value)) };
}

describe.each(VERSIONS)('issue 26: Kraken WebSocket API, AsyncAPI %s contract', (version) => {
  const file = fixture(`kraken-${version}.yaml`);

  it('without servers every channel is served: one mock at / for every message', async () => {
    const api = await server.asyncapi(file);
    expect(api.mocks.map((m) => m.path)).toEqual(['/']);
    expect(api.mock('/')).toBe(api.mocks[0]);
    expect(api.contract.version).toBe(version === '2.6' ? '2.6.0' : '3.0.0');
    expect(api.contract.servers).toEqual([]);
    expect(api.contract.skipped).toEqual([]);
  });

  it('a ws client pings and gets the pong the contract names, its reqid echoed', async () => {
    const api = await server.asyncapi(file);
    const client = await connect(api.mocks[0]!.url);
    expect(await client.askJson({ event: 'ping', reqid: 42 })).toEqual({ event: 'pong', reqid: 42 });
    expect(await client.askJson({ event: 'ping', reqid: 43 })).toEqual({ event: 'pong', reqid: 43 });
    // No reqid asked, none answered: the contract's example has none.
    expect(await client.askJson({ event: 'ping' })).toEqual({ event: 'pong' });
    const conn = await api.mocks[0]!.waitForConnection();
    expect(conn.violations).toEqual([]);
  });

  it("Node's own WebSocket subscribes and unsubscribes, answered with the contract's subscriptionStatus example, reqid echoed", async () => {
    const api = await server.asyncapi(file);
    const client = nodeClient(api.mocks[0]!.url);
    await client.opened;
    client.send({ event: 'subscribe', reqid: 7, pair: ['XBT/EUR'], subscription: { name: 'ticker' } });
    expect(await client.next()).toEqual({
      event: 'subscriptionStatus',
      reqid: 7,
      channelID: 10001,
      channelName: 'ticker',
      pair: 'XBT/EUR',
      status: 'subscribed',
      subscription: { name: 'ticker' },
    });
    client.send({ event: 'unsubscribe', reqid: 8, pair: ['XBT/EUR'], subscription: { name: 'ticker' } });
    expect(await client.next()).toMatchObject({ event: 'subscriptionStatus', reqid: 8 });
    const conn = await api.mocks[0]!.waitForConnection();
    expect(conn.violations).toEqual([]);
    client.ws.close();
  });

  it('options.replies answers an operation with a function of the request instead', async () => {
    const operation = version === '3.0' ? 'subscribe' : 'clientRequest.subscribe';
    const api = await server.asyncapi(file, {
      replies: { [operation]: (payload: any) => ({ event: 'subscriptionStatus', reqid: payload.reqid, status: 'error', errorMessage: `no ${payload.pair[0]}`, pair: payload.pair[0], subscription: payload.subscription }) },
    });
    const client = await connect(api.mocks[0]!.url);
    expect(await client.askJson({ event: 'subscribe', reqid: 9, pair: ['DOGE/XBT'], subscription: { name: 'book', depth: 10 } })).toEqual({
      event: 'subscriptionStatus',
      status: 'error',
      errorMessage: 'no DOGE/XBT',
      pair: 'DOGE/XBT',
      subscription: { name: 'book', depth: 10 },
      reqid: 9,
    });
  });

  it('systemStatus and heartbeat are pushed from the test by their message key, built from the contract and checked', async () => {
    const api = await server.asyncapi(file);
    const client = await connect(api.mocks[0]!.url);
    const conn = await api.mocks[0]!.waitForConnection();
    api.sendMessage('systemStatus', { status: 'maintenance' });
    expect(await client.nextJson()).toEqual({ event: 'systemStatus', connectionID: 5476361209, status: 'maintenance', version: '1.9.0' });
    api.mocks[0]!.sendMessage('heartbeat');
    expect(await client.nextJson()).toEqual({ event: 'heartbeat' });
    expect(conn.violations).toEqual([]);
  });

  it('a wrong payload is a violation with its JSON paths: on the connection, as an event, in stats()', async () => {
    const api = await server.asyncapi(file);
    const client = await connect(api.mocks[0]!.url);
    const conn = await api.mocks[0]!.waitForConnection();
    const violated = nextViolation(server);
    await client.send({ event: 'subscribe', reqid: 'seven', pair: ['xbt-eur'], subscription: { name: 'tickers' } });
    const violation = await violated;
    expect(violation).toMatchObject({ direction: 'in', message: 'subscribe', frame: '{"event":"subscribe","reqid":"seven","pair":["xbt-eur"],"subscription":{"name":"tickers"}}' });
    expect(violation.errors.map((e) => e.path).sort()).toEqual(['$.pair[0]', '$.reqid', '$.subscription.name']);
    expect(violation.errors.find((e) => e.path === '$.reqid')).toMatchObject({ keyword: 'type', message: 'must be integer' });
    expect(conn.violations).toEqual([violation]);
    expect(server.stats().violations).toBe(1);
  });

  it('a frame that is no message of the contract at all is a violation too', async () => {
    const api = await server.asyncapi(file);
    const client = await connect(api.mocks[0]!.url);
    const conn = await api.mocks[0]!.waitForConnection();
    const violated = nextViolation(server);
    await client.send('hello');
    expect(await violated).toMatchObject({ direction: 'in', frame: 'hello' });
    expect(conn.violations).toHaveLength(1);
  });

  it('a frame the server sends that breaks the contract is an outbound violation', async () => {
    const api = await server.asyncapi(file);
    await connect(api.mocks[0]!.url);
    const conn = await api.mocks[0]!.waitForConnection();
    const violated = nextViolation(server);
    await conn.send({ event: 'systemStatus', status: 'sleeping' });
    const violation = await violated;
    expect(violation).toMatchObject({ direction: 'out', message: 'systemStatus' });
    expect(violation.errors).toEqual([expect.objectContaining({ path: '$.status', keyword: 'enum' })]);
  });

  it("the coverage report names what the test did not use; the example that fails its own schema is in the contract's warnings", async () => {
    const api = await server.asyncapi(file);
    const client = await connect(api.mocks[0]!.url);
    await client.askJson({ event: 'ping', reqid: 1 });
    const [report] = server.contractReport().contracts;
    expect(report).toMatchObject({ title: 'Kraken WebSocket API', file, violations: 0, skipped: [] });
    const seen = Object.fromEntries(report!.messages.map((m) => [m.key, m.seen]));
    expect(seen).toEqual({ ping: true, pong: true, subscribe: false, unsubscribe: false, subscriptionStatus: false, heartbeat: false, systemStatus: false });
    // 2.6: one operation per request message with an x-reply (`<operationId>.<message>`), and the
    // channel's `subscribe` (what the server sends, pong included); 3.0: the operations as written.
    const ping = version === '2.6' ? 'clientRequest.ping' : 'ping';
    expect(report!.operations.find((op) => op.id === ping)).toMatchObject({ action: 'receive', seen: true, count: 1, reply: { seen: true, count: 1 } });
    expect(report!.operations.filter((op) => !op.seen).map((op) => op.id)).toEqual(
      version === '2.6' ? ['clientRequest.subscribe', 'clientRequest.unsubscribe'] : ['subscribe', 'unsubscribe', 'heartbeat', 'systemStatus'],
    );
    expect(JSON.parse(JSON.stringify(server.contractReport()))).toEqual(server.contractReport());
    expect(api.contract.warnings).toEqual([
      { path: '$.components.messages.subscriptionStatus.examples[1].payload', message: expect.stringContaining('$.subscription.depth must be one of 10, 25, 100, 500, 1000') },
    ]);
  });

  it('strict mode closes the connection with 1008 and a reason naming the violation', async () => {
    const api = await server.asyncapi(file, { contract: 'strict' });
    const client = await connect(api.mocks[0]!.url);
    await client.send({ event: 'ping', reqid: 'x' });
    expect(await client.closed).toEqual({ code: 1008, reason: expect.stringContaining('$.reqid must be integer') });
  });
});
