//
// issue 27: what a route opens is owned. A Node process that routes a page
// (a WebSocket and Socket.IO's long-polling in flight), then closes its
// browser context and its server, exits by itself: no ws client, held request
// or listener of the route keeps it alive. Run from the built package, in a
// child process, both orders of closing.
//
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './helpers/pack.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wsmock-route-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(serverFirst: boolean): string {
  const dist = (file: string) => pathToFileURL(join(root, 'dist', file)).href;
  return `
import { chromium } from ${JSON.stringify(pathToFileURL(join(root, 'node_modules/playwright-core/index.mjs')).href)};
import { readFileSync } from 'node:fs';
import { createMockServer } from ${JSON.stringify(dist('index.js'))};
import { route } from ${JSON.stringify(dist('playwright.js'))};

const server = await createMockServer();
const feed = server.websocket('/feed', { echoMode: false });
const io = server.socketio();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext();
const page = await context.newPage();
const bundle = readFileSync(${JSON.stringify(join(root, 'node_modules/socket.io-client/dist/socket.io.min.js'))}, 'utf8');
await page.route('https://app.test/**', (r) => r.request().url().endsWith('.js')
  ? r.fulfill({ contentType: 'text/javascript', body: bundle })
  : r.fulfill({ contentType: 'text/html', body: '<script src="/io.js"></script><script>window.ws = new WebSocket("wss://api.example.com/feed"); window.socket = io("https://api.example.com", { transports: ["polling"] });</script>' }));
await route(server, page, 'wss://api.example.com/**');
await page.goto('https://app.test/');
const conn = await feed.waitForConnection();
await io.waitForConnection();
${serverFirst ? 'await server.close();\nawait browser.close();' : 'await context.close();\nconsole.log(`routed socket closed by the ${(await conn.waitForClose()).by}`);\nawait browser.close();\nawait server.close();'}
console.log('closed');
`;
}

describe('issue 27: a routed page leaves nothing running', () => {
  it.each([
    ['the context, then the server', false],
    ['the server, then the browser', true],
  ])('closing %s: the process exits by itself', async (_name, serverFirst) => {
    const file = join(dir, `exit-${serverFirst ? 'server' : 'context'}.mjs`);
    writeFileSync(file, script(serverFirst));
    const { stdout } = await run(process.execPath, [file], { timeout: 20_000 });
    expect(stdout).toBe(serverFirst ? 'closed\n' : 'routed socket closed by the client\nclosed\n');
  }, 30_000);
});
