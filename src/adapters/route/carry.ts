//
// What `route()` and `routeFromHAR()` install on a page or a browser context:
// the WebSocket route (each socket a SocketBridge to the mock server), the
// HTTP route of the kits' endpoints, the fail shim, and the owner of both
// kinds of upstream. When the page (or the context) closes, every upstream
// still open is closed and every held request aborted, and a route that
// carried nothing reports the WebSocket URLs the page did open.
//
import type { ClientRequest } from 'node:http';
import type { BrowserContext, Page, Route, WebSocketRoute } from '@playwright/test';
import type { MockServer } from '../../server/MockServer.js';
import { installFailShim } from './failShim.js';
import { carryRequest } from './httpCarrier.js';
import { describeRouteUrl, httpPatternOf, type RouteUrl } from './patterns.js';
import { SocketBridge } from './SocketBridge.js';

/** What a route reports when its page closes without it having carried anything. */
export interface UnmatchedRoute {
  /** The route's pattern, as given (a predicate is named by its function name). */
  pattern: string;
  /** The WebSocket URLs the page (or the context's pages) opened, none of them matching. */
  seen: string[];
}

/** How a carried WebSocket finds its mock: the path and query on the mock server for the page's URL. */
export type PathFor = (pageUrl: URL) => string;

/** What {@link carry} installs. */
export interface CarryOptions {
  server: MockServer;
  url: RouteUrl;
  /** How the unmatched report names the pattern (default: the pattern itself). */
  label?: string;
  pathFor: PathFor;
  /** Carry the page's HTTP requests under `url` too (route(); a HAR's routes carry WebSockets only). */
  http: boolean;
  onUnmatched: (report: UnmatchedRoute) => void;
}

/** A page or a browser context, told apart by what only a context has. */
export function isContext(target: Page | BrowserContext): target is BrowserContext {
  return typeof (target as BrowserContext).pages === 'function';
}

/** Calls `listener` once when the page (or the context) closes. */
export function onClose(target: Page | BrowserContext, listener: () => void): void {
  (target as Page).once('close', listener);
}

/** The default report: a warning naming the pattern and what the page opened instead. */
export function warnUnmatched(report: UnmatchedRoute): void {
  const seen = report.seen.length > 0 ? `it opened ${report.seen.join(', ')}` : 'it opened no WebSocket';
  console.warn(`wsmock route(${report.pattern}): nothing the page opened matched, so the mock server saw none of it; ${seen}.`);
}

/** Installs the routes on `target` and ties what they open to its life. */
export async function carry(target: Page | BrowserContext, options: CarryOptions): Promise<void> {
  const { server, url, pathFor } = options;
  const bridges = new Set<SocketBridge>();
  const requests = new Set<ClientRequest>();
  const seen = new Set<string>();
  let carried = 0;

  const watch = (page: Page): void => {
    page.on('websocket', (socket) => seen.add(socket.url()));
  };
  if (isContext(target)) {
    target.pages().forEach(watch);
    target.on('page', watch);
  } else {
    watch(target);
  }
  onClose(target, () => {
    for (const bridge of bridges) bridge.close(1001, 'page closed');
    for (const request of requests) request.destroy();
    if (carried > 0) return;
    // The hook runs inside Playwright's event dispatch, where a throw would break the client: report it instead.
    try {
      options.onUnmatched({ pattern: options.label ?? describeRouteUrl(url), seen: [...seen] });
    } catch (err) {
      console.error('wsmock route: onUnmatched threw', err);
    }
  });

  await installFailShim(target);
  await target.routeWebSocket(url, async (socket: WebSocketRoute) => {
    carried++;
    const path = pathFor(new URL(socket.url()));
    await SocketBridge.open(socket, { url: new URL(path, server.url).href, ...(server.tls ? { ca: server.tls.ca } : {}) }, bridges);
  });
  if (!options.http) return;
  await target.route(httpPatternOf(url), async (request: Route) => {
    if (await carryRequest(request, server, requests)) carried++;
    else await request.fallback();
  });
}
