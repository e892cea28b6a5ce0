//
// Issue 26, tested against a real API's contract: Gemini's public market-data
// WebSocket API, in AsyncAPI 2.6 and 3.0: one channel per symbol
// (`/v1/marketdata/{symbol}`, a parameter with an enum), filtered by the
// handshake's query string (the `ws` binding's `query`), on two `wss`
// servers. The server only sends: the test pushes updates and heartbeats by
// their message key, built from the contract.
//
import { describe, expect, it } from 'vitest';
import type { ContractViolation, MockServer } from '../src/index.js';
import { connect, startClient } from './helpers/client.js';
import { fixture, VERSIONS } from './helpers/asyncapiFixtures.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer({ seed: 7 });

function nextViolation(on: MockServer): Promise<ContractViolation> {
  return new Promise((resolve) => on.once('contract:violation', (violation) => resolve(violation)));
}

/** The contract's first example of `marketData` (an update with one change). */
const UPDATE = {
  type: 'update',
  eventId: 5375547515,
  timestamp: 1547760288,
  timestampms: 1547760288001,
  socket_sequence: 15,
  events: [{ type: 'change', side: 'bid', price: '3641.61', remaining: '0.83372051', delta: '0.83372051', reason: 'place' }],
};

describe.each(VERSIONS)('issue 26: Gemini market data API, AsyncAPI %s contract', (version) => {
  const file = fixture(`gemini-${version}.yaml`);

  it('serves the channel of its wss servers at a path with the {symbol} parameter', async () => {
    const api = await server.asyncapi(file);
    expect(api.contract.servers.map((s) => [s.name, s.protocol])).toEqual([
      ['production', 'wss'],
      ['sandbox', 'wss'],
    ]);
    expect(api.mocks.map((m) => m.path)).toEqual(['/v1/marketdata/:symbol']);
    expect(api.mock('/v1/marketdata/:symbol')).toBe(api.mocks[0]);
    const client = await connect(`${server.url}/v1/marketdata/btcusd?heartbeat=true&top_of_book=false`);
    const conn = await api.mocks[0]!.waitForConnection();
    expect(conn.params).toEqual({ symbol: 'btcusd' });
    expect(conn.violations).toEqual([]);
    await client.close();
  });

  it("pushes the contract's marketData (first example, overrides merged) and heartbeat to a client; both fit", async () => {
    const api = await server.asyncapi(file);
    const client = await connect(`${server.url}/v1/marketdata/ethusd?heartbeat=true`);
    const conn = await api.mocks[0]!.waitForConnection();
    api.sendMessage('marketData', { socket_sequence: 0 });
    expect(await client.nextJson()).toEqual({ ...UPDATE, socket_sequence: 0 });
    api.mocks[0]!.sendMessage('heartbeat', { socket_sequence: 1 });
    expect(await client.nextJson()).toEqual({ type: 'heartbeat', socket_sequence: 1 });
    expect(conn.violations).toEqual([]);
    const [report] = server.contractReport().contracts;
    expect(report!.messages.filter((m) => m.seen).map((m) => m.key).sort()).toEqual(['heartbeat', 'marketData']);
  });

  it('a message is also found by its name (update) or messageId', async () => {
    const api = await server.asyncapi(file);
    expect(api.contract.message('update')?.key).toBe('marketData');
    if (version === '2.6') expect(api.contract.message('marketData')?.messageId).toBe('marketData');
  });

  it('a symbol outside the parameter enum is a handshake violation at $.parameters.symbol', async () => {
    const api = await server.asyncapi(file);
    const violated = nextViolation(server);
    await connect(`${server.url}/v1/marketdata/btcjpy`);
    const violation = await violated;
    expect(violation).toMatchObject({ direction: 'in', handshake: 'parameters' });
    expect(violation.errors).toEqual([expect.objectContaining({ path: '$.parameters.symbol', keyword: 'enum' })]);
    const conn = await api.mocks[0]!.waitForConnection();
    expect(conn.violations).toEqual([violation]);
  });

  it('a query the ws binding does not allow is a handshake violation naming the query field', async () => {
    await server.asyncapi(file);
    const violated = nextViolation(server);
    await connect(`${server.url}/v1/marketdata/btcusd?heartbeat=sometimes&depth=5`);
    const violation = await violated;
    expect(violation.handshake).toBe('query');
    expect(violation.errors.map((e) => [e.path, e.keyword]).sort()).toEqual([
      ['$.query.depth', 'additionalProperties'],
      ['$.query.heartbeat', 'type'],
    ]);
  });

  it('in strict mode such a handshake is refused with 400', async () => {
    const api = await server.asyncapi(file, { contract: 'strict' });
    const refused = startClient(`${server.url}/v1/marketdata/btcjpy`);
    await expect(refused.opened).rejects.toMatchObject({ status: 400 });
    expect(api.mocks[0]!.connections).toEqual([]);
  });

  it('an update the server sends without its eventId is an outbound violation at $.eventId', async () => {
    const api = await server.asyncapi(file);
    await connect(`${server.url}/v1/marketdata/btcusd`);
    const conn = await api.mocks[0]!.waitForConnection();
    const violated = nextViolation(server);
    await conn.send({ type: 'update', socket_sequence: 2, events: [] });
    const violation = await violated;
    expect(violation).toMatchObject({ direction: 'out', message: 'marketData' });
    expect(violation.errors).toEqual([{ path: '$.eventId', keyword: 'required', message: 'is required' }]);
  });

  it('{ server } picks one server: its channels are served', async () => {
    const api = await server.asyncapi(file, { server: 'sandbox' });
    expect(api.mocks.map((m) => m.path)).toEqual(['/v1/marketdata/:symbol']);
  });
});
