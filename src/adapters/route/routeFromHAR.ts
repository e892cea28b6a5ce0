//
// `routeFromHAR(pageOrContext, harFile, options)`: the page's WebSockets to
// URLs a HAR recorded are answered by wsmock's replay of the recorded frames.
// The HAR is loaded (and checked) first; each recorded URL becomes one replay
// mock on a wsmock server (its own, unless `options.server`), named by the
// URL; then the page's sockets to those URLs are routed to their mocks, so the
// replay's mismatch reporting and `toHaveReplayed()` work as in Node.
//
import type { BrowserContext, Page } from '@playwright/test';
import { createMockServer } from '../../createMockServer.js';
import { routeArgument } from '../../errors.js';
import type { WebSocketMock } from '../../mocks/WebSocketMock.js';
import type { ReplayMatch } from '../../mocks/types.js';
import type { ReplayTiming } from '../../record/timeline.js';
import { loadRecording } from '../../record/load.js';
import type { RecordedConnection } from '../../record/format.js';
import type { MockServer } from '../../server/MockServer.js';
import { carry, onClose, warnUnmatched, type UnmatchedRoute } from './carry.js';
import { describeRouteUrl } from './patterns.js';
import { checkOnUnmatched, checkOptions, checkServer, checkTarget } from './route.js';

/** Options of {@link routeFromHAR}. */
export interface RouteFromHAROptions {
  /**
   * Only the HAR's sockets to these URLs: a path (`/live`, any host) or a
   * full URL (query ignored unless given), a RegExp or a predicate, each
   * asked about the recorded URL. Default: every WebSocket in the HAR. One
   * that matches none is `WSMOCK_ERR_INVALID_ARGUMENT` naming the recorded URLs.
   */
  url?: string | RegExp | ((url: URL) => boolean);
  /** The replay's pace: `recorded` (default) keeps the recorded pauses, `asap` drops them, `{ speed: 10 }` divides them. */
  timing?: ReplayTiming;
  /** How the page's frames are compared with the recorded ones (`ignore`: JSON fields left out, at any depth). */
  match?: ReplayMatch;
  /** Replay on this server; by default a new one, closed when the page (or the context) closes. */
  server?: MockServer;
  /** As {@link RouteOptions.onUnmatched}: the page closed without opening any recorded URL. */
  onUnmatched?: (report: UnmatchedRoute) => void;
}

/** What {@link routeFromHAR} set up: the server and one replay mock per recorded URL. */
export interface HarRoute {
  /** The server the replays run on. */
  readonly server: MockServer;
  /** One replay mock per recorded WebSocket URL (scheme, host and path), named by that URL. */
  readonly mocks: readonly WebSocketMock[];
  /**
   * The replay mock of a recorded URL (`wss://api.example.com/live`, query
   * ignored), to wait for the page's connection and assert `toHaveReplayed()`.
   * Throws naming the URLs it has when the HAR recorded no socket there.
   */
  mock(url: string): WebSocketMock;
}

/** A recorded or page URL's key: scheme, host and path, without the query. */
function keyOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function wanted(filter: RouteFromHAROptions['url'], recorded: string): boolean {
  if (filter === undefined) return true;
  const url = new URL(recorded);
  if (filter instanceof RegExp) return new RegExp(filter.source, filter.flags.replace('g', '')).test(recorded);
  if (typeof filter === 'function') return filter(url);
  if (/^wss?:/i.test(filter)) {
    const want = new URL(filter);
    return keyOf(want) === keyOf(url) && (want.search === '' || want.search === url.search);
  }
  return url.pathname === filter;
}

/**
 * Answers the page's WebSockets to the URLs a HAR file recorded by replaying
 * the recorded frames: the server's frames are sent with the recorded pauses
 * (`timing`), the page's awaited and compared (`match`), and a page frame that
 * does not match fails the replay with a diff (`toHaveReplayed()`). Chromium's
 * HAR (`browser.newContext({ recordHar: { path } })`, content embedded: the
 * default for a `.har` path) keeps each socket's frames as
 * `_webSocketMessages` (with `content: 'attach'`, in a `.jsonl` file beside
 * it); the close is not recorded, so a replay ends after its last frame. A
 * HAR without WebSocket entries is `WSMOCK_ERR_INVALID_CONFIG` naming the file. Playwright's own
 * `page.routeFromHAR()` answers the HAR's HTTP requests; this answers its
 * sockets.
 *
 * @param pageOrContext - a Playwright `Page`, or a `BrowserContext` for all its pages
 * @param harFile - the HAR file's path
 * @example
 * ```ts
 * const har = await routeFromHAR(page, 'session.har', { timing: 'asap', match: { ignore: ['ts'] } });
 * await page.goto('https://app.example.com/');
 * const conn = await har.mock('wss://api.example.com/live').waitForConnection();
 * await expect(conn).toHaveReplayed();
 * ```
 */
