//
// Issue 26: mocks from an AsyncAPI contract, every frame checked against it,
// coverage. Real `ws` clients (and Node's own WebSocket on Node 22+) against
// test/fixtures/asyncapi/serve-rpc.yaml.
//
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createMockServer, type Connection, type ContractViolation } from '../src/index.js';
import { connect, refusal } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const RPC = fileURLToPath(new URL('./fixtures/asyncapi/serve-rpc.yaml', import.meta.url));
const server = useMockServer({ seed: 1234 });

describe('issue 26: server.asyncapi() serves a contract', () => {
  it('makes one mock per address, listed as ordinary mocks with the contract as their config', async () => {
    const api = await server.asyncapi(RPC);
    expect(api.mocks.map((m) => m.path)).toEqual(['/rpc', '/prices/:symbol']);
    expect(server.mocks.list()).toEqual(api.mocks);
    expect(api.mock('prices')).toBe(api.mocks[1]);
    expect(api.mock('/rpc')).toBe(api.mocks[0]);
    expect(api.mocks[0]!.toJSON().websocket).toEqual({
      path: '/rpc',
      contract: { file: RPC, channel: 'rpc', mode: 'report', replies: true },
    });
    expect(() => api.mock('/nope')).toThrow(/no mock serves "\/nope"/);
  });

  it('answers a request with its reply, the correlation id copied, from the example or generated', async () => {
    const api = await server.asyncapi(RPC);
    const client = await connect(api.mock('rpc').url);
    expect(await client.askJson({ event: 'ping', reqid: 42 })).toEqual({ event: 'pong', reqid: 42 });
    const status = await client.askJson({ event: 'subscribe', reqid: 7, pair: ['XBT/USD'] });
    expect(status).toMatchObject({ event: 'subscriptionStatus', reqid: 7 });
    expect(['subscribed', 'unsubscribed']).toContain(status.status);
    expect(Number.isInteger(status.channelId) && status.channelId >= 1 && status.channelId <= 1000).toBe(true);
    const conn = (await api.mock('rpc').waitForConnection()) as Connection;
    expect(conn.violations).toEqual([]);
  });

  it('the same seed generates the same reply', async () => {
    const replies: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const own = await createMockServer({ seed: 99 });
      try {
        const api = await own.asyncapi(RPC);
        const client = await connect(api.mock('rpc').url);
        replies.push(await client.askJson({ event: 'subscribe', reqid: 1, pair: ['A/B'] }));
        await client.close();
      } finally {
        await own.close();
      }
    }
    expect(replies[1]).toEqual(replies[0]);
  });

  it('replies overrides: a fixed value, a function, and a throwing function that becomes the server error', async () => {
    const errors: Error[] = [];
    const onError = (error: Error) => errors.push(error);
    server.on('error', onError);
    try {
      const api = await server.asyncapi(RPC, {
        replies: {
          ping: { event: 'pong' },
          subscribe: (payload) => {
            const p = payload as { reqid: number; pair: string[] };
            if (p.pair[0] === 'BAD/ONE') throw new Error('no such pair');
            return { event: 'subscriptionStatus', reqid: p.reqid, status: 'subscribed', channelId: p.pair.length };
          },
        },
      });
      const client = await connect(api.mock('rpc').url);
      expect(await client.askJson({ event: 'ping', reqid: 5 })).toEqual({ event: 'pong', reqid: 5 });
      await client.send({ event: 'subscribe', reqid: 8, pair: ['BAD/ONE'] });
      expect(await client.askJson({ event: 'subscribe', reqid: 9, pair: ['X/Y', 'Z/W'] })).toEqual({ event: 'subscriptionStatus', reqid: 9, status: 'subscribed', channelId: 2 });
      expect(errors.map((e) => e.message)).toEqual(['no such pair']);
    } finally {
      server.off('error', onError);
    }
    await expect(server.asyncapi(RPC, { replies: { heartbeat: 1 } })).rejects.toThrow(/options.replies\["heartbeat"\]: the operation declares no reply/);
  });

  it('sendMessage builds, validates and sends; an override that breaks the schema sends nothing', async () => {
    const api = await server.asyncapi(RPC);
    const client = await connect(api.mock('rpc').url);
    const prices = await connect(`${server.url}/prices/BTCUSD`, { headers: { 'x-api-key': 'secret' } });
    await api.mock('rpc').waitForConnectionCount(1);
    expect(api.sendMessage('heartbeat')).toBe(1);
    expect(await client.nextJson()).toEqual({ event: 'heartbeat' });
    expect(api.mock('prices').sendMessage('tick', { price: 12.5 })).toBe(1);
    expect(await prices.nextJson()).toEqual({ symbol: 'BTCUSD', price: 12.5 });
    expect(() => api.sendMessage('tick', { price: -1 })).toThrow(expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_ARGUMENT', message: expect.stringContaining('$.price') }));
    expect(() => api.sendMessage('nope')).toThrow(/no message of "Serve RPC" has that key/);
    expect(() => api.mock('rpc').sendMessage('ping')).toThrow(/the server does not send "ping"/);
    expect(client.received.length).toBe(1);
    expect(prices.received.length).toBe(1);
  });
});

