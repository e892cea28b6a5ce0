//
// A STOMP mock's SockJS endpoint (`sockjs: true`), under the mock's path as
// Spring's `withSockJS()` serves it:
//   GET  {path}/info                           the server's info (websocket, origins, cookie_needed, entropy)
//   GET  {path}                                "Welcome to SockJS!"
//   WS   {path}/{server}/{session}/websocket   SockJS frames over a WebSocket
//   WS   {path}/websocket                      STOMP over a raw WebSocket
//   POST {path}/{server}/{session}/xhr         a poll (the first one opens the session)
//   POST {path}/{server}/{session}/xhr_streaming   a streaming receiver
//   POST {path}/{server}/{session}/xhr_send    messages from the client
// A WebSocket on the mock's own path is STOMP without SockJS, as before.
// Without `sockjs`, the subpaths are refused (404) and HTTP gets the seam's answer.
//
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowCrossOrigin, type HandshakeRefusal, type HandshakeRequest, type KitTransport } from '../../../kit/index.js';
import { parseDuration } from '../../../util/duration.js';
import type { StompMockConfig, StompSockJsOptions } from '../types.js';
import { parseMessages } from './framing.js';
import { SockJsHttpSession, type SockJsSessions, type SockJsTimings } from './SockJsHttpSession.js';
import { SockJsWebSocket } from './SockJsWebSocket.js';

/** What the kit routes to a mock beside its own path. */
export const SOCKJS_SUBPATHS: readonly string[] = ['info', 'websocket', '*/*/websocket', '*/*/xhr', '*/*/xhr_streaming', '*/*/xhr_send'];

const DEFAULT_HEARTBEAT = 25_000;
const DEFAULT_DISCONNECT_DELAY = 5_000;
const DEFAULT_RESPONSE_LIMIT = 128 * 1024;
const DEFAULT_MAX_BODY = 1024 * 1024;

/** What follows a mock's path of `depth` segments in a request's URL: `['info']`, `['123', 'abc', 'xhr']`…, `[]` for the path itself. */
function tailOf(url: string | undefined, depth: number): string[] {
  return new URL(url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '').split('/').slice(depth);
}

function readBody(request: IncomingMessage, limit: number, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (body: string | undefined) => {
    if (!settled) {
      settled = true;
      done(body);
    }
  };
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) settle(undefined);
    else chunks.push(chunk);
  });
  request.on('end', () => settle(Buffer.concat(chunks).toString('utf8')));
  request.on('error', () => settle(undefined));
}

function plain(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=UTF-8' }).end(body);
}

/** The SockJS options of a config, or undefined without `sockjs`. */
export function sockJsOptions(config: StompMockConfig): StompSockJsOptions | undefined {
  return config.sockjs === true ? {} : config.sockjs || undefined;
}

/** The transport of one version of a STOMP mock. */
export function sockJsTransport(config: StompMockConfig, sessions: SockJsSessions): KitTransport {
  const options = sockJsOptions(config);
  const depth = config.path.replace(/\/+$/, '').split('/').length;
  const verify = config.handshake?.verify;
  const refuse = (request: HandshakeRequest): HandshakeRefusal | undefined => {
    const tail = tailOf(request.url, depth);
    if (tail.length === 0) return undefined;
    if (!options) return { status: 404, body: { error: 'not_found', message: 'this STOMP mock serves no SockJS (sockjs: true)' } };
    if (tail.length === 3 && options.websocket === false) return { status: 404, body: { error: 'not_found', message: 'the SockJS WebSocket transport is off (sockjs.websocket: false)' } };
    if (tail[tail.length - 1] !== 'websocket') return { status: 400, body: { error: 'bad_request', message: 'Can "Upgrade" only to "WebSocket".' } };
    return undefined;
  };
  const transport: KitTransport = {
    verify(request) {
      const refusal = refuse(request);
      if (refusal) return refusal;
      return verify ? verify(request) : true;
    },
  };
  if (!options) return transport;

  const heartbeat = parseDuration(options.heartbeat) ?? DEFAULT_HEARTBEAT;
  const timings: SockJsTimings = {
    heartbeat,
    disconnectDelay: parseDuration(options.disconnectDelay) ?? DEFAULT_DISCONNECT_DELAY,
    responseLimit: options.responseLimit ?? DEFAULT_RESPONSE_LIMIT,
  };
  const maxBody = config.maxMessageSize ?? DEFAULT_MAX_BODY;

  transport.upgraded = (socket, request, connect) => {
    connect(tailOf(request.url, depth).length === 3 ? new SockJsWebSocket(socket, heartbeat) : socket);
  };

  transport.request = (request, response, connect) => {
    const tail = tailOf(request.url, depth);
    const method = request.method ?? 'GET';
    if (tail.length === 0 || tail[0] === 'websocket') {
      if (method !== 'GET' || tail.length > 0) return plain(response, tail.length > 0 ? 400 : 405, tail.length > 0 ? 'Can "Upgrade" only to "WebSocket".' : '');
      return plain(response, 200, 'Welcome to SockJS!\n');
    }
    if (tail[0] === 'info') {
      if (allowCrossOrigin(request, response, { methods: 'OPTIONS, GET', anyOrigin: true, maxAge: 31536000 })) return;
      if (method !== 'GET') return plain(response, 405, '');
      const body = JSON.stringify({ entropy: randomInt(2 ** 32 - 1), origins: ['*:*'], cookie_needed: false, websocket: options.websocket !== false });
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store, no-cache, no-transform, must-revalidate, max-age=0' }).end(body);
      return;
    }
    const [, sessionId, kind] = tail as [string, string, string];
    if (allowCrossOrigin(request, response, { methods: 'OPTIONS, POST', anyOrigin: true, maxAge: 31536000 })) return;
    if (method !== 'POST') return plain(response, 405, '');
    if (tail[0] === '' || sessionId === '' || tail[0]!.includes('.') || sessionId.includes('.')) return plain(response, 404, '');
    const session = sessions.get(sessionId);
    if (kind === 'xhr_send') {
      if (!session) return plain(response, 404, '');
      readBody(request, maxBody, (body) => {
        if (body === undefined) return plain(response, 413, 'Payload too large.');
        if (body === '') return plain(response, 500, 'Payload expected.');
        const messages = parseMessages(body);
        if ('error' in messages) return plain(response, 500, messages.error);
        session.post(messages);
        response.writeHead(204, { 'content-type': 'text/plain; charset=UTF-8' }).end();
      });
      return;
    }
    if (session) return session.receive(response, kind === 'xhr_streaming');
    const created = new SockJsHttpSession(sessionId, request.socket.remoteAddress ?? '', timings, () => {
      if (sessions.get(sessionId) === created) sessions.delete(sessionId);
    });
    sessions.set(sessionId, created);
    connect(created);
    created.receive(response, kind === 'xhr_streaming');
  };
  return transport;
}

