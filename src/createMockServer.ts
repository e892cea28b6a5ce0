//
// Starting a server: the options checked, the kits it speaks (the built-in
// ones, then the user's `kits`) made into its mock kinds, the initial mocks
// validated against them, then the listener. The built-in kits are named
// here, above server/, so the server depends on no kit.
//
import { WsMockError, invalidConfig, type ConfigIssue } from './errors.js';
import { kindsOf } from './serverKinds.js';
import { configOfEnvelope, isEnvelope } from './mocks/envelope.js';
import { validateMockConfig } from './mocks/validate.js';
import { MockServer, startServer } from './server/MockServer.js';
import { resolveOptions, type ServerOptions } from './server/options.js';

/**
 * Starts a real WebSocket mock server on a loopback ephemeral port.
 * Invalid options reject with a `WsMockError` naming every bad field.
 *
 * @example
 * ```ts
 * import { createMockServer } from 'wsmock';
 * import WebSocket from 'ws';
 *
 * const server = await createMockServer();
 * const feed = server.websocket('/feed');
 * const client = new WebSocket(feed.url);
 * const conn = await feed.waitForConnection();
 * await conn.send({ type: 'price', value: 1 });
 * await server.close();
 * ```
 */
export async function createMockServer(options: ServerOptions = {}): Promise<MockServer> {
  const resolved = resolveOptions(options);
  const kinds = kindsOf(resolved.kits);
  // Validate every initial mock before listening, so a bad one leaks no port.
  const issues: ConfigIssue[] = [];
  resolved.mocks.forEach((mock, index) => {
    try {
      if (isEnvelope(mock)) configOfEnvelope(kinds, mock);
      else validateMockConfig(mock);
    } catch (err) {
      if (!(err instanceof WsMockError) || !err.issues) throw err;
      for (const issue of err.issues) issues.push({ path: `mocks[${index}]${issue.path ? `.${issue.path}` : ''}`, message: issue.message });
    }
  });
  if (issues.length > 0) throw invalidConfig('server options', issues);

  const server = new MockServer(resolved, kinds);
  await startServer(server);
  try {
    for (const mock of resolved.mocks) {
      if (isEnvelope(mock)) server.mocks.define(mock);
      else server.websocket(mock);
    }
    if (resolved.admin) await server.listenAdmin(resolved.admin);
  } catch (err) {
    await server.close();
    throw err;
  }
  return server;
}