describe('issue 26: violations', () => {
  it('a bad client frame and a bad server frame are violations with JSON paths: journaled, emitted, counted', async () => {
    const api = await server.asyncapi(RPC);
    const seen: [ContractViolation, string][] = [];
    const listener = (v: ContractViolation, conn: Connection) => seen.push([v, conn.id]);
    server.on('contract:violation', listener);
    try {
      const client = await connect(api.mock('rpc').url);
      const conn = await api.mock('rpc').waitForConnection();
      await client.send({ event: 'ping', reqid: 'x' });
      await client.send('not json');
      await conn.waitForMessage();
      await conn.waitForMessage();
      await conn.send({ event: 'heartbeat', extra: 1 });
      await client.frame();
      await conn.ping();
      expect(conn.violations.map(({ at: _at, ...v }) => v)).toEqual([
        { direction: 'in', frame: '{"event":"ping","reqid":"x"}', message: 'ping', errors: [{ path: '$.reqid', message: 'must be integer', keyword: 'type' }], channel: 'rpc' },
        { direction: 'in', frame: 'not json', errors: [{ path: '$', message: 'must be JSON: the frame is not JSON text', keyword: 'type' }], channel: 'rpc' },
        { direction: 'out', frame: '{"event":"heartbeat","extra":1}', message: 'heartbeat', errors: [{ path: '$.extra', message: 'is not allowed (additionalProperties)', keyword: 'additionalProperties' }], channel: 'rpc' },
      ]);
      expect(seen.map(([v, id]) => [v.direction, v.message, id])).toEqual([
        ['in', 'ping', conn.id],
        ['in', undefined, conn.id],
        ['out', 'heartbeat', conn.id],
      ]);
      expect(server.stats()).toMatchObject({ violations: 3, violationsByMock: { [api.mock('rpc').id]: 3 } });
      const adminUrl = await server.listenAdmin();
      const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
      expect(metrics).toContain(`wsmock_contract_violations_total{mock_id="${api.mock('rpc').id}",type="websocket"} 3`);
    } finally {
      server.off('contract:violation', listener);
    }
  });

  it('strict: a bad frame is answered with the declared error, correlated; a second connection is undisturbed', async () => {
    const api = await server.asyncapi(RPC, { contract: 'strict' });
    const bad = await connect(api.mock('rpc').url);
    const good = await connect(api.mock('rpc').url);
    expect(await bad.askJson({ event: 'subscribe', reqid: 3, pair: [] })).toEqual({ event: 'error', reqid: 3, errorMessage: 'Malformed request' });
    expect(await good.askJson({ event: 'ping', reqid: 4 })).toEqual({ event: 'pong', reqid: 4 });
  });

  it('strict: a bad frame with no declared error closes with 1008 naming the violation', async () => {
    const api = await server.asyncapi(RPC, { contract: 'strict' });
    const other = await connect(api.mock('rpc').url);
    const client = await connect(api.mock('rpc').url);
    await client.send({ event: 'ping', reqid: 'x', more: 1 });
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^contract violation: "ping" \$\.(reqid|more) /);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    expect(await other.askJson({ event: 'ping', reqid: 1 })).toEqual({ event: 'pong', reqid: 1 });
  });

  it('handshake: path parameter and bindings checked; report mode journals, strict refuses with 400', async () => {
    const api = await server.asyncapi(RPC);
    await connect(`${server.url}/prices/DOGE?depth=0&x=1`);
    const conn = await api.mock('prices').waitForConnection();
    expect(conn.violations.map((v) => [v.handshake, v.direction, v.errors.map((e) => e.path).sort()])).toEqual([
      ['query', 'in', ['$.query.depth', '$.query.x']],
      ['headers', 'in', ["$.headers['X-Api-Key']"]],
      ['parameters', 'in', ['$.parameters.symbol']],
    ]);
    await server.reset();
    const strict = await server.asyncapi(RPC, { contract: 'strict' });
    const refused = await refusal(`${server.url}/prices/ETHUSD?depth=2`, { headers: { 'x-api-key': 'no' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'contract_violation', channel: 'prices', errors: [{ path: "$.headers['X-Api-Key']", keyword: 'minLength' }] });
    await connect(`${server.url}/prices/ETHUSD?depth=2`, { headers: { 'x-api-key': 'good-key' } });
    expect((await strict.mock('prices').waitForConnection()).violations).toEqual([]);
  });
});

