//
// Issue 22 item 7: memory without bound. A client that stops reading an SSE
// stream made every event wait in the server's memory; now a stream whose
// unsent bytes pass its bound (`maxBuffered`, default 1 MiB) is dropped,
// recorded as 1008 by the server and counted, while other streams go on.
//
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WsMockError, type Connection } from '../src/index.js';
import { useMockServer } from './helpers/server.js';
import { closeSseClients, SseClient } from './helpers/sse.js';

const server = useMockServer({ admin: { port: 0 } });
const stalled: ClientRequest[] = [];
afterEach(() => {
  closeSseClients();
  for (const req of stalled.splice(0)) req.destroy();
});

/** Opens a stream and stops reading it as soon as the response head is in. */
function stallingClient(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, (response) => {
      response.pause();
      resolve(response);
    });
    req.on('error', reject);
    req.end();
    stalled.push(req);
  });
}

/** Pushes 1 KiB events to `conn`, a batch per event-loop turn, until it closes; resolves with how it closed. */
async function pushUntilClosed(conn: Connection) {
  const event = 'x'.repeat(1024);
  const closed = conn.waitForClose({ timeout: 10_000 });
  let pushed = 0;
  // Bounded, so a regression fails instead of filling the test's memory.
  while (conn.isOpen && pushed < 64 * 1024) {
    for (let i = 0; i < 64; i++) void conn.send(event).catch(() => undefined);
    pushed += 64;
    await nextTurn();
  }
  return { info: await closed, pushedKiB: pushed };
}

describe('issue 22 item 7: an SSE stream whose client stops reading', () => {
  it('is dropped once its unsent bytes pass maxBuffered: 1008 by the server, counted, other streams unaffected', async () => {
    const feed = server.sse('/feed', { id: 'feed', maxBuffered: 64 * 1024 });
    const reader = new SseClient(feed.httpUrl);
    await reader.opened();
    const readerConn = await feed.waitForConnection();
    await stallingClient(feed.httpUrl);
    const slow = await feed.waitForConnection();
    const { info } = await pushUntilClosed(slow);
    expect(info).toMatchObject({ code: 1008, by: 'server', reason: expect.stringMatching(/^slow client: \d+ bytes unsent, over the bound of 65536$/) });
    expect(server.stats().connectionsByMock).toEqual({ feed: 1 });
    const metrics = await (await fetch(`${server.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/wsmock_disconnections_total\{mock_id="feed",type="sse",code="1008"\} 1/);
    // The stream that reads is still served.
    await readerConn.send('still here');
    expect((await reader.next()).data).toBe('still here');
  });

  it('has a default bound of 1 MiB', async () => {
    const feed = server.sse('/feed', { id: 'feed' });
    await stallingClient(feed.httpUrl);
    const slow = await feed.waitForConnection();
    const { info, pushedKiB } = await pushUntilClosed(slow);
    expect(info).toMatchObject({ code: 1008, by: 'server', reason: expect.stringMatching(/over the bound of 1048576$/) });
    expect(pushedKiB).toBeGreaterThan(1024);
  });

  it('refuses a maxBuffered that is not a positive whole number of bytes, naming the field', () => {
    for (const maxBuffered of [0, 1.5, '1MB']) {
      let caught: unknown;
      try {
        server.sse('/bad', { maxBuffered: maxBuffered as number });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WsMockError);
      expect((caught as Error).message).toMatch(/maxBuffered.*must be a whole number of bytes/s);
    }
  });
});
