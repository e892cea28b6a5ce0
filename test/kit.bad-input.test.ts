//
// Issue 22 item 7: input that once took the server down or left a client
// hanging in the protocol kits. A payload nested 5,000 deep parses (JSON.parse
// does not recurse) but cannot be serialised back (JSON.stringify does): a kit
// answering with it must send the protocol's error to that client, report it,
// and leave the server and every other connection as they were.
//
import { describe, expect, it } from 'vitest';
import { connect, type TestClient } from './helpers/client.js';
import { graphqlClient, subscribe, useGraphQLClients } from './helpers/graphql.js';
import { noUnhandledRejections } from './helpers/failures.js';
import { rpcClient } from './helpers/rpc.js';
import { useMockServer, useServers } from './helpers/server.js';

const server = useMockServer();
const start = useServers();
useGraphQLClients();

const DEPTH = 5000;
/** A JSON value nested DEPTH arrays deep, as text (a client's JSON.stringify could not write it either). */
const DEEP = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;

/** Server `error` events of the test. */
function serverErrors(): Error[] {
  const errors: Error[] = [];
  server.on('error', (error) => errors.push(error));
  return errors;
}

noUnhandledRejections();

describe('issue 22 item 7: a deep payload through an async answer', () => {
  it('GraphQL: "{{variables.x}}" with a variable 5,000 deep fails that operation with an error, and another client is served', async () => {
    const gql = server.graphql('/graphql', { operations: { Echo: { data: { echo: '{{variables.x}}' } } } });
    const errors = serverErrors();
    const raw = await connect(gql.url, { protocols: ['graphql-transport-ws'] });
    expect(await raw.askJson({ type: 'connection_init' })).toEqual({ type: 'connection_ack' });
    void raw.send(`{"type":"subscribe","id":"deep","payload":{"query":"query Echo($x: JSON) { echo(x: $x) }","variables":{"x":${DEEP}}}}`);
    expect(await raw.nextJson()).toEqual({ type: 'error', id: 'deep', payload: [{ message: expect.stringMatching(/call stack/i) }] });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/call stack/i)]);
    // The same socket and another client go on.
    expect(await raw.askJson({ type: 'subscribe', id: 'flat', payload: { query: 'query Echo { echo }', variables: { x: 1 } } })).toEqual({
      type: 'next',
      id: 'flat',
      payload: { data: { echo: 1 } },
    });
    const other = subscribe(graphqlClient(gql.url), { query: 'query Echo { echo }', variables: { x: 'fine' } });
    expect(await other.results$(1)).toEqual([{ data: { echo: 'fine' } }]);
  });

  it('JSON-RPC: a delayed "{{params.x}}" answer with params 5,000 deep answers -32603 with the id, and another client is served', async () => {
    const rpc = server.jsonrpc('/rpc', { methods: { echo: { result: '{{params.x}}', delay: '10ms' } } });
    const errors = serverErrors();
    const raw = await connect(rpc.url);
    const answer = await raw.askJson(`{"jsonrpc":"2.0","id":7,"method":"echo","params":{"x":${DEEP}}}`);
    expect(answer).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32603, message: 'Internal error', data: expect.stringMatching(/could not be serialised as JSON: Maximum call stack/) } });
    expect(errors).toHaveLength(1);
    const other = await rpcClient(rpc.url);
    await expect(other.call('echo', { x: [1, 2] })).resolves.toEqual([1, 2]);
  });

  it('JSON-RPC: an async handler returning its params 5,000 deep answers -32603 with the id, and another client is served', async () => {
    const rpc = server.jsonrpc('/rpc', { methods: { echo: async (params) => params } });
    const raw = await connect(rpc.url);
    const answer = await raw.askJson(`{"jsonrpc":"2.0","id":"a","method":"echo","params":[${DEEP}]}`);
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: 'a', error: { code: -32603 } });
    const call = await rpc.waitForCall('echo');
    expect(call.outcome).toEqual({ error: answer.error });
    const other = await rpcClient(rpc.url);
    await expect(other.call('echo', [1])).resolves.toEqual([1]);
  });

  it('JSON-RPC: in a batch, only the entry that cannot be serialised becomes -32603', async () => {
    const rpc = server.jsonrpc('/rpc', { methods: { echo: async (params) => params } });
    const raw = await connect(rpc.url);
    const answer = await raw.askJson(`[{"jsonrpc":"2.0","id":1,"method":"echo","params":[${DEEP}]},{"jsonrpc":"2.0","id":2,"method":"echo","params":[2]}]`);
    expect(answer).toEqual([
      { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'Internal error', data: expect.any(String) } },
      { jsonrpc: '2.0', id: 2, result: [2] },
    ]);
  });
});

describe('issue 22 item 7: a client left hanging', () => {
  it('JSON-RPC: deep params to a method answering at once get -32603 with the id (not only an error event)', async () => {
    const rpc = server.jsonrpc('/rpc', { methods: { echo: { result: '{{params.x}}' } } });
    const raw: TestClient = await connect(rpc.url);
    const answer = await raw.askJson(`{"jsonrpc":"2.0","id":3,"method":"echo","params":{"x":${DEEP}}}`);
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: 3, error: { code: -32603, message: 'Internal error' } });
    expect(await raw.askJson({ jsonrpc: '2.0', id: 4, method: 'echo', params: { x: 'ok' } })).toEqual({ jsonrpc: '2.0', id: 4, result: 'ok' });
  });
});

describe('issue 22 item 7: GraphQL operations never completed are bounded by journal.limit', () => {
  it('ends the oldest running operation of a connection with an error beyond the limit; the connection goes on', async () => {
    const bounded = await start({ journal: { limit: 3 } });
    const gql = bounded.graphql('/graphql', { operations: { Now: { data: { now: 1 } } } });
    const client = graphqlClient(gql.url);
    const sinks = [];
    for (let i = 0; i < 5; i++) {
      sinks.push(subscribe(client, { query: 'subscription OnTick { tick }', variables: { n: i } }));
      await gql.waitForOperation({ operationName: 'OnTick' });
    }
    // The two oldest were ended with an error naming the limit; the three newest still run.
    for (const sink of sinks.slice(0, 2)) {
      expect(await sink.done).toEqual([{ message: expect.stringMatching(/^Too many operations running on this connection: more than journal\.limit \(3\); the oldest, .+, was ended$/) }]);
    }
    expect(gql.operations.map((op) => op.variables.n)).toEqual([2, 3, 4]);
    expect(gql.publish('OnTick', { tick: 1 })).toBe(3);
    for (const sink of sinks.slice(2)) expect(await sink.results$(1)).toEqual([{ data: { tick: 1 } }]);
    // The same connection still answers.
    const now = subscribe(client, { query: 'query Now { now }' });
    expect(await now.results$(1)).toEqual([{ data: { now: 1 } }]);
  });
});