export async function routeFromHAR(pageOrContext: Page | BrowserContext, harFile: string, options?: RouteFromHAROptions): Promise<HarRoute> {
  const target = checkTarget(pageOrContext);
  if (typeof harFile !== 'string' || harFile === '') throw routeArgument('harFile', `must be the path of a HAR file, got ${harFile === '' ? 'an empty string' : typeof harFile}`);
  const opts = checkOptions(options, ['url', 'timing', 'match', 'server', 'onUnmatched']);
  const filter = opts.url;
  if (filter !== undefined && typeof filter !== 'string' && !(filter instanceof RegExp) && typeof filter !== 'function') {
    throw routeArgument('options.url', `must be a path, a URL, a RegExp or a (url: URL) => boolean, got ${filter === null ? 'null' : typeof filter}`);
  }
  if (typeof filter === 'string' && /^wss?:/i.test(filter) && !URL.canParse(filter)) {
    throw routeArgument('options.url', `${JSON.stringify(filter)} is not a URL: use a path (/live) or a full URL (wss://host/live)`);
  }
  checkOnUnmatched(opts.onUnmatched);
  if (opts.server !== undefined) checkServer(opts.server, 'options.server');
  const recording = loadRecording(harFile, { har: true });
  const groups = new Map<string, RecordedConnection>();
  for (const connection of recording.toJSON().connections) {
    if (!wanted(filter, connection.url)) continue;
    const key = keyOf(new URL(connection.url));
    if (!groups.has(key)) groups.set(key, connection);
  }
  if (groups.size === 0) {
    const urls = recording.toJSON().connections.map((c) => c.url).join(', ');
    throw routeArgument('options.url', `${describeRouteUrl(filter!)} matches none of the WebSocket URLs recorded in ${harFile}: ${urls}`);
  }

  const server = opts.server ?? (await createMockServer());
  const owned = opts.server === undefined;
  const mocks = new Map<string, WebSocketMock>();
  const paths = new Map<string, string>();
  let index = 0;
  try {
    for (const [key, connection] of groups) {
      const recordedPath = new URL(connection.url).pathname;
      const path = `/har-${index++}${recordedPath === '/' ? '' : recordedPath}`;
      const mock = server.websocket({
        path,
        name: key,
        replay: { recording, url: connection.url, ...(opts.timing !== undefined ? { timing: opts.timing } : {}), ...(opts.match !== undefined ? { match: opts.match } : {}) },
      });
      mocks.set(key, mock);
      paths.set(key, path);
    }
  } catch (err) {
    // A bad `timing` or `match` is refused by the first mock: leave nothing behind, neither the
    // server made for the page (it would keep the test process alive) nor mocks on a given one.
    if (owned) await server.close();
    else await Promise.all([...mocks.values()].map((mock) => mock.remove()));
    throw err;
  }
  if (owned) onClose(target, () => void server.close());
  await carry(target, {
    server,
    url: (url: URL) => paths.has(keyOf(url)),
    label: `the WebSocket URLs of ${harFile} (${[...paths.keys()].join(', ')})`,
    pathFor: (page) => paths.get(keyOf(page))! + page.search,
    http: false,
    onUnmatched: opts.onUnmatched ?? warnUnmatched,
  });
  return {
    server,
    mocks: [...mocks.values()],
    mock(url: string): WebSocketMock {
      const found = URL.canParse(url) ? mocks.get(keyOf(new URL(url))) : undefined;
      if (!found) throw routeArgument('url', `"${url}" is not a WebSocket URL recorded in ${harFile}; it recorded ${[...mocks.keys()].join(', ')}`);
      return found;
    },
  };
}
