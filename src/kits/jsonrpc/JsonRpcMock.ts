import type { WaitForConnectionOptions } from '../../connections/ConnectionGroup.js';
import { compileMock } from '../../mocks/compile.js';
import { groupOf, Mock, stateOf, type MockKind } from '../../mocks/Mock.js';
import { websocketFields } from '../../mocks/WebSocketMock.js';
import type { WebSocketMockConfig } from '../../mocks/types.js';
import { assemble } from '../../pipeline/pipeline.js';
import type { JsonRpcCall } from './JsonRpcCall.js';
import { assertOutgoing, callFilter, describeFilter, type JsonRpcCallFilter, type JsonRpcConnection, type WaitForCallOptions } from './JsonRpcConnection.js';
import { compileMethods } from './methods.js';
import { request } from './protocol.js';
import { jsonRpcFields, validateJsonRpcConfig } from './schema.js';
import { jsonRpcStage } from './stage.js';
import { JsonRpcState } from './state.js';
import type { JsonRpcEnvelope, JsonRpcMockConfig } from './types.js';
import { isMockOfType } from '../../util/brand.js';
import { quietWait } from '../../util/promise.js';

/**
 * A JSON-RPC 2.0 endpoint over WebSocket, defined with `server.jsonrpc()`:
 * requests, notifications and batches answered from its `methods`, with the
 * specification's errors for everything else. It has the lifecycle of every
 * mock (`update()` closes its clients with 1012, `disable()`, `remove()`).
 *
 * @example
 * ```ts
 * const rpc = server.jsonrpc('/rpc', { methods: {
 *   add: ([a, b]) => a + b,
 *   version: { result: '1.2.0' },
 *   confirm: { manual: true },
 * } });
 * const conn = await rpc.waitForConnection();
 * const call = await conn.waitForCall('confirm');
 * call.respond(true);
 * ```
 */
export class JsonRpcMock extends Mock<JsonRpcMockConfig> {
  /** True for a JSON-RPC mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'jsonrpc');
  }

  /** The envelope form used by config files and the admin API (in-process methods are left out). */
  override toJSON(): JsonRpcEnvelope {
    return super.toJSON() as JsonRpcEnvelope;
  }

  /**
   * Resolves with the next connection not yet returned by an earlier call on
   * this handle (including connections that arrived before the call), as a
   * {@link JsonRpcConnection}. `{ open: true }` resolves once the client has
   * answered a ping (see {@link WaitForConnectionOptions.open}).
   */
  waitForConnection(options: WaitForConnectionOptions = {}): Promise<JsonRpcConnection> {
    return quietWait(async () => stateOf<JsonRpcState>(this).handle(await groupOf(this).waitForConnection(options)));
  }

  /**
   * Every call on this mock, all connections, requests and notifications, in
   * arrival order: with the server's `journal.limit`, the latest that many per
   * connection; with `journal.releaseClosed`, none of closed connections.
   */
  get calls(): JsonRpcCall[] {
    return [...stateOf<JsonRpcState>(this).calls.all];
  }

  /**
   * Resolves with the next call on any connection of this mock not yet
   * returned by an earlier `waitForCall` on the mock (the connections' own
   * `waitForCall` keep their own place), to `method` when given.
   *
   * @example
   * ```ts
   * const call = await rpc.waitForCall('checkout');
   * call.fail({ code: -32000, message: 'card declined' });
   * ```
   */
  waitForCall(method?: JsonRpcCallFilter, options: WaitForCallOptions = {}): Promise<JsonRpcCall> {
    const filter = callFilter(method);
    return stateOf<JsonRpcState>(this).calls.next({
      what: `${describeFilter(method)} on mock "${this.id}" (${this.path})`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /** Sends a notification to every open connection of the mock. Like every fan-out, synchronous: returns the number of recipients. */
  notify(method: string, params?: unknown[] | Record<string, unknown>): number {
    assertOutgoing(method, params, 'notify(method, params)');
    return this.broadcastFrames(request(method, params), {});
  }
}

/** The WebSocket side of a JSON-RPC mock: its path, limits and handshake, nothing answering frames. */
function websocketConfig(config: JsonRpcMockConfig): WebSocketMockConfig {
  const { methods: _methods, unknownMethods: _unknown, ...websocket } = config;
  return { ...websocket, echoMode: false };
}

/** The JSON-RPC mock kind: `server.jsonrpc()`, envelope `type: jsonrpc`. */
export const jsonRpcKind: MockKind<JsonRpcMockConfig, JsonRpcMock, JsonRpcState> = {
  type: 'jsonrpc',
  defaultPath: '/rpc',
  carrier: 'websocket',
  declarative: jsonRpcFields,
  validate: validateJsonRpcConfig,
  state: (group) => new JsonRpcState(group),
  compile(id, config, state, host) {
    const compiled = compileMock(id, websocketConfig(config), host);
    const stage = jsonRpcStage({ methods: compileMethods(config.methods), unknownMethods: config.unknownMethods ?? 'error', state, host });
    return { ...compiled, runtime: { ...compiled.runtime, pipeline: assemble([stage], host) } };
  },
  fields(config) {
    const fields = websocketFields(websocketConfig(config));
    delete fields.echoMode;
    const methods = Object.entries(config.methods ?? {}).filter(([, method]) => typeof method !== 'function');
    return {
      ...fields,
      ...(config.methods !== undefined ? { methods: Object.fromEntries(methods) } : {}),
      ...(config.unknownMethods !== undefined ? { unknownMethods: config.unknownMethods } : {}),
    };
  },
  create: (init) => new JsonRpcMock(init),
};

