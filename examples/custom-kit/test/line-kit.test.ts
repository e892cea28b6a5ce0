import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMockServer, loadConfigFiles, type MockServer } from 'wsmock';
import { lineKit } from '../line-kit.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/** A real client: connects, sends `line`, resolves with the first line the server answers. */
async function say(url: string, line: string): Promise<string> {
  const client = new WebSocket(url);
  try {
    await once(client, 'open');
    client.send(line);
    const [data] = await once(client, 'message');
    return String(data);
  } finally {
    client.close();
  }
}

describe('a mock of the line kit, in-process', () => {
  let server: MockServer;
  beforeAll(async () => {
    // Register the kit: its mocks can then be added here, in config files and over the admin API.
    server = await createMockServer({ kits: [lineKit] });
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('answers HELLO with WELCOME', async () => {
    const line = server.mocks.add(lineKit, '/line');
    expect(await say(line.url, 'HELLO ada')).toBe('WELCOME ada');
    expect(await say(line.url, 'GOODBYE')).toBe('ERR GOODBYE');
  });

  it('takes its config from the kit schema (greeting), and refuses a field the schema does not have', () => {
    const line = server.mocks.add(lineKit, { path: '/hi', greeting: 'HI' });
    expect(line.config).toMatchObject({ path: '/hi', greeting: 'HI' });
    expect(() => server.mocks.add(lineKit, { path: '/typo', greting: 'HI' } as never)).toThrow(/greting: is not a known field; did you mean "greeting"\?/);
  });

  it('gives the test mock.waitForHello() and conn.waitForHello(), which see a HELLO sent before the call', async () => {
    const line = server.mocks.add(lineKit, '/line');
    const answered = say(line.url, 'HELLO grace');
    expect(await line.waitForHello()).toBe('grace');
    expect(await answered).toBe('WELCOME grace');

    const client = new WebSocket(line.url);
    await once(client, 'open');
    const conn = await line.waitForConnection();
    const reply = once(client, 'message');
    client.send('HELLO linus');
    expect(await conn.waitForHello()).toBe('linus');
    expect(String((await reply)[0])).toBe('WELCOME linus');
    client.close();
  });

  it('gets the lifecycle of every mock for free: update() closes its clients with 1012', async () => {
    const line = server.mocks.add(lineKit, '/line');
    const client = new WebSocket(line.url);
    await once(client, 'open');
    const closed = once(client, 'close');
    await line.update({ greeting: 'BONJOUR' });
    const [code] = await closed;
    expect(code).toBe(1012);
    expect(await say(line.url, 'HELLO ada')).toBe('BONJOUR ada');
    expect(server.stats().byType).toMatchObject({ websocket: { totalConnections: 2 } });
  });

  it('loads line.yaml, the config file wsmock serve reads, with the kit', async () => {
    const { mocks } = await loadConfigFiles([join(exampleDir, 'line.yaml')], { kits: [lineKit] });
    const greeter = server.mocks.define(mocks[0]!);
    expect(await say(greeter.url, 'HELLO ada')).toBe('HI ada');
  });
});

describe('a mock of the line kit, served by wsmock serve --kit ./line-kit.js', () => {
  it('serves line.yaml: a real client gets HI', async () => {
    // The command line of the installed package: its `bin`, what `npx wsmock` runs.
    const pkg = createRequire(import.meta.url).resolve('wsmock/package.json');
    const cli = join(dirname(pkg), (JSON.parse(readFileSync(pkg, 'utf8')) as { bin: { wsmock: string } }).bin.wsmock);
    const child = spawn(process.execPath, [cli, 'serve', '--kit', './line-kit.js', '--config', 'line.yaml', '--port', '0', '--no-admin'], { cwd: exampleDir });
    try {
      let output = '';
      const exited = once(child, 'exit');
      // It prints its URL, then the mocks; wait for the mocks' line.
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk;
          const served = /greeter +(ws:\/\/\S+)/.exec(output);
          if (served) resolve(served[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk));
        void exited.then(() => reject(new Error(`wsmock serve exited:\n${output}`)));
      });
      expect(await say(url, 'HELLO ada')).toBe('HI ada');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
