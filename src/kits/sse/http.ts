//
// The HTTP side of an SSE mock: which requests on its path open a stream.
// GET opens one whatever `Accept` says (browsers send `text/event-stream`,
// curl sends `*/*`); HEAD answers the stream's headers and no stream; OPTIONS
// answers a CORS preflight; any other method is 405 with `Allow`.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandleInit, KitTransport } from '../../kit/index.js';
import { EVENT_STREAM_HEADERS } from '../../util/eventStream.js';
import { SseTransport } from './SseTransport.js';
import { SseConnection } from './SseConnection.js';
import type { SseMockConfig } from './types.js';

const ALLOW = 'GET, HEAD, OPTIONS';

const createConnection = (init: HandleInit) => new SseConnection(init);

/** The CORS headers of a stream: any origin by default, one origin (with credentials) when configured, none with `false`. */
function corsHeaders(cors: SseMockConfig['cors'], origin: string | undefined): Record<string, string> {
  if (cors === false || origin === undefined) return {};
  if (cors === undefined || cors === '*') return { 'access-control-allow-origin': '*' };
  return { 'access-control-allow-origin': cors, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}

function refuse(response: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The transport of one version of an SSE mock. */
export function sseTransport(config: SseMockConfig): KitTransport {
  const extra = config.headers ?? {};
  return {
    request(request: IncomingMessage, response: ServerResponse, connect) {
      const origin = request.headers.origin;
      const cors = corsHeaders(config.cors, typeof origin === 'string' ? origin : undefined);
      const method = request.method ?? 'GET';
      if (method === 'OPTIONS') {
        const asked = request.headers['access-control-request-headers'];
        response.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, HEAD', ...(asked ? { 'access-control-allow-headers': asked } : {}), allow: ALLOW });
        response.end();
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        refuse(response, 405, { error: 'method_not_allowed', method, path: request.url ?? '/', allow: ALLOW.split(', ') }, { allow: ALLOW, ...cors });
        return;
      }
      const headers = { ...EVENT_STREAM_HEADERS, ...cors, ...extra };
      if (method === 'HEAD') {
        response.writeHead(200, headers);
        response.end();
        return;
      }
      connect(new SseTransport(response, headers, { maxBuffered: config.maxBuffered }), createConnection);
    },
  };
}
