//
// Prometheus metrics of one server, for `GET /metrics`.
//
// Each server owns a prom-client Registry of its own (never the global one), so
// two servers in one process never mix figures. Counters are fed by the
// server's events, the one place each figure is counted; the active
// connections gauge is read from `server.stats()` at scrape time rather than
// counted up and down. `reset()` zeroes the registry along with the stats.
//
import { Counter, Gauge, Registry } from 'prom-client';
import type { MockServer } from '../server/MockServer.js';

/** The metric families of one server. */
export class ServerMetrics {
  /** The server's own registry. */
  readonly registry = new Registry();

  constructor(server: MockServer) {
    const registers = [this.registry];
    const byMock = ['mock_id'] as const;
    const counter = (name: string, help: string) => new Counter({ name, help, labelNames: byMock, registers });
    const connections = counter('wsmock_connections_total', 'WebSocket connections accepted.');
    const messagesIn = counter('wsmock_messages_received_total', 'Frames received from clients.');
    const messagesOut = counter('wsmock_messages_sent_total', 'Frames sent to clients.');
    const bytesIn = counter('wsmock_received_bytes_total', 'Payload bytes received from clients.');
    const bytesOut = counter('wsmock_sent_bytes_total', 'Payload bytes sent to clients.');
    const rejections = new Counter({
      name: 'wsmock_connections_rejected_total',
      help: 'Handshakes refused, by reason (mock_id is empty when no mock matched the path).',
      labelNames: ['mock_id', 'reason'] as const,
      registers,
    });
    const disconnections = new Counter({
      name: 'wsmock_disconnections_total',
      help: 'Connections closed, by close code.',
      labelNames: ['mock_id', 'code'] as const,
      registers,
    });
    new Gauge({
      name: 'wsmock_active_connections',
      help: 'Connections open now.',
      labelNames: byMock,
      registers,
      collect() {
        this.reset();
        for (const [mockId, open] of Object.entries(server.stats().connectionsByMock)) this.set({ mock_id: mockId }, open);
      },
    });

    const perMock = [connections, messagesIn, messagesOut, bytesIn, bytesOut];
    server.on('mock:added', (mock) => {
      // Every mock shows up at 0 before its first connection.
      for (const metric of perMock) metric.inc({ mock_id: mock.id }, 0);
    });
    server.on('connection', (connection) => connections.inc({ mock_id: connection.mockId }));
    server.on('rejected', (info) => rejections.inc({ mock_id: info.mockId ?? '', reason: info.error }));
    server.on('message', (connection, message) => {
      messagesIn.inc({ mock_id: connection.mockId });
      bytesIn.inc({ mock_id: connection.mockId }, message.size);
    });
    server.on('sent', (connection, message) => {
      messagesOut.inc({ mock_id: connection.mockId });
      bytesOut.inc({ mock_id: connection.mockId }, message.size);
    });
    server.on('close', (connection, info) => disconnections.inc({ mock_id: connection.mockId, code: String(info.code) }));
    server.on('reset', () => this.registry.resetMetrics());
  }

  /** The Prometheus text exposition and its content type. */
  async expose(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

const metricsByServer = new WeakMap<MockServer, ServerMetrics>();

/**
 * The metrics of `server`, created on first use. `createMockServer()` calls it
 * before the server listens, so the counters see every event from the start.
 */
export function metricsFor(server: MockServer): ServerMetrics {
  let metrics = metricsByServer.get(server);
  if (!metrics) {
    metrics = new ServerMetrics(server);
    metricsByServer.set(server, metrics);
  }
  return metrics;
}
