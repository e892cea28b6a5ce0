//
// The Engine.IO server side of a Socket.IO mock: the handshake and the
// long-polling requests on the mock's path, and WebSockets that either start
// a session or upgrade one. Requests that break the protocol get the real
// server's answers: 400 with `{ code, message }`.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KitTransport } from '../../mocks/compile.js';
import type { HandshakeRefusal, HandshakeRequest } from '../../mocks/types.js';
import type { Transport } from '../../transport/types.js';
import { badRequest, EngineSession, type EngineSettings } from './EngineSession.js';
import { socketId } from './ioStage.js';

/** The real server's error codes and messages. */
const EngineError = {
  UNKNOWN_TRANSPORT: [0, 'Transport unknown'],
  UNKNOWN_SID: [1, 'Session ID unknown'],
  BAD_HANDSHAKE_METHOD: [2, 'Bad handshake method'],
  BAD_REQUEST: [3, 'Bad request'],
  UNSUPPORTED_PROTOCOL_VERSION: [5, 'Unsupported protocol version'],
} as const;

type EngineErrorName = keyof typeof EngineError;

/** The sessions of one mock, by sid; they outlive the mock's versions until they end. */
export type SessionTable = Map<string, EngineSession>;

function queryOf(url: string | undefined): URLSearchParams {
  return new URL(url ?? '/', 'http://localhost').searchParams;
}

/**
 * What is wrong with a request, if anything. `upgrade` is true for a
 * WebSocket handshake, false for a polling request.
 */
function check(query: URLSearchParams, method: string, upgrade: boolean, sessions: SessionTable): EngineErrorName | undefined {
  // In the real server's order: the transport, then the session, then the handshake.
  const transport = query.get('transport');
  if (transport !== 'polling' && transport !== 'websocket') return 'UNKNOWN_TRANSPORT';
  const sid = query.get('sid');
  if (sid !== null) {
    const session = sessions.get(sid);
    if (!session) return 'UNKNOWN_SID';
    if (upgrade ? transport !== 'websocket' || !session.upgradable : session.transportName !== transport) return 'BAD_REQUEST';
    return undefined;
  }
  if (method !== 'GET') return 'BAD_HANDSHAKE_METHOD';
  if ((transport === 'websocket') !== upgrade) return 'BAD_REQUEST';
  if (query.get('EIO') !== '4') return 'UNSUPPORTED_PROTOCOL_VERSION';
  return undefined;
}

function fail(response: ServerResponse, name: EngineErrorName): void {
  const [code, message] = EngineError[name];
  badRequest(response, code, message);
}

/** Reads a polling POST body up to `limit` bytes; undefined when it is larger. */
function readBody(request: IncomingMessage, limit: number, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  request.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) {
      over = true;
      done(undefined);
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (!over) done(Buffer.concat(chunks).toString('utf8'));
  });
  request.on('error', () => {
    if (!over) done(undefined);
    over = true;
  });
}

/**
 * A mock serves pages of any origin: a browser's socket.io-client polling
 * from a test page on another port gets the CORS headers the real server
 * sends when configured with `cors: { origin: true, credentials: true }`.
 * Returns true when it answered a preflight.
 */
function allowOrigin(request: IncomingMessage, response: ServerResponse, method: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('access-control-allow-credentials', 'true');
  response.setHeader('vary', 'Origin');
  if (method !== 'OPTIONS') return false;
  response.setHeader('access-control-allow-methods', 'GET,POST');
  const asked = request.headers['access-control-request-headers'];
  if (asked) response.setHeader('access-control-allow-headers', asked);
  response.writeHead(204).end();
  return true;
}

/** The Engine.IO transport of one mock version, and the verifier of its WebSocket handshakes. */
export function engineTransport(sessions: SessionTable, settings: EngineSettings): { transport: KitTransport; verify: (request: HandshakeRequest) => true | HandshakeRefusal } {
  const open = (remoteAddress: string): EngineSession => {
    let sid = socketId();
    while (sessions.has(sid)) sid = socketId();
    const session = new EngineSession(sid, remoteAddress, settings, () => sessions.delete(sid));
    sessions.set(sid, session);
    return session;
  };

  const transport: KitTransport = {
    request(request, response, connect) {
      const query = queryOf(request.url);
      const method = request.method ?? 'GET';
      if (allowOrigin(request, response, method)) return;
      const problem = check(query, method, false, sessions);
      if (problem) {
        fail(response, problem);
        return;
      }
      const sid = query.get('sid');
      if (sid === null) {
        const session = open(request.socket.remoteAddress ?? '');
        connect(session);
        session.startOnPolling(response);
        return;
      }
      const session = sessions.get(sid)!;
      if (method === 'GET') {
        session.get(response);
        return;
      }
      if (method !== 'POST') {
        fail(response, 'BAD_REQUEST');
        return;
      }
      if (!session.beginPost()) {
        // Two POSTs at once: the real server closes the session ("overlap from client").
        fail(response, 'BAD_REQUEST');
        session.abort('overlap from client');
        return;
      }
      readBody(request, settings.maxPayload, (body) => {
        session.endPost();
        if (body === undefined) {
          response.writeHead(413, { connection: 'close' }).end();
          session.abort('payload too large');
          return;
        }
        session.post(body, response);
      });
    },
    upgraded(ws: Transport, request, connect) {
      const sid = queryOf(request.url).get('sid');
      if (sid === null) {
        const session = open(ws.remoteAddress);
        connect(session);
        session.startOnWebSocket(ws);
        return;
      }
      // The session may have ended while the handshake was under way.
      const session = sessions.get(sid);
      if (session?.upgradable) session.probe(ws);
      else ws.terminate();
    },
  };

  const verify = (request: HandshakeRequest): true | HandshakeRefusal => {
    const problem = check(new URLSearchParams(request.query), 'GET', true, sessions);
    if (!problem) return true;
    const [code, message] = EngineError[problem];
    return { status: 400, headers: { 'content-type': 'application/json' }, body: { code, message } };
  };

  return { transport, verify };
}
