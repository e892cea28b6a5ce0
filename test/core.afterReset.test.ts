//
// Issue 22 item 5: tests that leak into the next test. reset() closes with
// 1012, so an app's reconnecting client comes back, into the next test's mock
// on the same path. Such a connection is flagged `conn.info.afterReset`, and
// the waits and matchers that count connections say so when they fail.
//
import { WebSocket as ReconnectingWebSocket } from 'partysocket';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { wsmockMatchers } from '../src/adapters/vitest.js';
import { WsMockErrorCode } from '../src/index.js';
import { connect } from './helpers/client.js';
import { failure, rejection } from './helpers/failures.js';
import { useServers } from './helpers/server.js';

expect.extend(wsmockMatchers);
const start = useServers();

/** An app's reconnecting client, with a short backoff so the test does not wait seconds. */
function reconnecting(url: string): ReconnectingWebSocket {
  return new ReconnectingWebSocket(url, [], { WebSocket, minReconnectionDelay: 10, maxReconnectionDelay: 50, connectionTimeout: 2000 });
}

describe('issue 22 item 5: a client reconnecting after reset() is flagged afterReset', () => {
  it('partysocket left open comes back into the next test’s mock: flagged, and toHaveConnections(0) / waitForConnectionCount(0) warn', async () => {
    const server = await start();
    const first = server.websocket('/live');
    const app = reconnecting(first.url);
    try {
      const before = await first.waitForConnection({ open: true });
      expect(before.info.afterReset).toBe(false);
      app.send('from the first test');
      await before.waitForMessage();

      // The first test ends without closing its client.
      await server.reset();

      // The next test: a fresh mock on the same path, and no client of its own.
      const next = server.websocket('/live');
      const leaked = await next.waitForConnection({ timeout: 5000 });
      expect(leaked.info.afterReset).toBe(true);
      expect(leaked.info).toMatchObject({ mockId: next.id, afterReset: true });
      expect(server.connections.list()).toMatchObject([{ id: leaked.id, afterReset: true }]);

      const message = await failure(expect(next).toHaveConnections(0, { timeout: 50 }));
      expect(message).toContain(`Warning: ${leaked.id} arrived just after server.reset() from a client like one that reset() closed`);
      expect(message).toContain("Close the app's client before server.reset() in afterEach.");

      const notMessage = await failure(expect(next).not.toHaveConnections(1));
      expect(notMessage).toContain(`Warning: ${leaked.id} arrived just after server.reset()`);

      const err = await rejection(server.waitForConnectionCount(0, { timeout: 50 }));
      expect(err.code).toBe(WsMockErrorCode.TIMEOUT);
      expect(err.message).toContain(`1 open now.\nWarning: ${leaked.id} arrived just after server.reset()`);
    } finally {
      app.close();
    }
  });

  it("closing the app's client before reset() (the documented pattern) flags nothing", async () => {
    const server = await start();
    const first = server.websocket('/live');
    const app = reconnecting(first.url);
    const before = await first.waitForConnection({ open: true });
    app.close();
    await before.waitForClose();
    await server.reset();

    const next = server.websocket('/live');
    await connect(next.url);
    const fresh = await next.waitForConnection();
    expect(fresh.info.afterReset).toBe(false);
    const message = await failure(expect(next).toHaveConnections(0, { timeout: 50 }));
    expect(message).not.toContain('Warning');
  });

  it('flags at most as many arrivals as reset() closed, and only like ones (same path)', async () => {
    const server = await start();
    server.websocket('/a');
    server.websocket('/b');
    await connect(`${server.url}/a`);
    await connect(`${server.url}/b?x=1`);
    await server.waitForConnectionCount(2);
    await server.reset();

    server.websocket('/a');
    server.websocket('/b');
    server.websocket('/c');
    // Query strings differ between reconnections (timestamps, session ids): the path is what counts.
    await connect(`${server.url}/b?x=2`);
    await connect(`${server.url}/c`);
    await connect(`${server.url}/b`);
    await connect(`${server.url}/a`);
    await server.waitForConnectionCount(4);
    const flags = server.connections.list().map((c) => [c.url, c.afterReset]);
    // /c was never open before reset(); the second /b is one more than reset() closed on /b.
    expect(flags).toEqual([
      ['/b?x=2', true],
      ['/c', false],
      ['/b', false],
      ['/a', true],
    ]);
  });
});
