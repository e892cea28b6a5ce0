//
// Opening a proxy connection's upstream while the client's handshake is held
// (the proxy layer, layer.ts, holds it): which headers and subprotocols go upstream,
// and what the client gets when the upstream refuses or cannot be reached.
//
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Connection } from '../connections/Connection.js';
import type { HandshakeRefusal } from '../mocks/types.js';
import { dialUpstream } from '../transport/wsUpstream.js';
import type { ProxyConfig } from './types.js';
import { UpstreamLink } from './UpstreamLink.js';
import { parseDuration } from '../util/duration.js';

/** How long the upstream may take to answer the handshake (refusal body included) before the client gets 502, unless `proxy.handshakeTimeout` says. */
export const UPSTREAM_HANDSHAKE_TIMEOUT = 10_000;
/** How long an upstream close handshake may take before its socket is dropped. */
export const UPSTREAM_CLOSE_TIMEOUT = 2_000;

/** Headers of the client's handshake that never go upstream: ws writes its own. */
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'upgrade',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'proxy-connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'sec-websocket-accept',
]);

/** An upstream that accepted: the client is accepted with its subprotocol, then adopts it. */
export interface UpstreamReady {
  /** The subprotocol the upstream chose, or `''`. */
  readonly protocol: string;
  /** The accepted client's connection takes the upstream (before its pipeline starts). */
  adopt(connection: Connection): void;
  /** The client was not accepted: close the upstream. Does nothing once adopted. */
  discard(): void;
}

/** How the upstream handshake ended, for the client's handshake. */
export type UpstreamOutcome = { ready: UpstreamReady } | { refusal: Required<Pick<HandshakeRefusal, 'status' | 'body'>> };

/** An upstream handshake under way for one client. */
export interface PendingUpstream {
  readonly outcome: Promise<UpstreamOutcome>;
  /** The client left or the server closed: abandon the handshake, or close the upstream if it opened. */
  abort(): void;
  /** Resolves once the upstream socket is gone (the server's UpstreamOwner waits for it). */
  readonly gone: Promise<void>;
}

/** Opens the upstream of one client handshake. */
export type UpstreamDialer = (request: IncomingMessage, offered: string[]) => PendingUpstream;

/** The headers the upstream handshake carries: the forwarded ones, then `proxy.headers`. */
export function upstreamHeaders(proxy: ProxyConfig, client: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  const forward = proxy.forwardHeaders ?? false;
  if (forward !== false) {
    const names = forward === true ? Object.keys(client).filter((n) => !HOP_BY_HOP.has(n)) : forward.map((n) => n.toLowerCase());
    for (const name of names) {
      const value = client[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return { ...headers, ...proxy.headers };
}

/** The dialer of a proxy mock version. */
export function compileDialer(proxy: ProxyConfig, options: { maxPayload: number }): UpstreamDialer {
  const { url } = proxy;
  const handshakeTimeout = parseDuration(proxy.handshakeTimeout) ?? UPSTREAM_HANDSHAKE_TIMEOUT;
  return (request, offered) => {
    let link: UpstreamLink | undefined;
    const dial = dialUpstream(
      url,
      {
        protocols: proxy.subprotocols ?? offered,
        headers: upstreamHeaders(proxy, request.headers),
        maxPayload: options.maxPayload,
        handshakeTimeout,
        closeTimeout: UPSTREAM_CLOSE_TIMEOUT,
      },
      (transport) => (link = new UpstreamLink(url, transport, proxy.dropClose)),
    );
    const outcome = dial.outcome.then((result): UpstreamOutcome => {
      if (result.kind === 'open') {
        const opened = result.opened;
        return { ready: { protocol: opened.protocol, adopt: (connection) => opened.adopt(connection), discard: () => opened.discard() } };
      }
      if (result.kind === 'refused') {
        const status = result.status >= 400 && result.status <= 599 ? result.status : 502;
        return { refusal: { status, body: { error: 'upstream_refused', status: result.status, upstream: url, body: result.body } } };
      }
      const { error } = result;
      return {
        refusal: { status: 502, body: { error: 'upstream_unreachable', upstream: url, cause: error.message, ...(error.code ? { code: error.code } : {}) } },
      };
    });
    return {
      outcome,
      gone: dial.gone,
      abort: () => {
        if (link) link.discard();
        else dial.abort();
      },
    };
  };
}
