//
// Server lifecycles for test files. Both close every client opened with
// `connect()` after each test.
//
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createMockServer, type MockServer, type ServerOptions } from '../../src/index.js';
import { closeAllClients } from './client.js';

/**
 * One mock server per test file: created before the first test, reset after
 * each test, closed after the last. The returned handle forwards to the live
 * server, so suites can write `server.websocket(…)` at the top level of a
 * `describe`.
 */
export function useMockServer(options?: ServerOptions): MockServer {
  let current: MockServer | undefined;
  beforeAll(async () => {
    current = await createMockServer(options);
  });
  afterEach(async () => {
    await closeAllClients();
    await current?.reset();
  });
  afterAll(() => current?.close());
  return new Proxy({} as MockServer, {
    get(_target, key) {
      if (!current) throw new Error('The mock server is created in beforeAll; use it inside a test or hook.');
      const value = Reflect.get(current, key, current) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

/**
 * For files whose tests each start their own servers: returns `start(options)`,
 * which creates a server (with `defaults` under `options`); every server started
 * in a test is closed after it.
 */
export function useServers(defaults: ServerOptions = {}): (options?: ServerOptions) => Promise<MockServer> {
  const started: MockServer[] = [];
  afterEach(async () => {
    await closeAllClients();
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    const server = await createMockServer({ ...defaults, ...options });
    started.push(server);
    return server;
  };
}
