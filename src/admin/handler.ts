import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAuthorizer } from './auth.js';
import { createRequestGuard } from './guard.js';
import { chaosRoutes } from './chaosRoutes.js';
import { connectionRoutes } from './connectionRoutes.js';
import { dashboardRoutes } from './dashboard.js';
import { EventHub } from './EventHub.js';
import { Holds } from './holds.js';
import { HttpError, sendError, sendJson } from './httpErrors.js';
import type { ServerMetrics } from './metrics.js';
import { mockRoutes } from './mockRoutes.js';
import { sseRoutes } from './sseRoutes.js';
import { resolveAdminOptions, type AdminHandlerOptions } from './options.js';
import { Router, type Route } from './router.js';
import { eventsRoute } from './streamRoutes.js';
import { Ledger } from './ledger.js';
import { remoteRoutes } from './remoteRoutes.js';
import type { AdminTarget } from './target.js';

/**
 * A Node request handler: `(req, res, next?) => void`. Mounts in `node:http`,
 * Express, Connect and Fastify (through `@fastify/middie`).
 */
export interface AdminHandler {
  /** Answers one request: an admin route, the dashboard, or `next()` for anything else. */
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /**
   * Ends what the handler holds open: event streams (`GET /events`) and waits
   * (`GET /websocket/connections?wait=1`). The server's `close()` ends them
   * too; call this when you stop serving the handler before the server closes.
   */
  close(): void;
}

/**
 * Builds the HTTP admin adapter of `server`: every route of the admin API
 * (mocks, connections, broadcast, stats, health, Prometheus metrics) as one
 * request handler over the same in-process API. Routes it does not own go to
 * `next()` when one is given, else get a 404 JSON answer.
 *
 * A request with an `Origin` header other than the handler's own (a page of
 * another site) gets 403 `forbidden_origin`; with `allowedHosts` and no
 * token, a `Host` that could be a rebound DNS name gets 403 `forbidden_host`.
 * A mock posted over HTTP may replay files only inside `recordings` and proxy
 * only to `proxyAllow` (see SECURITY.md).
 *
 * Throws `WSMOCK_ERR_INVALID_CONFIG` for invalid options.
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * import express from 'express';
 * import { createMockServer, createAdminHandler } from 'wsmock';
 *
 * const server = await createMockServer();
 *
 * // On its own listener…
 * http.createServer(createAdminHandler(server)).listen(4290);
 *
 * // …or next to an app's routes, under a prefix and behind a token.
 * const app = express();
 * app.use(createAdminHandler(server, { basePath: '/__wsmock', token: 'secret' }));
 * app.get('/api/hello', (_req, res) => res.json({ hello: 'world' }));
 * ```
 */
export function createAdminHandler(server: AdminTarget, options: AdminHandlerOptions = {}): AdminHandler {
  const { basePath, token, recordings, proxyAllow, allowedHosts } = resolveAdminOptions(options, 'admin handler options');
  const authorize = createAuthorizer(token);
  const guard = createRequestGuard(token, allowedHosts);
  const policy = { recordings, proxyAllow };
  // prom-client is loaded on the first scrape, not with the package: a server
  // nobody scrapes never loads it. The figures are read from the server's
  // counters at scrape time, so nothing before the first scrape is missed.
  let metrics: Promise<ServerMetrics> | undefined;
  const serviceRoutes: Route[] = [
    { method: 'GET', path: '/health', handle: () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/metrics',
      handle: async () => {
        metrics ??= import('./metrics.js').then((module) => module.metricsFor(server));
        const { contentType, text } = await (await metrics).expose();
        return { status: 200, text, headers: { 'content-type': contentType } };
      },
    },
  ];
  // Streams and waits outlive a request; the handler owns them and close() ends them.
  const holds = new Holds();
  const hub = new EventHub(server, holds);
  const router = new Router([...serviceRoutes, ...dashboardRoutes, eventsRoute(hub), ...mockRoutes, ...chaosRoutes, ...connectionRoutes, ...sseRoutes, ...remoteRoutes(new Ledger())]);

  async function handle(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): Promise<void> {
    // Split by hand: `new URL()` would read "//x" as a host and resolve dot segments.
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const url = { pathname: rawPath, searchParams: new URLSearchParams(rawQuery) };
    const pathname = stripBase(url.pathname, basePath);
    const lookup = pathname === undefined ? ({ kind: 'none' } as const) : router.lookup(req.method ?? 'GET', pathname);
    if (lookup.kind === 'none' && next) {
      next();
      return;
    }
    try {
      guard(req);
      // The page itself holds no data and a browser cannot add a header when it
      // navigates to it: it asks for the token and sends it with every call.
      if (lookup.kind !== 'route' || !lookup.route.public) authorize(req);
      if (lookup.kind === 'none') {
        throw new HttpError(404, 'not_found', `No admin route ${req.method} ${url.pathname}. See GET ${basePath}/health, ${basePath}/mocks, ${basePath}/websocket/connections.`);
      }
      if (lookup.kind === 'invalid') throw lookup.error;
      if (lookup.kind === 'method') {
        throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}; use ${lookup.allow.join(', ')}.`, {
          headers: { allow: lookup.allow.join(', ') },
        });
      }
      const reply = await lookup.route.handle({ server, req, res, params: lookup.params, query: url.searchParams, holds, policy });
      if (reply.taken) return;
      if (reply.bytes !== undefined) {
        res.writeHead(reply.status, { 'cache-control': 'no-store', ...reply.headers });
        res.end(reply.bytes);
      } else if (reply.text !== undefined) {
        res.writeHead(reply.status, { 'cache-control': 'no-store', ...reply.headers });
        res.end(reply.text);
      } else {
        sendJson(res, reply.status, reply.body, reply.headers);
      }
    } catch (err) {
      sendError(res, err);
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => {
    handle(req, res, next).catch((err: unknown) => {
      // Only a failure while writing the response lands here; the socket is
      // the one thing left to clean up.
      if (!res.headersSent) sendError(res, err);
      else res.destroy(err instanceof Error ? err : undefined);
    });
  };
  return Object.assign(handler, { close: () => holds.closeAll() });
}

/** The path below `basePath`, or undefined when the request is outside it. */
function stripBase(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}
