import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createMockServer, WsMockError } from '../src/index.js';
import { connect } from './helpers/client.js';

const run = promisify(execFile);

describe('lifecycle', () => {
  it('close() is idempotent and releases the port', async () => {
    const server = await createMockServer();
    const port = server.port;
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    expect(server.state).toBe('closed');
    // The same port can be taken again at once.
    const again = await createMockServer({ port });
    expect(again.port).toBe(port);
    await again.close();
  });

  it('await using closes the server at the end of the scope', async () => {
    let url = '';
    let closedClient: Promise<{ code: number; reason: string }> | undefined;
    {
      await using server = await createMockServer();
      const mock = server.websocket('/scoped');
      url = mock.url;
      closedClient = (await connect(url)).closed;
    }
    expect(await closedClient).toEqual({ code: 1001, reason: 'server shutdown' });
    await expect(connect(url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses new work after close with WSMOCK_ERR_SERVER_CLOSED', async () => {
    const server = await createMockServer();
    await server.close();
    expect(() => server.websocket('/late')).toThrow(WsMockError);
    expect(() => server.websocket('/late')).toThrow(/server is closed/);
    await expect(server.reset()).rejects.toMatchObject({ code: 'WSMOCK_ERR_SERVER_CLOSED' });
  });

  it('rejects pending waits with WSMOCK_ERR_SERVER_CLOSED on close', async () => {
    const server = await createMockServer();
    const mock = server.websocket('/w');
    const onMock = mock.waitForConnection({ timeout: 10_000 });
    const onServer = server.waitForConnection({ timeout: 10_000 });
    const assertions = Promise.all([
      expect(onMock).rejects.toMatchObject({ code: 'WSMOCK_ERR_SERVER_CLOSED' }),
      expect(onServer).rejects.toMatchObject({ code: 'WSMOCK_ERR_SERVER_CLOSED' }),
    ]);
    await server.close();
    await assertions;
  });

  it('reports a port in use with WSMOCK_ERR_LISTEN_FAILED naming the port', async () => {
    const server = await createMockServer();
    const error = (await createMockServer({ port: server.port }).catch((e) => e)) as WsMockError;
    expect(error.code).toBe('WSMOCK_ERR_LISTEN_FAILED');
    expect(error.message).toBe(`Cannot listen on 127.0.0.1:${server.port}: port ${server.port} is already in use.`);
    await server.close();
  });

  it('a child process that creates a server, connects and closes exits by itself', async () => {
    const script = fileURLToPath(new URL('./fixtures/exits-by-itself.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
    // No explicit exit in the script: if anything held the event loop, this would hit the timeout.
    const { stdout } = await run(process.execPath, [tsx, script], { timeout: 10_000 });
    expect(stdout.trim().split('\n')).toEqual(['echo: hello', 'client closed: 1001 server shutdown', 'server closed']);
  });
});
