// remote-wait: how soon a remote handle's `waitForMessage` (connectMockServer,
// a long poll of the admin API) resolves once a client's frame is sent, with
// the server in another process on loopback. Each wait is made first and
// given time to reach the server, so what is measured is the held request
// answering, not a read of a frame already there.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/** p50 and p99 of send → waitForMessage resolved, in ms. */
export async function measureRemoteWait(kind, { withServer, quick, median }) {
  if (kind !== 'wsmock') return {};
  const { connectMockServer } = await import('../dist/index.js');
  const waits = quick ? 50 : 500;
  return withServer(kind, 'remote-wait', async (_server, { url, adminUrl }) => {
    const remote = await connectMockServer(adminUrl);
    const client = new WebSocket(url);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    try {
      const [feed] = await remote.mocks.list();
      const conn = await feed.waitForConnection();
      const times = [];
      for (let i = 0; i < waits; i++) {
        const resolved = conn.waitForMessage(undefined, { timeout: 10_000 });
        // Time for the wait's request to be held by the server (a pause of the bench, not a synchronisation of a test).
        await sleep(5);
        const sent = performance.now();
        client.send(String(i));
        const message = await resolved;
        times.push(performance.now() - sent);
        if (message.text !== String(i)) throw new Error(`remote-wait: got ${message.text}, expected ${i}`);
      }
      const sorted = [...times].sort((a, b) => a - b);
      return { 'p99 ms': sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)], 'p50 ms': median(times), waits };
    } finally {
      client.close();
      await remote.close();
    }
  });
}
