//
// Load: a thousand concurrent clients, a thousand echoed messages each, every
// message accounted for on both sides and in both sets of counters.
//
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../src/index.js';
import { LoadProcess, metricValue, split } from './helpers/loadProcess.js';

const CLIENTS = 1_000;
const MESSAGES = 1_000;
const WINDOW = 8;
const PROCESSES = 2;

describe('load: 1,000 clients × 1,000 echoed messages', () => {
  let server: MockServer;
  const children: LoadProcess[] = [];

  beforeAll(async () => {
    server = await createMockServer({ admin: true });
  });

  afterAll(async () => {
    for (const child of children) child.kill();
    await server?.close();
  });

  it('echoes every message exactly once, in order, and stats() and /metrics agree', async () => {
    const mock = server.websocket({ id: 'load', path: '/load' });
    const names = Array.from({ length: PROCESSES }, (_, i) => `p${i}`);
    for (let i = 0; i < PROCESSES; i++) children.push(new LoadProcess());
    const counts = split(CLIENTS, PROCESSES);
    const opened = await Promise.all(children.map((child, i) => child.open(mock.url, counts[i]!, names[i]!)));
    expect(opened).toEqual(counts);
    expect(server.stats().activeConnections).toBe(CLIENTS);

    const results = (await Promise.all(children.map((child) => child.echo(MESSAGES, WINDOW)))).flat();

    // Client side: each got exactly its own frames back, in the order it sent them.
    expect(results).toHaveLength(CLIENTS);
    expect(results.filter((r) => r.errors.length > 0).slice(0, 3)).toEqual([]);
    expect(results.every((r) => r.received === MESSAGES)).toBe(true);

    // Server side: each connection's journal holds its client's sequence once, in order.
    const connections = mock.connections;
    expect(connections).toHaveLength(CLIENTS);
    let expectedBytes = 0;
    const bad: string[] = [];
    for (const connection of connections) {
      const texts = connection.received.map((m) => m.text);
      const prefix = texts[0]?.slice(0, texts[0].indexOf(':') + 1) ?? '?';
      for (let seq = 0; seq < MESSAGES; seq++) {
        const expected = `${prefix}${seq}`;
        expectedBytes += Buffer.byteLength(expected);
        if (texts[seq] !== expected && bad.length < 3) bad.push(`${connection.id}[${seq}]: ${texts[seq]} (wanted ${expected})`);
      }
      if (texts.length !== MESSAGES && bad.length < 3) bad.push(`${connection.id}: ${texts.length} frames`);
      if (connection.info.messagesSent !== MESSAGES && bad.length < 3) bad.push(`${connection.id}: sent ${connection.info.messagesSent}`);
    }
    expect(bad).toEqual([]);
    expect(new Set(connections.map((c) => c.received[0]?.text?.split(':')[0])).size).toBe(CLIENTS);

    const total = CLIENTS * MESSAGES;
    expect(server.stats()).toEqual({
      totalConnections: CLIENTS,
      activeConnections: CLIENTS,
      rejectedConnections: 0,
      totalMessagesSent: total,
      totalMessagesRecv: total,
      totalBytesSent: expectedBytes,
      totalBytesRecv: expectedBytes,
      connectionsByMock: { load: CLIENTS },
      byType: {
        websocket: { totalConnections: CLIENTS, activeConnections: CLIENTS, totalMessagesSent: total, totalMessagesRecv: total, totalBytesSent: expectedBytes, totalBytesRecv: expectedBytes },
        sse: { totalConnections: 0, activeConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, totalBytesSent: 0, totalBytesRecv: 0 },
      },
      faults: {},
      upstream: { messagesSent: 0, messagesRecv: 0, bytesSent: 0, bytesRecv: 0, droppedAfterClose: 0 },
      violations: 0,
      violationsByMock: {},
    });

    const metrics = await (await fetch(`${server.adminUrl}/metrics`)).text();
    const sample = (name: string) => metricValue(metrics, `${name}{mock_id="load",type="websocket"}`);
    expect({
      connections: sample('wsmock_connections_total'),
      received: sample('wsmock_messages_received_total'),
      sent: sample('wsmock_messages_sent_total'),
      bytesIn: sample('wsmock_received_bytes_total'),
      bytesOut: sample('wsmock_sent_bytes_total'),
      active: sample('wsmock_active_connections'),
    }).toEqual({ connections: CLIENTS, received: total, sent: total, bytesIn: expectedBytes, bytesOut: expectedBytes, active: CLIENTS });

    // The clients leave; the child processes end by themselves.
    const exits = await Promise.all(children.map((child) => child.stop()));
    expect(exits).toEqual(children.map(() => ({ code: 0, signal: null })));
    await expect.poll(() => server.stats().activeConnections, { timeout: 30_000 }).toBe(0);
    expect(metricValue(await (await fetch(`${server.adminUrl}/metrics`)).text(), 'wsmock_disconnections_total{mock_id="load",type="websocket",code="1006"}')).toBe(CLIENTS);
  });
});
