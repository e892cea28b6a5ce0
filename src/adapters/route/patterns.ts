//
// The URL a route matches, as Playwright matches it. WebSockets are matched by
// Playwright itself (`routeWebSocket(url)`); the page's HTTP requests under the
// same URL are matched by `page.route()` with the pattern's HTTP twin: a glob's
// `ws://`/`wss://` scheme becomes `http://`/`https://`, and a RegExp or a
// predicate is asked about the request's URL with its scheme made a
// WebSocket's, so one pattern covers both halves of a Socket.IO client.
//
import { routeArgument } from '../../errors.js';

/** What {@link route} matches WebSocket URLs with: a glob, a RegExp or a predicate, as `page.routeWebSocket()` takes. */
export type RouteUrl = string | RegExp | ((url: URL) => boolean);

/** The pattern checked where it enters: an empty glob or another type names the argument. */
export function checkRouteUrl(url: unknown): RouteUrl {
  if (typeof url === 'string' && url !== '') return url;
  if (url instanceof RegExp || typeof url === 'function') return url as RouteUrl;
  const got = url === '' ? 'an empty string' : url === null ? 'null' : typeof url;
  throw routeArgument('url', `must be a glob (wss://api.example.com/**), a RegExp or a (url: URL) => boolean, got ${got}`);
}

/** `https://a/b` → `wss://a/b`, `http:` → `ws:`; other URLs unchanged. */
export function asWebSocketUrl(href: string): string {
  return href.replace(/^http(s?):/i, (_m, s: string) => `ws${s.toLowerCase()}:`);
}

/** The pattern for `page.route()`: the same URLs with an HTTP scheme. */
export function httpPatternOf(url: RouteUrl): string | ((url: URL) => boolean) {
  if (typeof url === 'string') return url.replace(/^ws(s?):\/\//i, (_m, s: string) => `http${s.toLowerCase()}://`);
  if (url instanceof RegExp) {
    const regex = new RegExp(url.source, url.flags.replace('g', ''));
    return (request: URL) => regex.test(asWebSocketUrl(request.href));
  }
  return (request: URL) => url(new URL(asWebSocketUrl(request.href)));
}

/** The pattern as a warning names it. */
export function describeRouteUrl(url: RouteUrl): string {
  return typeof url === 'function' ? `a predicate (${url.name || 'anonymous'})` : String(url);
}
