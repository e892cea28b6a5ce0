//
// Pages for the routing tests: a document Playwright answers at
// https://app.test/ (a host that resolves nowhere, as api.example.com), whose
// script opens WebSockets and logs every event they fire in `window.log`.
// Chromium is Debian's (CHROMIUM_PATH), never a downloaded one.
//
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createMockServer, type MockServer } from '../../src/index.js';

export const APP_URL = 'https://app.test/';

/** Launches Debian's Chromium; loopback reached from a page Playwright answered needs the Local Network Access checks off (SSE's redirect). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-features=LocalNetworkAccessChecks'] });
}

/** A file's Chromium and mock server (see {@link useRoutedBrowser}). */
export interface RoutedBrowser {
  /** The file's mock server, reset after each test. */
  readonly server: MockServer;
  /** A new browser context, closed after the test. */
  newContext(): Promise<BrowserContext>;
  /** A page in a new context, with the app's document served (`body` appended to it). */
  newPage(body?: string): Promise<Page>;
}

/**
 * One Chromium and one mock server for a file's tests: each test's contexts
 * are closed and the server reset after it, and both go after the file.
 */
export function useRoutedBrowser(): RoutedBrowser {
  let browser: Browser | undefined;
  let server: MockServer | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    server = await createMockServer();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await server?.reset();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The browser and server are started in beforeAll; use them inside a test.');
    return value;
  };
  const routed: RoutedBrowser = {
    get server() {
      return started(server);
    },
    async newContext() {
      const context = await started(browser).newContext();
      contexts.push(context);
      return context;
    },
    async newPage(body) {
      const page = await (await routed.newContext()).newPage();
      await serveApp(page, body);
      return page;
    },
  };
  return routed;
}

/** One event of a page socket, as the page logged it. */
export interface SocketEvent {
  name: string;
  type: 'open' | 'message' | 'error' | 'close';
  protocol?: string;
  data?: string | number[];
  code?: number;
  reason?: string;
  wasClean?: boolean;
}

const LOGGER = `
window.log = [];
window.sockets = {};
window.openSocket = (name, url, protocols) => {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = 'arraybuffer';
  window.sockets[name] = ws;
  ws.onopen = () => window.log.push({ name, type: 'open', protocol: ws.protocol });
  ws.onmessage = (e) => window.log.push({ name, type: 'message', data: typeof e.data === 'string' ? e.data : [...new Uint8Array(e.data)] });
  ws.onerror = () => window.log.push({ name, type: 'error' });
  ws.onclose = (e) => window.log.push({ name, type: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
};`;

/** Client bundles from node_modules, served at the app's origin. */
const BUNDLES: Record<string, string> = {
  '/socket.io.min.js': 'node_modules/socket.io-client/dist/socket.io.min.js',
  '/signalr.min.js': 'node_modules/@microsoft/signalr/dist/browser/signalr.min.js',
};

/** Serves the app's document (and the client bundles: /socket.io.min.js, /signalr.min.js) on `target`. */
export async function serveApp(target: Page | BrowserContext, body = ''): Promise<void> {
  await target.route(`${APP_URL}**`, (route) => {
    const url = new URL(route.request().url());
    const bundle = BUNDLES[url.pathname];
    if (bundle) return route.fulfill({ contentType: 'text/javascript', body: readFileSync(bundle, 'utf8') });
    return route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>app</title><script>${LOGGER}</script>${body}` });
  });
}

/** Opens a WebSocket named `name` in the page. */
export async function openSocket(page: Page, name: string, url: string, protocols?: string[]): Promise<void> {
  await page.evaluate(([n, u, p]) => (window as unknown as { openSocket: (n: string, u: string, p?: string[]) => void }).openSocket(n, u, p), [name, url, protocols] as const);
}

/** The page's log once it holds `count` events of socket `name`; those events. */
export async function eventsOf(page: Page, name: string, count: number): Promise<SocketEvent[]> {
  await page.waitForFunction(([n, c]) => (window as unknown as { log: SocketEvent[] }).log.filter((e) => e.name === n).length >= c, [name, count] as const, { timeout: 10_000 });
  return (await page.evaluate(() => (window as unknown as { log: SocketEvent[] }).log)).filter((e) => e.name === name);
}

/** Runs `code` in the page's socket `name` (`send`, `close`). */
export async function onSocket(page: Page, name: string, code: (ws: WebSocket, arg: unknown) => void, arg?: unknown): Promise<void> {
  await page.evaluate(([n, source, a]) => {
    const ws = (window as unknown as { sockets: Record<string, WebSocket> }).sockets[n as string]!;
    // eslint-disable-next-line no-new-func
    (new Function('ws', 'arg', `(${source as string})(ws, arg)`) as (w: WebSocket, a: unknown) => void)(ws, a);
  }, [name, code.toString(), arg] as const);
}