describe('issue 26: coverage', () => {
  it('contractReport() counts per channel, operation and message; reset() clears it', async () => {
    const api = await server.asyncapi(RPC);
    const client = await connect(api.mock('rpc').url);
    await client.askJson({ event: 'ping', reqid: 1 });
    await client.askJson({ event: 'ping', reqid: 2 });
    await client.send({ event: 'ping', reqid: 'bad' });
    await (await api.mock('rpc').waitForConnection()).ping();
    const [report] = server.contractReport().contracts;
    expect(JSON.parse(JSON.stringify(server.contractReport()))).toEqual(server.contractReport());
    expect(report).toMatchObject({ title: 'Serve RPC', file: RPC, version: '3.0.0', violations: 1, skipped: [] });
    const byId = Object.fromEntries(report!.operations.map((op) => [op.id, op]));
    expect(byId.ping).toEqual({ id: 'ping', action: 'receive', channel: 'rpc', seen: true, count: 2, violations: 1, reply: { seen: true, count: 2, violations: 0 } });
    expect(byId.subscribe).toMatchObject({ seen: false, count: 0 });
    expect(byId.heartbeat).toMatchObject({ seen: false, count: 0 });
    expect(report!.messages.find((m) => m.key === 'pong')).toEqual({ key: 'pong', seen: true, count: 2, violations: 0 });
    expect(report!.channels).toEqual([
      { id: 'rpc', address: '/rpc', served: true, seen: true, count: 4, violations: 1 },
      { id: 'prices', address: '/prices/{symbol}', served: true, seen: false, count: 0, violations: 0 },
    ]);
    await server.reset();
    expect(server.contractReport()).toEqual({ contracts: [] });
    expect(server.stats().violations).toBe(0);
  });
});

