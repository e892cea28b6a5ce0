import { WebSocket as ReconnectingWebSocket } from 'partysocket';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Message } from '../src/index.js';
import { useServers } from './helpers/server.js';

// A real reconnecting client (partysocket: backoff, a queue of messages sent
// while disconnected) through refused handshakes and abrupt disconnects.
const start = useServers();

describe('chaos against a reconnecting client', () => {
  it('partysocket gets through refusals and an abrupt disconnect, its queue delivering every message once', async () => {
    const server = await start({ seed: 1234 });
    const mock = server.websocket('/live', { echoMode: false, chaos: { refuse: { first: 2 } } });
    const received: Message[] = [];
    server.on('message', (_conn, message) => received.push(message));
    const closes: number[] = [];
    const client = new ReconnectingWebSocket(mock.url, [], {
      WebSocket,
      minReconnectionDelay: 5,
      maxReconnectionDelay: 40,
      reconnectionDelayGrowFactor: 2,
      connectionTimeout: 2000,
    });
    client.addEventListener('close', (event) => closes.push(event.code));
    try {
      // Sent before any handshake succeeds: partysocket queues them.
      for (let i = 0; i < 5; i++) client.send(`q${i}`);
      const first = await mock.waitForConnection({ timeout: 5000 });
      await vi.waitFor(() => expect(received).toHaveLength(5), { timeout: 5000 });

      // The next frame the server sends destroys the socket (no close frame);
      // the next handshake is refused once more.
      mock.chaos({ disconnect: { afterFrames: 1, mode: 'abrupt' }, refuse: { first: 1 } });
      const closesBefore = closes.length;
      await first.send('bye');
      expect((await first.waitForClose()).code).toBe(1006);
      // Once the client has seen the socket die, what it sends is queued for the next one.
      await vi.waitFor(() => expect(closes.length).toBeGreaterThan(closesBefore), { timeout: 5000 });
      for (let i = 5; i < 10; i++) client.send(`q${i}`);
      const second = await mock.waitForConnection({ timeout: 5000 });
      await vi.waitFor(() => expect(received).toHaveLength(10), { timeout: 5000 });

      expect(received.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `q${i}`));
      expect(first.received.map((m) => m.text)).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
      expect(second.received.map((m) => m.text)).toEqual(['q5', 'q6', 'q7', 'q8', 'q9']);
      expect(server.stats()).toMatchObject({ totalConnections: 2, rejectedConnections: 3, faults: { refuse: 3, disconnect: 1 } });
      expect(first.faults.map((f) => f.kind)).toEqual(['disconnect']);
    } finally {
      client.close();
    }
  });
});
