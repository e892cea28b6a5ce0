// The `asyncapi` scenario: the round-trip load of Kraken's ping → pong
// (`{"event":"ping","reqid":N}` answered with `{"event":"pong","reqid":N}`)
// through a WebSocket mock whose traffic is checked against Kraken's AsyncAPI
// 3.0 contract (every client frame classified and validated, every reply
// validated before it leaves), against the baseline: the SAME mock, with the
// same matcher answering the same pong, and no contract. What the ratio shows
// is what contract checking costs a frame (compiled validators, compiled once).
import { fileURLToPath } from 'node:url';

/** Kraken's contract, as the tests use it. */
export const KRAKEN_CONTRACT = fileURLToPath(new URL('../test/fixtures/asyncapi/kraken-3.0.yaml', import.meta.url));

/** The frame the load sends for round trip `seq`. */
export function asyncapiPing(seq) {
  return JSON.stringify({ event: 'ping', reqid: seq });
}

/**
 * The server side: a mock at `/` answering each ping with its pong (the
 * reqid copied), with the contract's checking on (`wsmock`) or off
 * (`baseline`). The contract is loaded (and its validators compiled) before
 * the server reports ready, so the measured window holds frames only.
 */
export async function asyncapiServer(kind, dist) {
  const { createMockServer, loadAsyncApi } = await import(dist ?? '../dist/index.js');
  const server = await createMockServer({ port: 0 });
  const matchers = [{ match: { type: 'json', path: '$.event', value: 'ping' }, respond: (message) => ({ event: 'pong', reqid: message.json.reqid }) }];
  const contract = kind === 'wsmock' ? { contract: await loadAsyncApi(KRAKEN_CONTRACT) } : undefined;
  const mock = server.websocket({ path: '/', matchers, ...(contract ? { contract } : {}) });
  return { url: mock.url, close: () => server.close() };
}
