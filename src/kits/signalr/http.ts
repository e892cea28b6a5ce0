//
// The HTTP side of a SignalR hub: `POST {path}/negotiate` hands out a
// connection id and token and lists the transports (WebSockets and long
// polling; Server-Sent Events are not served), a WebSocket at
// `{path}?id={token}` must name a token negotiate gave and nobody used yet,
// as the server's 404 "No Connection with that ID" says, and long polling
// is GET (poll), POST (send) and DELETE (leave) on `{path}?id={token}`. A
// WebSocket with no `id` is a client that skipped negotiation.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowCrossOrigin, type ConnectTransport, type HandshakeRefusal, type HandshakeRequest, type HandshakeVerifier, type KitTransport } from '../../kit/index.js';
import { SignalRLongPolling } from './LongPolling.js';
import type { SignalRState } from './state.js';
import type { SignalRTransportName } from './types.js';

function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
}

function queryOf(url: string | undefined): URLSearchParams {
  return new URL(url ?? '/', 'http://localhost').searchParams;
}

function text(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
}

/** Reads a POST body up to `limit` bytes; undefined when larger, or when the client went away mid-body. */
function readBody(request: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (body: Buffer | undefined) => {
    if (settled) return;
    settled = true;
    done(body);
  };
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) settle(undefined);
    else chunks.push(chunk);
  });
  request.on('end', () => settle(Buffer.concat(chunks)));
  request.on('error', () => settle(undefined));
  request.on('close', () => settle(undefined));
}

/** What a SignalR mock's transport needs from its version. */
export interface SignalRTransportOptions {
  readonly state: SignalRState;
  readonly transports: readonly SignalRTransportName[];
  /** The largest POST body, bytes. */
  readonly maxBody: number;
  /** The config's own `handshake.verify`, after the token check. */
  readonly verify: HandshakeVerifier | undefined;
}

/** The transport of one version of a SignalR mock: negotiate, long polling, and the check of a WebSocket's token. */
export function signalRTransport({ state, transports, maxBody, verify }: SignalRTransportOptions): KitTransport {
  const longPolling = transports.includes('LongPolling');

  const negotiate = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') {
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
      availableTransports: transports.map((transport) => ({ transport, transferFormats: ['Text', 'Binary'] })),
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const poll = (request: IncomingMessage, response: ServerResponse, connect: ConnectTransport, token: string) => {
    const method = request.method ?? 'GET';
    const existing = state.longPolls.get(token);
    if (!existing && !(method === 'GET' && state.knows(token))) {
      text(response, 404, 'No Connection with that ID');
      return;
    }
    if (!existing) {
      // The first poll opens the connection and is answered at once, as the server answers it.
      const transport = new SignalRLongPolling(request.socket.remoteAddress ?? '', () => state.longPolls.delete(token));
      state.longPolls.set(token, transport);
      connect(transport);
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': 0 }).end();
      return;
    }
    if (method === 'GET') return existing.poll(response);
    if (method === 'DELETE') {
      existing.leave();
      text(response, 202, '');
      return;
    }
    if (method !== 'POST') {
      text(response, 405, 'Method Not Allowed', { allow: 'GET, POST, DELETE' });
      return;
    }
    readBody(request, maxBody, (body) => {
      if (body === undefined) {
        if (!response.destroyed) text(response, 413, `the body is over ${maxBody} bytes`, { connection: 'close' });
        return;
      }
      existing.post(body, String(request.headers['content-type'] ?? '').includes('octet-stream'));
      text(response, 200, '');
    });
  };

  return {
    request(request, response, connect) {
      if (allowCrossOrigin(request, response, { methods: 'GET, POST, DELETE' })) return;
      if (pathOf(request.url).endsWith('/negotiate')) return negotiate(request, response);
      const token = queryOf(request.url).get('id');
      if (token === null) return text(response, 400, 'Connection ID required');
      // Server-Sent Events are not served: a client offered WebSockets and long polling never asks for them.
      if (!longPolling || request.headers.accept === 'text/event-stream') return text(response, 404, 'No Connection with that ID');
      poll(request, response, connect, token);
    },
    verify(request: HandshakeRequest): boolean | HandshakeRefusal | Promise<boolean | HandshakeRefusal> {
      if (request.path.replace(/\/+$/, '').endsWith('/negotiate')) return { status: 404, body: 'negotiate is a POST, not a WebSocket' };
      if (!transports.includes('WebSockets')) return { status: 404, body: 'WebSockets are not a transport of this hub' };
      const token = request.query.id;
      if (token !== undefined && !state.knows(token)) return { status: 404, body: 'No Connection with that ID' };
      return verify ? verify(request) : true;
    },
  };
}
