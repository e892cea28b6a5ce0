//
// The HTTP side of a SignalR hub: `POST {path}/negotiate` hands out a
// connection id and token and lists the transports (WebSockets only: the
// mock serves no Server-Sent Events nor long polling), and a WebSocket at
// `{path}?id={token}` must name a token negotiate gave and nobody used yet,
// as the server's 404 "No Connection with that ID" says. A WebSocket with
// no `id` is a client that skipped negotiation.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandshakeRefusal, HandshakeRequest, HandshakeVerifier, KitTransport } from '../../kit/index.js';
import type { SignalRState } from './state.js';

function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
}

function queryOf(url: string | undefined): URLSearchParams {
  return new URL(url ?? '/', 'http://localhost').searchParams;
}

/** A browser's client on another origin gets the CORS answers an app with CORS allowed sends. Returns true when it answered a preflight. */
function allowOrigin(request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-allow-credentials', 'true');
    response.setHeader('vary', 'Origin');
  }
  if (request.method !== 'OPTIONS') return false;
  response.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
  const asked = request.headers['access-control-request-headers'];
  if (asked) response.setHeader('access-control-allow-headers', asked);
  response.writeHead(204).end();
  return true;
}

function text(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
}

/** The transport of one version of a SignalR mock: negotiate, and the check of a WebSocket's token. */
export function signalRTransport(state: SignalRState, verify: HandshakeVerifier | undefined): KitTransport {
  return {
    request(request, response) {
      if (allowOrigin(request, response)) return;
      const method = request.method ?? 'GET';
      if (!pathOf(request.url).endsWith('/negotiate')) {
        // Server-Sent Events and long polling are not served: a client offered only WebSockets never asks for them.
        text(response, 400, 'Connection ID required');
        return;
      }
      if (method !== 'POST') {
        text(response, 405, 'Method Not Allowed: negotiate is a POST', { allow: 'POST, OPTIONS' });
        return;
      }
      // The body (empty from the client) is not read; drained so the socket is reused.
      request.resume();
      const version = Number(queryOf(request.url).get('negotiateVersion') ?? 0);
      const negotiated = state.negotiate(version >= 1);
      const body = {
        negotiateVersion: version >= 1 ? 1 : 0,
        connectionId: negotiated.connectionId,
        ...(version >= 1 ? { connectionToken: negotiated.connectionToken } : {}),
        availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }],
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    verify(request: HandshakeRequest): boolean | HandshakeRefusal | Promise<boolean | HandshakeRefusal> {
      if (request.path.replace(/\/+$/, '').endsWith('/negotiate')) return { status: 404, body: 'negotiate is a POST, not a WebSocket' };
      const token = request.query.id;
      if (token !== undefined && !state.knows(token)) return { status: 404, body: 'No Connection with that ID' };
      return verify ? verify(request) : true;
    },
  };
}
