//
// The SSE mock: its handle (`server.sse()`) and its kind (how its config is
// validated, compiled and written as an envelope). Its streams are
// connections of the one connection manager, over the SSE transport.
//
import type { WaitForConnectionOptions } from '../../connections/ConnectionGroup.js';
import { deliver } from '../../connections/Connection.js';
import { groupOf, Mock, type MockKind } from '../../mocks/Mock.js';
import { compilePath } from '../../mocks/router.js';
import { assemble } from '../../pipeline/pipeline.js';
import { sseTransport } from './http.js';
import { sseEnvelopeFields, sseFields, validateSseConfig } from './schema.js';
import type { SseConnection } from './SseConnection.js';
import { compileFeed, sseStage } from './stage.js';
import type { SseEnvelope, SseEventInit, SseMockConfig } from './types.js';
import { eventText, wireFrame } from './wire.js';
import { isMockOfType } from '../../util/brand.js';

import { quietWait } from '../../util/promise.js';

/**
 * A Server-Sent Events endpoint defined with `server.sse()`: every GET on its
 * path opens a stream (an {@link SseConnection}) that gets the configured
 * events. It has the lifecycle of every mock: `update()`, `disable()` and
 * `remove()` end its streams (clients reconnect to the new behaviour),
 * `enable()` accepts them again.
 *
 * @example
 * ```ts
 * const prices = server.sse('/prices', {
 *   retry: 1000,
 *   events: [{ event: 'price', id: '{{sequence}}', data: { symbol: 'ACME', price: 12 } }],
 * });
 * const source = new EventSource(prices.url);
 * const conn = await prices.waitForConnection();
 * prices.broadcast({ event: 'price', data: { symbol: 'ACME', price: 13 } });
 * ```
 */
export class SseMock extends Mock<SseMockConfig> {
  /** True for an SSE mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'sse');
  }

  /**
   * `http://host:port` plus the path (`https://` with `tls`): what
   * `new EventSource(url)` takes. The same as {@link SseMock.httpUrl}.
   */
  override get url(): string {
    return this.httpUrl;
  }

  /** The open streams, in arrival order. */
  override get connections(): SseConnection[] {
    return super.connections as SseConnection[];
  }

  /** The envelope form used by config files and the admin API (`onConnection` is left out). */
  override toJSON(): SseEnvelope {
    return super.toJSON() as SseEnvelope;
  }

  /**
   * Resolves with the next stream not yet returned by an earlier call on this
   * handle, including streams opened before the call. `{ open: true }`: once
   * the response head is written to the socket (see {@link WaitForConnectionOptions.open}).
   */
  waitForConnection(options: WaitForConnectionOptions = {}): Promise<SseConnection> {
    return quietWait(() => groupOf(this).waitForConnection(options) as Promise<SseConnection>);
  }

  /**
   * Sends one event to every open stream of this mock (formatted once). Like
   * every fan-out, synchronous: returns the number of recipients. Takes what
   * {@link SseConnection.send} takes.
   *
   * @example
   * ```ts
   * feed.broadcast({ event: 'news', data: { title: 'hello' } });
   * feed.broadcast('plain text');
   * ```
   */
  broadcast(event: SseEventInit | unknown): number {
    // Not the manager's broadcastTo(): it encodes data as a WebSocket frame,
    // which the SSE stage would wrap as one more event. Here the wire text is
    // made once and the same frame goes to every stream.
    const frame = wireFrame(eventText(event));
    let recipients = 0;
    for (const connection of groupOf(this).open) {
      if (!connection.isOpen) continue;
      deliver(connection, frame);
      recipients++;
    }
    return recipients;
  }
}

/** The SSE mock kind: `server.sse()`, envelope `type: sse`. */
export const sseKind: MockKind<SseMockConfig, SseMock, undefined> = {
  type: 'sse',
  defaultPath: '/events',
  carrier: 'sse',
  declarative: sseFields,
  validate: validateSseConfig,
  state: () => undefined,
  compile(id, config, _state, host) {
    const stage = sseStage(compileFeed(config), host);
    return {
      runtime: { id, path: config.path, idleTimeout: undefined, heartbeat: undefined, pipeline: assemble([stage], { report: host.report }) },
      pattern: compilePath(config.path),
      maxPayload: 0,
      subprotocols: [],
      requireSubprotocol: false,
      maxConnections: Number.POSITIVE_INFINITY,
      // A WebSocket handshake on an SSE path is refused before any upgrade.
      handshake: {
        status: 400,
        headers: {},
        body: { error: 'sse_endpoint', path: config.path, message: 'This path serves Server-Sent Events: open it with a GET (EventSource), not a WebSocket.' },
        delay: 0,
        verify: undefined,
      },
      transport: sseTransport(config),
    };
  },
  fields: sseEnvelopeFields,
  create: (init) => new SseMock(init),
};
