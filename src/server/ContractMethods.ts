//
// The AsyncAPI methods of the server: `server.asyncapi()` makes WebSocket
// mocks from a contract (asyncapi/mocks.ts), `server.contractReport()` says
// what the traffic covered. MockServer extends this class and supplies the
// contract layer; no AsyncAPI runtime is loaded from here.
//
import type { AsyncApiMocks, AsyncApiOptions } from '../asyncapi/mocks.js';
import { serveContract } from '../asyncapi/mocks.js';
import type { ContractLayer } from '../asyncapi/layer.js';
import type { AsyncApiContract } from '../asyncapi/model.js';
import type { ContractReport } from '../asyncapi/report.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import type { WebSocketMock } from '../mocks/WebSocketMock.js';
import { KitFactories } from './KitFactories.js';

type LayerOf = (server: ContractMethods) => ContractLayer;
let layerOf: LayerOf;

/** Called once by MockServer: how the methods reach a server's contract layer. */
export function provideContractLayer(impl: LayerOf): void {
  layerOf = impl;
}

/** The AsyncAPI methods of {@link MockServer}. */
export abstract class ContractMethods extends KitFactories {
  /** Defines a WebSocket mock (see {@link MockServer.websocket}). */
  abstract websocket(config: WebSocketMockConfig): WebSocketMock;

  /**
   * Serves an AsyncAPI contract (2.6 or 3.0; a file, a document object, or a
   * contract from `loadAsyncApi()`): one WebSocket mock per channel address
   * (`{param}` becomes `:param`; channels that share an address are one
   * mock). A received message whose operation declares a reply is answered
   * with the reply's message (its first example, else generated from its
   * schema with the server's seed), the correlation id copied;
   * `options.replies` overrides per operation. Every frame both ways is
   * checked against the contract (`conn.violations`, the
   * `contract:violation` event, `stats()`); `options.contract: 'strict'`
   * answers a bad client frame with the declared error or closes with 1008.
   * Rejects `WSMOCK_ERR_INVALID_CONFIG` for an invalid contract (before any
   * mock is defined) and `WSMOCK_ERR_INVALID_ARGUMENT` for bad options.
   *
   * @example
   * ```ts
   * const kraken = await server.asyncapi('kraken.asyncapi.yaml', { replies: { ping: (p) => ({ event: 'pong', reqid: p.reqid }) } });
   * const ws = new WebSocket(kraken.mocks[0].url);
   * ws.send(JSON.stringify({ event: 'subscribe', reqid: 7, pair: ['XBT/USD'], subscription: { name: 'ticker' } }));
   * // ← {"event":"subscriptionStatus","reqid":7,…}
   * kraken.sendMessage('heartbeat');
   * ```
   */
  async asyncapi(contract: string | AsyncApiContract | Record<string, unknown>, options?: AsyncApiOptions): Promise<AsyncApiMocks> {
    return serveContract({ layer: layerOf(this), websocket: (config) => this.websocket(config) }, contract, options);
  }

  /**
   * What the traffic of the server's contract mocks covered, per contract:
   * each channel, operation and message with `seen`, `count` and
   * `violations`, and the channels the contract skipped, with why. JSON as it
   * is (`JSON.stringify(server.contractReport())`); `reset()` clears it.
   *
   * @example
   * ```ts
   * const report = server.contractReport();
   * report.contracts[0].operations.filter((op) => !op.seen).map((op) => op.id); // what the test never used
   * ```
   */
  contractReport(): ContractReport {
    return layerOf(this).service.report();
  }
}
