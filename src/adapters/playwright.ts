/**
 * Playwright Test fixtures and matchers. Extend your `test` and `expect` once:
 *
 * ```ts
 * // fixtures.ts
 * import { test as base, expect as baseExpect } from '@playwright/test';
 * import { wsmockFixtures, wsmockMatchers, type WsMockFixtures, type WsMockWorkerFixtures } from 'wsmock/playwright';
 *
 * export const test = base.extend<WsMockFixtures, WsMockWorkerFixtures>(wsmockFixtures);
 * export const expect = baseExpect.extend(wsmockMatchers);
 * ```
 *
 * Every server listens on its own ephemeral port, so parallel workers never
 * collide. An app that cannot be pointed at `mock.url` keeps its own URL:
 * `route(wsmock, page, 'wss://api.example.com/**')` carries the page's
 * sockets there, and `routeFromHAR(page, 'session.har')` replays a HAR's.
 *
 * @example
 * ```ts
 * test('renders pushed prices', async ({ page, wsmock }) => {
 *   const prices = wsmock.websocket('/prices', { echoMode: false });
 *   await page.goto(`${appUrl}?ws=${encodeURIComponent(prices.url)}`);
 *   const conn = await prices.waitForConnection();
 *   await expect(conn).toReceiveMessage({ type: 'subscribe' });
 *   await conn.send({ price: 42 });
 *   await expect(page.getByTestId('price')).toHaveText('42');
 * });
 * ```
 *
 * @module wsmock/playwright
 */
import type { Fixtures } from '@playwright/test';
import { createMockServer } from '../createMockServer.js';
import type { MockServer } from '../server/MockServer.js';
import type { ServerOptions } from '../server/options.js';
import type { MatcherContext } from './context.js';
import { toBeClosed, toHaveConnections, toHaveReceivedMessages, toReceiveMessage, type WsMockMatcherFunctions } from './matchers.js';
import { wrapKitMatchers } from './kitMatchers.js';
import { toHaveReplayed } from './toHaveReplayed.js';

export { route } from './route/route.js';
export type { RouteOptions } from './route/route.js';
export { routeFromHAR } from './route/routeFromHAR.js';
export type { HarRoute, RouteFromHAROptions } from './route/routeFromHAR.js';
export type { UnmatchedRoute } from './route/carry.js';
export type { RouteUrl } from './route/patterns.js';
export { DEFAULT_WITHIN } from './matchers.js';
export type { WsMockMatcherFunctions } from './matchers.js';
export { messageMatching } from './expected.js';
export { eventOptions } from './toReceiveEvent.js';
export type { EventOptions, ReceiveEventOptions } from './toReceiveEvent.js';
export type { ExpectedMessage, MessageMatching } from './expected.js';
export type { ExpectedSseEvent } from './toHaveSent.js';
export type { MatcherContext, MatcherResult, MatcherUtils, MatcherHintOptions } from './context.js';
export type { ReceiveOptions, ConnectionsOptions, ClosedOptions, CompletedOptions, ReplayedOptions, CoveredOptions, WsMockMatchers } from './types.js';

//
// Playwright's matcher context has a `this.equals` that throws ("custom expect
// matchers that are not compatible with Playwright"). The matchers get a
// context without it, so they compare with their own deep equality, which
// honours Playwright's asymmetric matchers (`expect.objectContaining`, …).
//
function forPlaywright<A extends unknown[], R>(
  matcher: (this: MatcherContext, received: unknown, ...args: A) => R,
): (this: MatcherContext, received: unknown, ...args: A) => R {
  return function (this: MatcherContext, received: unknown, ...args: A): R {
    const ctx: MatcherContext = { isNot: this.isNot, promise: this.promise ?? '', utils: this.utils };
    if (this.timeout !== undefined) ctx.timeout = this.timeout;
    return matcher.call(ctx, received, ...args);
  };
}

/**
 * Every wsmock matcher, ready for Playwright's `expect.extend(wsmockMatchers)`.
 *
 * @example
 * ```ts
 * export const expect = baseExpect.extend(wsmockMatchers);
 * ```
 */
export const wsmockMatchers: WsMockMatcherFunctions = {
  toReceiveMessage: forPlaywright(toReceiveMessage),
  toHaveReceivedMessages: forPlaywright(toHaveReceivedMessages),
  toHaveConnections: forPlaywright(toHaveConnections),
  toBeClosed: forPlaywright(toBeClosed),
  ...wrapKitMatchers(forPlaywright),
  toHaveReplayed: forPlaywright(toHaveReplayed),
};

/** Test-scoped fixtures added by {@link wsmockFixtures}. */
export interface WsMockFixtures {
  /** A mock server of this test only, closed (clients get 1001) when the test ends. */
  wsmock: MockServer;
}

/** Worker-scoped fixtures and options added by {@link wsmockFixtures}. */
export interface WsMockWorkerFixtures {
  /**
   * A mock server shared by the tests of one worker, closed when the worker
   * stops. Mocks and connections persist between tests: call `reset()` in an
   * `afterEach` hook when tests must not see each other's.
   */
  wsmockWorker: MockServer;
  /**
   * Options of both servers (`createMockServer()` options), set with
   * `test.use({ wsmockOptions: { … } })` or in the config's `use`. Keep `port`
   * at 0 (the default) so workers never share a port.
   *
   * `{ tls: true }` serves `wss://` with an ephemeral certificate: let the page
   * trust it with `ignoreHTTPSErrors: true` in the same `use` (Chromium then
   * accepts the certificate for https pages and WebSockets alike).
   *
   * @example
   * ```ts
   * test.use({ wsmockOptions: { tls: true }, ignoreHTTPSErrors: true });
   * ```
   */
  wsmockOptions: ServerOptions;
}

//
// Starting the server is the fixture's only failure point: createMockServer()
// rejects (invalid options, a port in use) instead of hanging, and Playwright
// reports that rejection, with its cause, as the test's error.
//
async function serve(options: ServerOptions, use: (server: MockServer) => Promise<void>): Promise<void> {
  const server = await createMockServer(options);
  try {
    await use(server);
  } finally {
    await server.close();
  }
}

/**
 * The fixtures for `test.extend<WsMockFixtures, WsMockWorkerFixtures>(wsmockFixtures)`:
 * `wsmock` (one server per test), `wsmockWorker` (one per worker) and the
 * `wsmockOptions` option.
 */
export const wsmockFixtures: Fixtures<WsMockFixtures, WsMockWorkerFixtures> = {
  wsmockOptions: [{}, { option: true, scope: 'worker' }],
  wsmock: async ({ wsmockOptions }, use) => serve(wsmockOptions, use),
  wsmockWorker: [async ({ wsmockOptions }, use) => serve(wsmockOptions, use), { scope: 'worker' }],
};
