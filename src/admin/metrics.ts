//
// Prometheus metrics of one server, for `GET /metrics`.
//
// Each server owns a prom-client Registry of its own (never the global one), so
// two servers in one process never mix figures. Nothing is counted here: every
// family is read at scrape time from the server's lifetime counters (the same
// ones `stats()` sums), so the two always agree, `reset()` zeroes both, and no
// frame pays for metrics nobody scrapes.
//
import { Counter, Gauge, Registry } from 'prom-client';
import { countersOf, type MockCounters } from '../server/stats.js';
import type { ConnectionType } from '../transport/types.js';
import type { AdminTarget } from './target.js';

type PerMock = Exclude<keyof MockCounters, 'disconnections' | 'type'>;

/** The metric families of one server. */
export class ServerMetrics {
  /** The server's own registry. */
  readonly registry = new Registry();

  constructor(server: AdminTarget) {
    const registers = [this.registry];
    const own = countersOf(server);
    if (!own) throw new TypeError('metrics: not a wsmock server');
    const counters = () => own;
    // Every current mock shows up, at 0 before its first connection.
    const mockIds = () => new Set([...server.mocks.list().map((m) => m.id), ...counters().byMock.keys()]);
    // Each series carries its connection type (`websocket`, `sse`, a kit's carrier), so
    // `sum by (type)` splits the figures the way `stats().byType` does.
    const typeOf = (id: string): ConnectionType => {
      const type = server.mocks.get(id)?.type;
      return counters().byMock.get(id)?.type ?? (type === undefined ? undefined : server.mocks.kinds.get(type)?.carrier) ?? 'websocket';
    };

    const perMock = (name: string, help: string, field: PerMock) =>
      new Counter({
        name,
        help,
        labelNames: ['mock_id', 'type'] as const,
        registers,
        collect() {
          this.reset();
          for (const id of mockIds()) this.inc({ mock_id: id, type: typeOf(id) }, counters().byMock.get(id)?.[field] ?? 0);
        },
      });
    perMock('wsmock_connections_total', 'Connections accepted (WebSocket and SSE streams, by type).', 'connections');
    perMock('wsmock_messages_received_total', 'Frames received from clients.', 'messagesRecv');
    perMock('wsmock_messages_sent_total', 'Frames sent to clients.', 'messagesSent');
    perMock('wsmock_received_bytes_total', 'Payload bytes received from clients.', 'bytesRecv');
    perMock('wsmock_sent_bytes_total', 'Payload bytes sent to clients.', 'bytesSent');
    perMock('wsmock_upstream_messages_sent_total', 'Frames proxy mocks sent to their upstreams.', 'upstreamMessagesSent');
    perMock('wsmock_upstream_messages_received_total', 'Frames proxy mocks received from their upstreams.', 'upstreamMessagesRecv');
    perMock('wsmock_upstream_sent_bytes_total', 'Payload bytes proxy mocks sent to their upstreams.', 'upstreamBytesSent');
    perMock('wsmock_upstream_received_bytes_total', 'Payload bytes proxy mocks received from their upstreams.', 'upstreamBytesRecv');
    perMock('wsmock_upstream_late_frames_total', 'Frames an upstream sent after its client had left (dropped).', 'upstreamLate');
    perMock('wsmock_contract_violations_total', 'Frames and handshakes that broke the mock\'s AsyncAPI contract.', 'violations');

    new Counter({
      name: 'wsmock_connections_rejected_total',
      help: 'Handshakes refused, by reason (mock_id is empty when no mock matched the path).',
      labelNames: ['mock_id', 'reason'] as const,
      registers,
      collect() {
        this.reset();
        for (const [mockId, reasons] of counters().rejections) {
          for (const [reason, n] of reasons) this.inc({ mock_id: mockId, reason }, n);
        }
      },
    });
    new Counter({
      name: 'wsmock_disconnections_total',
      help: 'Connections closed, by close code.',
      labelNames: ['mock_id', 'type', 'code'] as const,
      registers,
      collect() {
        this.reset();
        for (const [mockId, c] of counters().byMock) {
          for (const [code, n] of c.disconnections) this.inc({ mock_id: mockId, type: c.type, code: String(code) }, n);
        }
      },
    });
    new Counter({
      name: 'wsmock_faults_total',
      help: 'Faults injected by seeded chaos, by kind (drop, duplicate, delay, reorder, corrupt, truncate, disconnect, refuse, handshakeDelay).',
      labelNames: ['kind'] as const,
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of counters().faults) this.inc({ kind }, n);
      },
    });
    new Gauge({
      name: 'wsmock_active_connections',
      help: 'Connections open now.',
      labelNames: ['mock_id', 'type'] as const,
      registers,
      collect() {
        this.reset();
        for (const [mockId, open] of Object.entries(server.stats().connectionsByMock)) this.set({ mock_id: mockId, type: typeOf(mockId) }, open);
      },
    });
  }

  /** The Prometheus text exposition and its content type. */
  async expose(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

const metricsByServer = new WeakMap<AdminTarget, ServerMetrics>();

/** The metrics of `server`, created on first use (they read the server's counters, so nothing is missed). */
export function metricsFor(server: AdminTarget): ServerMetrics {
  let metrics = metricsByServer.get(server);
  if (!metrics) {
    metrics = new ServerMetrics(server);
    metricsByServer.set(server, metrics);
  }
  return metrics;
}
