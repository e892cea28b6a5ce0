// The public shape of a proxy mock's `proxy` field (the mock's other proxy
// fields, `intercept` and `onUpstreamMessage`, are in mocks/types.ts).
import type { Duration } from '../util/duration.js';

/** How the client is closed when the upstream drops without a close frame. */
export interface UpstreamDropClose {
  /** Close code sent to the client, default 1014 ("bad gateway"). */
  code?: number;
  /** Close reason sent to the client, default `"upstream dropped"`. */
  reason?: string;
}

/**
 * Where a proxy mock forwards its clients: each accepted client gets its own
 * connection to `url`, opened during the client's handshake.
 *
 * @example
 * ```ts
 * server.websocket({
 *   path: '/feed',
 *   proxy: { url: 'wss://staging.example.com/feed', forwardHeaders: ['authorization'] },
 *   matchers: [{ match: { type: 'json', path: '$.type', value: 'ping' }, response: { type: 'json', value: { type: 'pong' } } }],
 * });
 * ```
 */
export interface ProxyConfig {
  /** The upstream WebSocket URL: `ws:` or `wss:`. */
  url: string;
  /** Headers added to every upstream handshake (after the forwarded ones, so they win). */
  headers?: Record<string, string>;
  /**
   * Which headers of the client's handshake go to the upstream: a list of
   * names (any case), or `true` for all of them except the hop-by-hop and
   * WebSocket handshake headers (`host`, `connection`, `upgrade`,
   * `sec-websocket-*`, `content-length`). Default: none.
   */
  forwardHeaders?: string[] | boolean;
  /**
   * The subprotocols offered to the upstream. Default: those the client
   * offered. Whichever the upstream picks is the client's subprotocol.
   */
  subprotocols?: string[];
  /**
   * How long the upstream may take to answer the handshake, refusal body
   * included, before the client gets 502 (`upstream_unreachable`, code
   * `ETIMEDOUT`). Default 10 s.
   */
  handshakeTimeout?: Duration;
  /**
   * What the client gets when the upstream drops without a close frame (1006,
   * a reset, a protocol error): a close with this code and reason (default
   * `{ code: 1014, reason: 'upstream dropped' }`), or `'terminate'` to drop the
   * client's socket the same way. A close frame from the upstream is always
   * mirrored as it came.
   */
  dropClose?: UpstreamDropClose | 'terminate';
}
