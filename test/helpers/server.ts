//
// One mock server per test file: created before the first test, reset (and
// every client opened with `connect()` closed) after each test, closed after
// the last. The returned handle forwards to the live server, so suites can
// write `server.websocket(…)` at the top level of a `describe`.
//
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createMockServer, type MockServer, type ServerOptions } from '../../src/index.js';
import { closeAllClients } from './behaviourClient.js';

/** Registers the file's server lifecycle hooks and returns a handle to the server. */
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