describe('issue 26: a hand-written mock and a proxy checked against the contract', () => {
  let backend: WebSocketServer | undefined;
  afterEach(async () => {
    if (!backend) return;
    for (const socket of backend.clients) socket.terminate();
    await new Promise<void>((resolve) => backend!.close(() => resolve()));
    backend = undefined;
  });

  it('server.websocket({ contract }) keeps its behaviour and checks its traffic', async () => {
    const mock = server.websocket({
      path: '/rpc',
      matchers: [{ match: { type: 'json', path: '$.event', value: 'ping' }, response: { type: 'json', value: { event: 'pong', reqid: 'wrong' } } }],
      contract: { file: RPC, channel: 'rpc' },
    });
    const client = await connect(mock.url);
    expect(await client.askJson({ event: 'ping', reqid: 1 })).toEqual({ event: 'pong', reqid: 'wrong' });
    const conn = await mock.waitForConnection();
    expect(conn.violations.map((v) => [v.direction, v.message, v.errors[0]!.path])).toEqual([['out', 'pong', '$.reqid']]);
  });

  it('a proxy mock with a contract checks the backend frames (out) and the client frames (in)', async () => {
    backend = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => backend!.once('listening', resolve));
    backend.on('connection', (ws) => ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { reqid?: unknown };
      ws.send(JSON.stringify({ event: 'pong', reqid: msg.reqid, latency: 3 }));
    }));
    const port = (backend.address() as { port: number }).port;
    const mock = server.websocket({ path: '/rpc', proxy: { url: `ws://127.0.0.1:${port}/` }, contract: { file: RPC } });
    const client = await connect(mock.url);
    expect(await client.askJson({ event: 'ping', reqid: 'one' })).toEqual({ event: 'pong', reqid: 'one', latency: 3 });
    const conn = await mock.waitForConnection();
    expect(conn.violations.map((v) => [v.direction, v.message, v.errors.map((e) => e.path).sort()])).toEqual([
      ['in', 'ping', ['$.reqid']],
      ['out', 'pong', ['$.latency', '$.reqid']],
    ]);
  });

  it("Node's own WebSocket gets the contract's reply (Node 22+)", async (ctx) => {
    const NodeWebSocket = (globalThis as { WebSocket?: typeof globalThis.WebSocket }).WebSocket;
    if (!NodeWebSocket || Number(process.versions.node.split('.')[0]) < 22) return ctx.skip();
    const api = await server.asyncapi(RPC);
    const ws = new NodeWebSocket(api.mock('rpc').url);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.onopen = () => ws.send(JSON.stringify({ event: 'ping', reqid: 11 }));
      ws.onmessage = (event) => resolve(String(event.data));
      ws.onerror = () => reject(new Error('Node WebSocket failed'));
    });
    ws.close();
    expect(JSON.parse(reply)).toEqual({ event: 'pong', reqid: 11 });
  });
});

void WebSocket;

describe('issue 26: a server without a contract loads no AsyncAPI runtime', () => {
  it('the built package loads ajv with the first contract, not when a server starts or a plain mock talks', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    // In a process of its own: this file has loaded ajv already.
    const script = [
      "import { createRequire } from 'node:module';",
      "import WebSocket from 'ws';",
      "const { createMockServer } = await import('./dist/index.js');",
      "const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => /node_modules[\\\\/]ajv[\\\\/]/.test(file));",
      'const server = await createMockServer();',
      "const echo = server.websocket('/echo');",
      'const ws = new WebSocket(echo.url);',
      "await new Promise((resolve) => ws.once('open', resolve));",
      "ws.send('hi');",
      "await new Promise((resolve) => ws.once('message', resolve));",
      'const before = loaded();',
      `await server.asyncapi(${JSON.stringify(RPC)});`,
      'console.log(before, loaded());',
      'ws.close();',
      'await server.close();',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url).pathname, timeout: 20_000 });
    expect(stdout).toBe('false true\n');
  }, 30_000);
});

