//
// The Engine.IO server side of a Socket.IO mock: the handshake and the
// long-polling requests on the mock's path, and WebSockets that either start
// a session or upgrade one. Requests that break the protocol get the real
// server's answers: 400 with `{ code, message }`.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowCrossOrigin, type HandshakeRefusal, type HandshakeRequest, type KitTransport, type Transport } from '../../kit/index.js';
import { badRequest, EngineSession, type EngineSettings } from './EngineSession.js';
import { socketId } from './ioStage.js';
import { CloseCode } from '../../util/closeCodes.js';

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
    // A WebSocket naming a known session is accepted even when it cannot
    // upgrade it (upgraded already, or a probe under way): the real server
    // then closes it, where a 400 would make a Node client throw.
    if (!upgrade && session.transportName !== transport) return 'BAD_REQUEST';
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

/** A polling POST body, or why there is none: larger than `maxPayload`, or the client dropped the request mid-body. */
type Body = { text: string } | { failed: 'too large' | 'aborted' };

/** Reads a polling POST body up to `limit` bytes; `done` runs once. */
function readBody(request: IncomingMessage, limit: number, done: (body: Body) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (body: Body): void => {
    if (settled) return;
    settled = true;
    done(body);
  };
  request.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) settle({ failed: 'too large' });
    else chunks.push(chunk);
  });
  request.on('end', () => settle({ text: Buffer.concat(chunks).toString('utf8') }));
  // An aborted request emits `error` (ECONNRESET) on some Node versions and
  // only `close` on others; `close` after `end` finds the body settled.
  request.on('error', () => settle({ failed: 'aborted' }));
  request.on('close', () => settle({ failed: 'aborted' }));
}

/** The Engine.IO transport of one mock version, with the verifier of its WebSocket handshakes. */
export function engineTransport(sessions: SessionTable, settings: EngineSettings): KitTransport {
  const open = (remoteAddress: string): EngineSession => {
    let sid = socketId();
    while (sessions.has(sid)) sid = socketId();
    const session = new EngineSession(sid, remoteAddress, settings, () => sessions.delete(sid));
    sessions.set(sid, session);
    return session;
  };

  return {
    request(request, response, connect) {
      const query = queryOf(request.url);
      const method = request.method ?? 'GET';
      if (allowCrossOrigin(request, response, { methods: 'GET,POST' })) return;
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
        if ('text' in body) {
          session.post(body.text, response);
        } else if (body.failed === 'too large') {
          response.writeHead(413, { connection: 'close' }).end();
          session.abort('payload too large');
        } else {
          // As engine.io: "data request connection closed prematurely" closes the session with "transport error".
          session.drop('transport error');
        }
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
      // The session may have ended while the handshake was under way, have
      // upgraded already or be probing another socket: the real server closes
      // this one (a close frame without a code), the session goes on.
      const session = sessions.get(sid);
      if (session?.upgradable && queryOf(request.url).get('transport') === 'websocket') session.probe(ws);
      else ws.close(CloseCode.NO_STATUS, '');
    },
    verify(request: HandshakeRequest): true | HandshakeRefusal {
      const problem = check(new URLSearchParams(request.query), 'GET', true, sessions);
      if (!problem) return true;
      const [code, message] = EngineError[problem];
      return { status: 400, headers: { 'content-type': 'application/json' }, body: { code, message } };
    },
  };
}
