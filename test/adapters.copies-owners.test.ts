//
// Issue 23, "one owner per connection": a connection's handle is public and
// its core is reached only by the modules of the copy that made it, so two
// copies of the package interoperate through branded, public surfaces.
// (a) a plain Node process, as a Jest user's: the ESM build's server with the
// CommonJS build's matchers on Jest's own `expect` and its classes for
// `instanceof` (test/fixtures/copies-one-process.mjs: every core matcher,
// passing and failing, and the handles' public getters, rooms and faults
// included). Before issue 22 item 4 it failed with "Cannot read private
// member #host" inside toReceiveMessage; (b) two installs of the packed
// package: the server from one, the matchers and classes from the other, the
// same script; and a proxy connection's upstream, whose link proxy/ owns,
// read through the other install's matchers.
//
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WsMockMatcherFunctions } from '../src/adapters/matchers.js';
import { closeAllClients, connect } from './helpers/client.js';
import { failure } from './helpers/failures.js';
import { packIntoConsumer, root } from './helpers/pack.js';
import { useUpstream } from './helpers/upstream.js';

type Wsmock = typeof import('../src/index.js');

const run = promisify(execFile);
const script = join(root, 'test', 'fixtures', 'copies-one-process.mjs');
const installs: Record<'a' | 'b', string> = { a: '', b: '' };
const dist = (install: string, file: string) => join(install, 'node_modules', 'wsmock', 'dist', file);

beforeAll(() => {
  installs.a = packIntoConsumer('owners-a');
  installs.b = packIntoConsumer('owners-b');
}, 120_000);

/** Runs the one-process script and returns each check's outcome ("pass" or the error it threw). */
async function oneProcess(server: string, matchers: string, classes: string): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, [script, server, matchers, classes], { cwd: root, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, string>;
}

const checks = ['instanceof', 'toReceiveMessage', 'not.toReceiveMessage', 'toHaveReceivedMessages', 'toHaveConnections', 'public getters', 'toBeClosed'];
const allPass = Object.fromEntries(checks.map((name) => [name, 'pass']));

describe('issue 23: the ESM server and the CommonJS matchers in one process', () => {
  it('every core matcher passes and fails with its own message on the other build’s handles, instanceof and the public getters hold', async () => {
    const a = installs.a;
    expect(await oneProcess(dist(a, 'index.js'), dist(a, 'jest.cjs'), dist(a, 'index.cjs'))).toEqual(allPass);
  });
});

describe('issue 23: two installed copies of the packed package', () => {
  it('the server of one install, the matchers and classes of the other, in one process: every core matcher and instanceof', async () => {
    expect(await oneProcess(dist(installs.a, 'index.js'), dist(installs.b, 'jest.cjs'), dist(installs.b, 'index.cjs'))).toEqual(allPass);
  });

  describe('a proxy connection', () => {
    const upstream = useUpstream();
    let wsmock: Wsmock;
    let server: Awaited<ReturnType<Wsmock['createMockServer']>>;

    beforeAll(async () => {
      wsmock = (await import(pathToFileURL(dist(installs.a, 'index.js')).href)) as Wsmock;
      const other = (await import(pathToFileURL(dist(installs.b, 'vitest.js')).href)) as { wsmockMatchers: WsMockMatcherFunctions };
      expect.extend(other.wsmockMatchers);
      server = await wsmock.createMockServer();
    });
    afterEach(async () => {
      await closeAllClients();
      await server.reset();
    });
    afterAll(() => server?.close());

    it('its upstream (owned by proxy/ of the server’s copy) is on the handle, and the other copy’s matchers read the connection', async () => {
      const other = (await import(pathToFileURL(dist(installs.b, 'index.js')).href)) as Wsmock;
      const mock = server.websocket({ path: '/p', proxy: { url: `${upstream.url}/echo` } });
      const client = await connect(mock.url);
      const conn = await mock.waitForConnection();
      expect(conn).toBeInstanceOf(other.Connection);
      expect(conn.upstream).not.toBeNull();
      expect(conn.upstream!.url).toBe(`${upstream.url}/echo`);
      expect(await client.ask('hello')).toBe('hello');
      await expect(conn).toReceiveMessage('hello');
      expect((await conn.upstream!.waitForMessage({ type: 'exact', value: 'hello' })).direction).toBe('upstream-in');
      expect(conn.messages.map((m) => m.direction)).toEqual(['in', 'upstream-out', 'upstream-in', 'out']);
      expect(await failure(expect(conn).toReceiveMessage('nothing', { timeout: 30 }))).toContain('Timed out after 30 ms');
      await client.close(4000);
      await expect(conn).toBeClosed({ code: 4000 });
    });
  });
});