describe('issue 26: contract mocks are ordinary mocks', () => {
  it('a config envelope with a contract file answers from the contract (config files, the admin API)', async () => {
    const mock = server.mocks.define({ type: 'websocket', id: 'rpc', websocket: { path: '/rpc', contract: { file: RPC, replies: true } } });
    const client = await connect(mock.url);
    expect(await client.askJson({ event: 'ping', reqid: 3 })).toEqual({ event: 'pong', reqid: 3 });
    expect(mock.toJSON()).toEqual({ id: 'rpc', type: 'websocket', enabled: true, websocket: { path: '/rpc', contract: { file: RPC, replies: true } } });
  });

  it('update() keeps the contract (clients reconnect to it), remove() frees the path, binary frames are violations', async () => {
    const api = await server.asyncapi(RPC);
    const rpc = api.mock('rpc');
    const first = await connect(rpc.url);
    expect(await rpc.update({ name: 'renamed' })).toBe(1);
    expect((await first.closed).code).toBe(1012);
    const second = await connect(rpc.url);
    expect(await second.askJson({ event: 'ping', reqid: 1 })).toEqual({ event: 'pong', reqid: 1 });
    await second.send(Buffer.from([1, 2, 3]), { binary: true });
    await rpc.waitForConnection();
    const conn = await rpc.waitForConnection();
    await conn.waitForMessage();
    await conn.waitForMessage();
    expect(conn.violations.map(({ frame, errors }) => ({ frame, errors }))).toEqual([
      { frame: '<binary 3 bytes>', errors: [{ path: '$', message: 'must be a text frame of JSON: the frame is binary', keyword: 'type' }] },
    ]);
    // The coverage of the contract is one, across versions of the mock.
    expect(server.contractReport().contracts).toHaveLength(1);
    await rpc.remove();
    expect(server.mocks.list().map((m) => m.path)).toEqual(['/prices/:symbol']);
  });

  it('a contract file that cannot be bound is the server error, and its handshakes are refused with 500', async () => {
    const errors: string[] = [];
    const onError = (error: Error) => errors.push(error.message);
    server.on('error', onError);
    try {
      const mock = server.websocket({ path: '/rpc', contract: { file: RPC, channel: 'nope' } });
      const refused = await refusal(mock.url);
      expect(refused.status).toBe(500);
      expect(refused.body).toMatchObject({ error: 'contract_unavailable', message: expect.stringContaining('contract.channel: "nope" is not a channel of "Serve RPC"') });
      expect(errors).toEqual([expect.stringContaining('contract.channel: "nope" is not a channel of "Serve RPC"')]);
    } finally {
      server.off('error', onError);
    }
    expect(() => server.websocket({ path: '/x', contract: { channel: 'rpc' } })).toThrow(/contract: needs "file" or "contract"/);
    expect(() => server.websocket({ path: '/y', contract: { file: RPC, mode: 'loose' as never } })).toThrow(/contract.mode: must be one of "report", "strict"/);
  });

  it('the admin event stream carries each violation', async () => {
    const { EventSource } = await import('eventsource');
    const api = await server.asyncapi(RPC);
    const adminUrl = server.adminUrl ?? (await server.listenAdmin());
    const source = new EventSource(`${adminUrl}/events`);
    try {
      const events: unknown[] = [];
      source.addEventListener('contract:violation', (e) => events.push(JSON.parse(e.data)));
      await new Promise((resolve) => source.addEventListener('ready', resolve));
      const client = await connect(api.mock('rpc').url);
      await client.send({ event: 'ping', reqid: 1.5 });
      const conn = await api.mock('rpc').waitForConnection();
      await vi.waitFor(() => expect(events).toHaveLength(1));
      expect(events[0]).toEqual({ connectionId: conn.id, mockId: api.mock('rpc').id, direction: 'in', frame: '{"event":"ping","reqid":1.5}', message: 'ping', errors: [{ path: '$.reqid', message: 'must be integer', keyword: 'type' }], at: expect.any(Number), channel: 'rpc' });
    } finally {
      source.close();
    }
  });
});

describe('issue 26: server.asyncapi() takes a loaded contract or a document', () => {
  it('a contract from loadAsyncApi() and a document object serve alike; sendMessage to one connection uses its own stream', async () => {
    const { loadAsyncApi } = await import('../src/index.js');
    const contract = await loadAsyncApi(RPC);
    const api = await server.asyncapi(contract);
    expect(api.contract).toBe(contract);
    const a = await connect(api.mock('rpc').url);
    const b = await connect(api.mock('rpc').url);
    const [connA] = await api.mock('rpc').waitForConnectionCount(2);
    expect(api.sendMessage('heartbeat', undefined, { connection: connA! })).toBe(1);
    expect(await a.nextJson()).toEqual({ event: 'heartbeat' });
    expect(await b.askJson({ event: 'ping', reqid: 2 })).toEqual({ event: 'pong', reqid: 2 });
    expect(a.received).toHaveLength(1);
    await server.reset();

    const { parse } = await import('yaml');
    const { readFile } = await import('node:fs/promises');
    const document = parse(await readFile(RPC, 'utf8')) as Record<string, unknown>;
    const fromDocument = await server.asyncapi(document);
    expect(fromDocument.mocks[0]!.toJSON().websocket).toEqual({ path: '/rpc', contract: { contract: document, channel: 'rpc', mode: 'report', replies: true } });
    const client = await connect(fromDocument.mock('rpc').url);
    expect(await client.askJson({ event: 'ping', reqid: 9 })).toEqual({ event: 'pong', reqid: 9 });
    // The mocks bound to the contract server.asyncapi() loaded: one contract in the report.
    expect(server.contractReport().contracts.map((c) => [c.title, c.operations.find((op) => op.id === 'ping')!.count])).toEqual([['Serve RPC', 1]]);
  });
});
