//
// The SSE mock's handle (`server.sse()`). Its streams are connections of the
// one connection manager, over the SSE transport; the kit itself is kit.ts.
//
import { deliver, KitMock, type Connection } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import type { SseConnection } from './SseConnection.js';
import type { SseEnvelope, SseEventInit, SseMockConfig } from './types.js';
import { eventText, wireFrame } from './wire.js';

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
export class SseMock extends KitMock<SseMockConfig, SseConnection> {
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

  /** A stream's handle is its connection: an {@link SseConnection}. */
  protected override handleOf(connection: Connection): SseConnection {
    return connection as SseConnection;
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
    for (const connection of this.connectionGroup.open) {
      if (!connection.isOpen) continue;
      deliver(connection, frame);
      recipients++;
    }
    return recipients;
  }
}
