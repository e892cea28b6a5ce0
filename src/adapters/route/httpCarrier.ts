//
// The page's HTTP requests under a routed URL that a mock serves (Socket.IO's
// and Phoenix's long-polling, SignalR's negotiate, Pusher's auth endpoint, an
// SSE stream), carried to the mock server. A request is sent from Node with
// the page's method, headers and body, and its whole answer fulfils the page's
// request; one whose path no mock serves falls back to the page's other
// routes (or the network). `page.route()` can only fulfil a finished body, so
// an event stream, which never finishes, is answered with a redirect to the
// mock's own URL instead: the page's EventSource then reads the mock directly.
//
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Request, Route } from '@playwright/test';
import { compiledOf, type Mock } from '../../mocks/Mock.js';
import type { MockServer } from '../../server/MockServer.js';

/** Hop-by-hop headers, and those Node or Playwright set themselves. */
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'proxy-connection']);

function isEventStream(request: Request, headers: Record<string, string>): boolean {
  return request.method() === 'GET' && (headers.accept ?? '').includes('text/event-stream');
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

/** Whether a mock of `server` serves the request's path (its own path, or a kit's subpath under it). */
export function servesPath(server: MockServer, pathname: string): boolean {
  return server.state === 'running' && server.mocks.list().some((mock) => mock.enabled && matches(mock, pathname));
}

//
// The mock's compiled pattern knows its parameters and a kit's subpaths; a
// mock made by another copy of wsmock (the CommonJS build beside the ESM one)
// keeps it out of reach, and is matched by its path and what lies under it.
//
function matches(mock: Mock, pathname: string): boolean {
  try {
    return compiledOf(mock).pattern.match(pathname) !== undefined;
  } catch {
    return pathname === mock.path || pathname.startsWith(`${mock.path.replace(/\/$/, '')}/`);
  }
}

/**
 * Carries one page request to `server` when a mock serves its path; answers
 * `false` (the caller falls back) otherwise. The Node request is in `owner`
 * until it ends, so closing the route aborts a long poll still held.
 */
export async function carryRequest(route: Route, server: MockServer, owner: Set<ClientRequest>): Promise<boolean> {
  const request = route.request();
  const url = new URL(request.url());
  if (!servesPath(server, url.pathname)) return false;
  const target = new URL(url.pathname + url.search, server.httpUrl);
  const pageHeaders = await request.allHeaders();
  if (isEventStream(request, pageHeaders)) {
    const origin = pageHeaders.origin;
    const cors: Record<string, string> = origin ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : {};
    await route.fulfill({ status: 307, headers: { location: target.href, ...cors } });
    return true;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(pageHeaders)) if (!DROPPED.has(name) && !name.startsWith(':')) headers[name] = value;
  const body = request.postDataBuffer();
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const answer = await new Promise<{ status: number; headers: Record<string, string>; body: Buffer } | Error>((resolve) => {
    const outgoing = send(target, { method: request.method(), headers, ...(server.tls ? { ca: server.tls.ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: responseHeaders(response.headers), body: Buffer.concat(chunks) }));
      response.on('error', resolve);
    });
    owner.add(outgoing);
    outgoing.on('close', () => owner.delete(outgoing));
    outgoing.on('error', resolve);
    outgoing.end(body ?? undefined);
  });
  if (answer instanceof Error) await route.abort('connectionfailed').catch(() => undefined);
  else await route.fulfill(answer).catch(() => undefined);
  return true;
}
