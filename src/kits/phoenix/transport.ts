//
// The transports of a Phoenix mock: WebSocket at `{path}/websocket` (the
// seam accepts it; here only the serializer version is checked, as
// Phoenix.Socket refuses a `vsn` it does not speak with 403), and Phoenix's
// long-poll at `{path}/longpoll`, GET to poll and POST to send, every answer
// an HTTP 200 whose JSON `status` says what happened:
//   410 + token: a new session (the first GET, or a token the mock does not know)
//   200 + token + messages: what the server sent
//   204 + token: nothing within the poll window
//   403: refused (a vsn the mock does not speak)
//
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowCrossOrigin, type HandshakeHooks, type HandshakeRefusal, type HandshakeRequest, type KitTransport } from '../../kit/index.js';
import { answer, LongPollSession, type LongPollTimings } from './LongPollSession.js';
import { vsnOf } from './serializer.js';

/** The long-poll sessions of one mock, by token; they outlive the mock's versions until they end. */
export type LongPollTable = Map<string, LongPollSession>;

/** Why a handshake's `vsn` is refused, or undefined. */
function vsnRefusal(query: Readonly<Record<string, string>>): string | undefined {
  return vsnOf(query) ? undefined : `unsupported serializer vsn "${query.vsn}": the mock speaks 1.0.0 and 2.0.0`;
}

function queryOf(url: string | undefined): Record<string, string> {
  return Object.fromEntries(new URL(url ?? '/', 'http://localhost').searchParams);
}

function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
}

/** Reads a POST body up to `limit` bytes; undefined when larger, or when the client went away mid-body. */
function readBody(request: IncomingMessage, limit: number, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (body: string | undefined): void => {
    if (settled) return;
    settled = true;
    done(body);
  };
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) settle(undefined);
    else if (!settled) chunks.push(chunk);
  });
  request.on('end', () => settle(Buffer.concat(chunks).toString('utf8')));
  request.on('error', () => settle(undefined));
  request.on('close', () => settle(undefined));
}

/** What a Phoenix mock's transport needs from its version. */
export interface PhoenixTransportOptions {
  /** Open sessions, by token. */
  readonly sessions: LongPollTable;
  /** Long-poll timings, or undefined when the mock serves no long-poll. */
  readonly longpoll: LongPollTimings | undefined;
  /** The largest POST body, bytes (the mock's `maxMessageSize`). */
  readonly maxBody: number;
  /** The config's own `handshake.verify`, run after the vsn check. */
  readonly verify: HandshakeHooks['verify'];
}

/** The transport of one Phoenix mock version. */
export function phoenixTransport(options: PhoenixTransportOptions): KitTransport {
  const { sessions, longpoll } = options;

  const open = (request: IncomingMessage, response: ServerResponse, connect: Parameters<NonNullable<KitTransport['request']>>[2]): void => {
    let token = randomBytes(16).toString('base64url');
    while (sessions.has(token)) token = randomBytes(16).toString('base64url');
    const session = new LongPollSession(token, request.socket.remoteAddress ?? '', longpoll!, () => sessions.delete(token));
    sessions.set(token, session);
    connect(session);
    answer(response, { status: 410, token, messages: [] });
  };

  return {
    request(request, response, connect) {
      const method = request.method ?? 'GET';
      if (!longpoll || !pathOf(request.url).endsWith('/longpoll')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', path: pathOf(request.url) }));
        return;
      }
      if (allowCrossOrigin(request, response, { methods: 'GET,POST' })) return;
      const query = queryOf(request.url);
      if (vsnRefusal(query)) {
        answer(response, { status: 403 });
        return;
      }
      const token = query.token;
      const session = token === undefined ? undefined : sessions.get(token);
      if (method === 'GET') {
        // A token the mock does not know is a session that ended: 410 without a new token, so the client reconnects.
        if (session) session.poll(response);
        else if (token === undefined) open(request, response, connect);
        else answer(response, { status: 410 });
        return;
      }
      if (method !== 'POST') {
        response.writeHead(400).end();
        return;
      }
      if (!session) {
        answer(response, { status: 410 });
        return;
      }
      readBody(request, options.maxBody, (body) => {
        if (body === undefined) {
          // Too large, or the client left mid-body: the client's batch fails and it reconnects.
          if (!response.destroyed) response.writeHead(413, { connection: 'close' }).end();
          return;
        }
        const ndjson = (request.headers['content-type'] ?? '').startsWith('application/x-ndjson');
        session.post(ndjson ? body.split(/\r?\n/) : [body]);
        answer(response, { status: 200 });
      });
    },
    verify(request: HandshakeRequest): boolean | HandshakeRefusal | Promise<boolean | HandshakeRefusal> {
      const refusal = vsnRefusal(request.query);
      if (refusal) return { status: 403, body: { error: 'forbidden', message: refusal } };
      return options.verify ? options.verify(request) : true;
    },
  };
}
