import type { Connection } from '../connections/Connection.js';
import type { WaitForConnectionOptions } from '../connections/ConnectionGroup.js';
import type { BroadcastExcept } from '../connections/ConnectionManager.js';
import type { SendData, SendOptions } from '../connections/types.js';
import { compileMock } from './compile.js';
import { declarative } from './schema.js';
import { compiledOf, groupOf, Mock, type MockKind, type UpdateOptions } from './Mock.js';
import type { WebSocketEnvelope, WebSocketMockConfig } from './types.js';
import { validateMockConfig } from './validate.js';
import { quietWait } from '../util/promise.js';
import type { ChaosOptions } from '../chaos/types.js';
import { validateChaos } from '../chaos/validate.js';
import { isMockOfType } from '../util/brand.js';
import { transcriptOfAll, type TranscriptOptions } from '../connections/transcript.js';
import { contractFields, type ContractConfig } from '../asyncapi/config.js';
import { contractMessage } from '../asyncapi/messageHook.js';

export type { BroadcastExcept, UpdateOptions, WaitForConnectionOptions };

/**
 * A WebSocket endpoint defined on a {@link MockServer}: its config, its live
 * connections, and the operations that change it. Changing a mock closes its
 * connections with 1012 so clients reconnect to the new behaviour.
 *
 * @example
 * ```ts
 * const chat = server.websocket('/ws/chat', { matchers: [...] });
 * const client = new WebSocket(chat.url);
 * const conn = await chat.waitForConnection();
 * await chat.update({ echoMode: true }); // conn is closed with 1012
 * ```
 */
export class WebSocketMock extends Mock<WebSocketMockConfig> {
  /** True for a WebSocket mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'websocket');
  }

  /** The envelope form used by config files and the admin API (in-process functions are left out). */
  override toJSON(): WebSocketEnvelope {
    return super.toJSON() as WebSocketEnvelope;
  }

  /**
   * Resolves with the next connection not yet returned by an earlier call on
   * this handle, including connections that arrived before the call: three
   * calls give the first, second and third connection.
   *
   * It resolves when the server accepts the handshake, which can be before the
   * client's `open` fires: a connection closed at once may then be reported as
   * 1006 by the client. `{ open: true }` resolves once the client has answered
   * a ping (so it has the connection open), as `await conn.ping()` would.
   *
   * @example
   * ```ts
   * const conn = await chat.waitForConnection({ open: true });
   * await conn.close({ code: 4001, reason: 'kicked' }); // the client sees 4001
   * // Parallel tests sharing the server: each takes its own client (`/chat?worker=2`).
   * const mine = await chat.waitForConnection({ query: { worker: '2' } });
   * ```
   */
  waitForConnection(options: WaitForConnectionOptions = {}): Promise<Connection> {
    return quietWait(() => groupOf(this).waitForConnection(options));
  }

  /**
   * Replaces this mock's chaos (over the server's default, key by key), or with
   * `null` turns chaos off for it. Unlike `update()`, nobody is disconnected:
   * the next frame and the next handshake follow it. Throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming the bad field (the running chaos is then
   * unchanged).
   *
   * @example
   * ```ts
   * feed.chaos({ drop: 1, only: { type: 'json', path: '$.type', value: 'tick' } });
   * feed.chaos(null);
   * ```
   */
  chaos(options: ChaosOptions | null): void {
    this.replaceChaos(validateChaos(options, 'mock chaos', []));
  }

  /**
   * Sends `data` to every open connection of this mock (only those in `room`
   * when given, none of `except`). Like every fan-out, synchronous: returns the
   * number of recipients (each frame is handed to its socket before it returns;
   * `await conn.ping()` on one of them proves that client has it).
   *
   * @example
   * ```ts
   * chat.broadcast({ type: 'news', text: 'hello' }, { room: 'general', except: conn });
   * ```
   */
  broadcast(data: SendData, options: SendOptions & { except?: BroadcastExcept; room?: string } = {}): number {
    return this.broadcastFrames(data, options);
  }

  /**
   * The transcript of every connection this mock accepted since the last
   * reset (closed ones too, unless the server releases them), in order of
   * arrival: each headed by `connection N /path` (N counts arrivals from 1;
   * the path without its query) with its lines indented, as
   * {@link Connection.transcript} writes them. Placeholders are numbered
   * across the whole text.
   *
   * @example
   * ```ts
   * expect(chat.transcript()).toMatchSnapshot();
   * ```
   */
  transcript(options?: TranscriptOptions): string {
    return transcriptOfAll(groupOf(this).connections(), options);
  }

  /**
   * On a mock with a `contract` (every mock of `server.asyncapi()`): builds
   * message `key` (its key under `components.messages`, `messageId` or
   * `name`) from the contract, its first example or one generated from its
   * schema with the server's seed, `overrides` deep-merged in, validates it
   * and sends it to every open connection of the mock. Returns the number of
   * recipients. Throws `WSMOCK_ERR_INVALID_ARGUMENT` naming the key, or the
   * JSON path that breaks the schema; then nothing is sent.
   *
   * @example
   * ```ts
   * const [kraken] = (await server.asyncapi('kraken.yaml')).mocks;
   * kraken.sendMessage('heartbeat');
   * kraken.sendMessage('systemStatus', { status: 'maintenance' });
   * ```
   */
  sendMessage(key: string, overrides?: unknown): number {
    return this.broadcast(contractMessage(compiledOf(this), key, overrides) as SendData);
  }
}

/** The envelope fields of a WebSocket mock: in-process hooks (onConnection, onUpstreamMessage, a subprotocols function, handshake.verify) left out, key order kept. */
export function websocketFields(config: WebSocketMockConfig): Record<string, unknown> {
  const { id: _id, name: _name, enabled: _enabled, onConnection: _handler, onUpstreamMessage: _upstreamHandler, ...rest } = config;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'subprotocols' && typeof value === 'function') continue;
    if (key === 'contract' && value !== undefined) {
      fields.contract = contractFields(value as ContractConfig);
      continue;
    }
    if (key === 'handshake' && value !== undefined) {
      const { verify: _verify, ...declarative } = value as NonNullable<WebSocketMockConfig['handshake']>;
      if (Object.keys(declarative).length > 0) fields.handshake = declarative;
      continue;
    }
    fields[key] = value;
  }
  return fields;
}

/** The WebSocket mock kind: `server.websocket()`, envelope `type: websocket`. */
export const websocketKind: MockKind<WebSocketMockConfig, WebSocketMock, undefined> = {
  type: 'websocket',
  carrier: 'websocket',
  declarative: declarative.mockFields,
  validate: validateMockConfig,
  state: () => undefined,
  compile: (id, config, _state, host) => compileMock(id, config, host),
  fields: websocketFields,
  create: (init) => new WebSocketMock(init),
};
