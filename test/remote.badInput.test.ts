//
// Bad and unusual input to the remote-handle surfaces: the admin routes
// remote handles drive, and `connectMockServer()` and its handles. Real
// servers on port 0, real HTTP clients.
//
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../src/index.js';
import { closeAllClients, connect } from './helpers/client.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await closeAllClients();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function adminServer(): Promise<MockServer> {
  const server = await createMockServer({ admin: true });
  servers.push(server);
  return server;
}

describe('POST /mocks/{id}/connections/next refuses a bad timeout naming it', () => {
  it.each([
    ['-1', -1, 'got -1'],
    ['a fraction', 1.5, 'got 1.5'],
    ['past the bound', 25_001, 'got 25001'],
    ['a string', '100', 'got string'],
    ['a boolean', true, 'got boolean'],
    ['an array', [100], 'got an array'],
  ])('%s', async (_label, timeout, got) => {
    const server = await adminServer();
    const mock = server.websocket('/next', { echoMode: false });
    const response = await fetch(`${server.adminUrl}/mocks/${mock.id}/connections/next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeout }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'validation_error',
      message: `Invalid request: timeout must be a whole number of milliseconds from 0 to 25000, ${got}.`,
      details: [{ path: 'timeout', message: `must be a whole number of milliseconds from 0 to 25000, ${got}` }],
    });
  });

  it('null is the default, as for query and headers', async () => {
    const server = await adminServer();
    const mock = server.websocket('/next', { echoMode: false });
    await connect(`${server.url}/next`);
    const response = await fetch(`${server.adminUrl}/mocks/${mock.id}/connections/next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeout: null, query: null }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { connection: { path: string } }).connection.path).toBe('/next');
  });
});
