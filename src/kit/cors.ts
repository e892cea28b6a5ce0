//
// CORS for a kit's HTTP endpoints (long-polling, negotiate, SockJS): a mock
// serves pages of any origin, as a server configured to allow them does, so
// a browser test page on another port reaches it.
//
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How {@link allowCrossOrigin} answers.
 *
 * @beta
 */
export interface CrossOriginOptions {
  /** The methods a preflight allows, as the header lists them (`'GET, POST'`). */
  methods: string;
  /** Answer a request without an origin (or with the `null` origin) with `*`, as SockJS's protocol asks; by default it gets no CORS headers. */
  anyOrigin?: boolean;
  /** The `access-control-max-age` of a preflight's answer, seconds. */
  maxAge?: number;
}

/**
 * Adds the CORS headers of a server that allows every origin with
 * credentials (the request's `Origin` echoed, `vary: Origin`), and answers a
 * preflight (`OPTIONS` with an origin) with 204, `methods` and the headers it
 * asked for. Returns true when it answered the preflight: the request is done.
 *
 * @example
 * ```ts
 * request(request, response) {
 *   if (allowCrossOrigin(request, response, { methods: 'GET, POST' })) return;
 *   // … the endpoint's own answer
 * }
 * ```
 *
 * @beta
 */
export function allowCrossOrigin(request: IncomingMessage, response: ServerResponse, options: CrossOriginOptions): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && !(options.anyOrigin && origin === 'null')) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-allow-credentials', 'true');
    response.setHeader('vary', 'Origin');
  } else if (options.anyOrigin) {
    response.setHeader('access-control-allow-origin', '*');
  } else {
    return false;
  }
  if (request.method !== 'OPTIONS') return false;
  response.setHeader('access-control-allow-methods', options.methods);
  if (options.maxAge !== undefined) response.setHeader('access-control-max-age', String(options.maxAge));
  const asked = request.headers['access-control-request-headers'];
  if (asked) response.setHeader('access-control-allow-headers', asked);
  response.writeHead(204).end();
  return true;
}
