//
// `route(server, pageOrContext, url, { to? })`: the page's WebSockets (and the
// kits' HTTP requests) under `url` carried to a wsmock server. The arguments
// are checked here, where they enter; carry.ts does the work.
//
import type { BrowserContext, Page } from '@playwright/test';
import { routeArgument } from '../../errors.js';
import { kindOf, unknownOption } from '../../util/argument.js';
import { Mock } from '../../mocks/Mock.js';
import { MockServer } from '../../server/MockServer.js';
import { carry, warnUnmatched, type PathFor, type UnmatchedRoute } from './carry.js';
import { servesPath } from './httpCarrier.js';
import { checkRouteUrl, type RouteUrl } from './patterns.js';

/** Options of {@link route}. */
export interface RouteOptions {
  /**
   * The mock every matching WebSocket goes to, whatever its path: a mock of
   * the server (with a path without parameters) or a path a mock serves. The
   * page's query is kept. Without it, a socket goes to the page URL's path,
   * served by whichever mock matches it (a 404 refusal when none does).
   * HTTP requests always keep their own path.
   */
  to?: Mock | string;
  /**
   * Called when the page (or the context) closes without the route having
   * carried a WebSocket or a request: the pattern and the WebSocket URLs the
   * page opened instead. Default: a `console.warn` naming both.
   */
  onUnmatched?: (report: UnmatchedRoute) => void;
}

/** `pageOrContext` checked: anything with `routeWebSocket()` and `route()` (a Page or a BrowserContext of any Playwright copy). */
export function checkTarget(target: unknown, field = 'pageOrContext'): Page | BrowserContext {
  if (typeof (target as Page | null)?.routeWebSocket !== 'function' || typeof (target as Page).route !== 'function') {
    throw routeArgument(field, 'must be a Playwright Page or BrowserContext (with routeWebSocket(): Playwright 1.48 or later)');
  }
  return target as Page | BrowserContext;
}

/** `server` checked: a running wsmock server of any copy of the package. */
export function checkServer(server: unknown, field = 'server'): MockServer {
  if (!(server instanceof MockServer)) throw routeArgument(field, 'must be a wsmock MockServer (the `wsmock` fixture, or createMockServer())');
  if (server.state !== 'running') throw routeArgument(field, `must be running; it is ${server.state}`);
  return server;
}

/** `options` checked: absent, or an object of the options `known` (those of `route()` or `routeFromHAR()`). */
export function checkOptions<T extends object>(options: T | undefined, known: readonly (keyof T & string)[]): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw routeArgument('options', `must be an object, got ${kindOf(options)}`);
  }
  const unknown = unknownOption(options, known);
  if (unknown !== undefined) throw routeArgument(`options.${unknown}`, `is not an option (options: ${known.join(', ')})`);
  return options;
}

/** `options.onUnmatched` checked: absent or a function. */
export function checkOnUnmatched(onUnmatched: unknown): void {
  if (onUnmatched !== undefined && typeof onUnmatched !== 'function') throw routeArgument('options.onUnmatched', `must be a function, got ${onUnmatched === null ? 'null' : typeof onUnmatched}`);
}

function servedPaths(server: MockServer): string {
  return server.mocks.list().map((mock) => mock.path).join(', ') || '(no mock yet)';
}

/** The `to` option as the path its sockets go to. */
function targetPath(server: MockServer, to: unknown): string {
  if (to instanceof Mock) {
    if (server.mocks.get(to.id) !== to) throw routeArgument('options.to', `is mock "${to.id}", which is not a mock of this server; its mocks serve ${servedPaths(server)}`);
    if (/(^|\/)[:*]/.test(to.path)) throw routeArgument('options.to', `is mock "${to.id}", whose path ${to.path} has parameters: pass the path to open instead (to: '/rooms/lobby')`);
    return to.path;
  }
  if (typeof to !== 'string' || !to.startsWith('/')) {
    throw routeArgument('options.to', `must be a mock of the server or a path starting with "/", got ${to === null ? 'null' : typeof to === 'string' ? JSON.stringify(to) : typeof to}`);
  }
  if (!servesPath(server, to)) throw routeArgument('options.to', `is "${to}", a path no mock of the server serves; its mocks serve ${servedPaths(server)}`);
  return to;
}

/**
 * Carries every WebSocket the page (or every page of the context) opens to a
 * URL matching `url` to the wsmock `server`, whatever host the URL names: the
 * app keeps its production URL (`wss://api.example.com/ws`) and the mock
 * whose path matches the URL's path (or `options.to`) sees a real connection
 * with the page's path, query and subprotocols. Matchers, waits, kits, chaos
 * and recording all apply. Frames (text and binary) and closes (code and
 * reason) pass both ways; a refused handshake (a `verify` saying no, a 503,
 * chaos) fails the page's socket as a browser fails it (`error`, then `close`
 * with 1006, never `open`).
 *
 * The page's HTTP requests under `url` whose path a mock serves (Socket.IO's
 * long-polling, SSE, SignalR's negotiate, Phoenix's long-poll, Pusher's auth)
 * go to the server too, so `io('https://api.example.com')` works with its
 * default options; other requests fall through to the page's other routes.
 *
 * Built on Playwright's `routeWebSocket()`, which exposes no request headers:
 * the mock sees no cookies, `Origin` or `Authorization` of the page's socket.
 * A Worker's sockets are not routed (microsoft/playwright#37048): point the
 * app at `mock.url` there. Everything the route opens is closed with the page
 * (or the context); a route that carried nothing warns then (`onUnmatched`).
 *
 * @param server - the wsmock server (the `wsmock` fixture)
 * @param pageOrContext - a Playwright `Page`, or a `BrowserContext` for all its pages
 * @param url - a glob (`wss://api.example.com/**`), a RegExp or a predicate, matched as `routeWebSocket()` matches
 * @example
 * ```ts
 * test('shows prices', async ({ page, wsmock }) => {
 *   const prices = wsmock.websocket('/prices', { echoMode: false });
 *   await route(wsmock, page, 'wss://api.example.com/**');
 *   await page.goto('https://app.example.com/');
 *   const conn = await prices.waitForConnection();
 *   await expect(conn).toReceiveMessage({ type: 'subscribe' });
 *   await conn.send({ price: 42 });
 * });
 * ```
 */
export async function route(server: MockServer, pageOrContext: Page | BrowserContext, url: RouteUrl, options?: RouteOptions): Promise<void> {
  checkServer(server);
  const target = checkTarget(pageOrContext);
  const pattern = checkRouteUrl(url);
  const opts = checkOptions(options, ['to', 'onUnmatched']);
  checkOnUnmatched(opts.onUnmatched);
  const to = opts.to === undefined ? undefined : targetPath(server, opts.to);
  const pathFor: PathFor = (page) => (to ?? page.pathname) + page.search;
  await carry(target, { server, url: pattern, pathFor, http: true, onUnmatched: opts.onUnmatched ?? warnUnmatched });
}
