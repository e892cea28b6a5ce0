import type { ConnectionType } from '../transport/types.js';

/** The figures of one connection type (WebSocket or Server-Sent Events), as in {@link Stats}. */
export interface TypeStats {
  /** Connections of this type accepted since start or the last `reset()`, open or closed. */
  totalConnections: number;
  /** Connections of this type open now. */
  activeConnections: number;
  /** Frames (SSE: events, comments) sent to clients. */
  totalMessagesSent: number;
  /** Frames received from clients (always 0 for SSE). */
  totalMessagesRecv: number;
  /** Payload bytes sent (SSE: the event stream's text). */
  totalBytesSent: number;
  /** Payload bytes received. */
  totalBytesRecv: number;
}

/** Server-wide figures: the same JSON in-process and over HTTP. */
export interface Stats {
  /** Connections accepted since start or the last `reset()`, open or closed. */
  totalConnections: number;
  /** Connections open now. */
  activeConnections: number;
  /** Handshakes refused (404, 503, 400, `handshake.status`). */
  rejectedConnections: number;
  /** Frames sent to clients, including on connections since closed. */
  totalMessagesSent: number;
  /** Frames received from clients, including on connections since closed. */
  totalMessagesRecv: number;
  /** Payload bytes sent. */
  totalBytesSent: number;
  /** Payload bytes received. */
  totalBytesRecv: number;
  /** Open connections per mock id, WebSocket and SSE mocks alike; every current mock is listed, with 0 when it has none. */
  connectionsByMock: Record<string, number>;
  /**
   * The same totals per connection type: `websocket` (Socket.IO, GraphQL and
   * JSON-RPC included) and each kit's carrier (`sse`), every one listed.
   */
  byType: Record<ConnectionType, TypeStats>;
  /** Faults seeded chaos applied, by kind (`drop`, `delay`, `refuse`…); empty while there were none. */
  faults: Record<string, number>;
  /** Proxy mocks' traffic with their upstreams (all zero without proxy mocks). */
  upstream: UpstreamStats;
  /** Frames and handshakes that broke a mock's AsyncAPI contract (`conn.violations`), since start or the last `reset()`. */
  violations: number;
  /** The same per mock id: only mocks with a violation are listed. */
  violationsByMock: Record<string, number>;
}

/** What proxy mocks exchanged with their upstreams, including on connections since closed. */
export interface UpstreamStats {
  /** Frames sent to upstreams (forwarded client frames and `conn.upstream.send()`). */
  messagesSent: number;
  /** Frames received from upstreams. */
  messagesRecv: number;
  /** Payload bytes sent to upstreams. */
  bytesSent: number;
  /** Payload bytes received from upstreams. */
  bytesRecv: number;
  /** Frames an upstream sent after its client had left: dropped, never delivered. */
  droppedAfterClose: number;
}

/** Lifetime figures of one mock id (they outlive the mock until `reset()`). */
export interface MockCounters {
  /** What carries the mock's connections (set by its first one). */
  type: ConnectionType;
  connections: number;
  messagesRecv: number;
  messagesSent: number;
  bytesRecv: number;
  bytesSent: number;
  /** Closed connections by close code. */
  disconnections: Map<number, number>;
  upstreamMessagesRecv: number;
  upstreamMessagesSent: number;
  upstreamBytesRecv: number;
  upstreamBytesSent: number;
  /** Upstream frames that arrived after the client left. */
  upstreamLate: number;
  /** Frames (and handshakes) that broke the mock's AsyncAPI contract. */
  violations: number;
}

/**
 * The lifetime counters behind {@link Stats} and `/metrics`: the one place
 * each figure is counted, per mock id. Totals and active counts are derived.
 */
export class Counters {
  readonly byMock = new Map<string, MockCounters>();
  /** Refused handshakes by mock id ('' when no mock matched) and reason. */
  readonly rejections = new Map<string, Map<string, number>>();
  /** Faults chaos applied, by kind. */
  readonly faults = new Map<string, number>();

  fault(kind: string): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
  }

  forMock(mockId: string): MockCounters {
    let counters = this.byMock.get(mockId);
    if (counters === undefined) {
      counters = {
        type: 'websocket',
        connections: 0,
        messagesRecv: 0,
        messagesSent: 0,
        bytesRecv: 0,
        bytesSent: 0,
        disconnections: new Map(),
        upstreamMessagesRecv: 0,
        upstreamMessagesSent: 0,
        upstreamBytesRecv: 0,
        upstreamBytesSent: 0,
        upstreamLate: 0,
        violations: 0,
      };
      this.byMock.set(mockId, counters);
    }
    return counters;
  }

  rejected(mockId: string | undefined, reason: string): void {
    let reasons = this.rejections.get(mockId ?? '');
    if (reasons === undefined) this.rejections.set(mockId ?? '', (reasons = new Map()));
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }

  closed(mockId: string, code: number): void {
    const { disconnections } = this.forMock(mockId);
    disconnections.set(code, (disconnections.get(code) ?? 0) + 1);
  }

  /** Sums per connection type (each of `carriers` listed, at 0 without traffic), `activeConnections` being the caller's to fill in. */
  byType(carriers: readonly ConnectionType[]): Record<ConnectionType, TypeStats> {
    const zero = (): TypeStats => ({ totalConnections: 0, activeConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, totalBytesSent: 0, totalBytesRecv: 0 });
    const types: Record<ConnectionType, TypeStats> = Object.fromEntries(carriers.map((type) => [type, zero()]));
    for (const c of this.byMock.values()) {
      const t = (types[c.type] ??= zero());
      t.totalConnections += c.connections;
      t.totalMessagesSent += c.messagesSent;
      t.totalMessagesRecv += c.messagesRecv;
      t.totalBytesSent += c.bytesSent;
      t.totalBytesRecv += c.bytesRecv;
    }
    return types;
  }

  /** Contract violations: the total, and per mock id for the mocks that had any. */
  violations(): { total: number; byMock: Record<string, number> } {
    let total = 0;
    const byMock: Record<string, number> = {};
    for (const [id, c] of this.byMock) {
      if (c.violations === 0) continue;
      total += c.violations;
      byMock[id] = c.violations;
    }
    return { total, byMock };
  }

  /** Server-wide sums of the upstream figures. */
  upstream(): UpstreamStats {
    const u = { messagesSent: 0, messagesRecv: 0, bytesSent: 0, bytesRecv: 0, droppedAfterClose: 0 };
    for (const c of this.byMock.values()) {
      u.messagesSent += c.upstreamMessagesSent;
      u.messagesRecv += c.upstreamMessagesRecv;
      u.bytesSent += c.upstreamBytesSent;
      u.bytesRecv += c.upstreamBytesRecv;
      u.droppedAfterClose += c.upstreamLate;
    }
    return u;
  }

  /** Server-wide sums: the per-type sums added up, and the rejections. */
  totals(): Omit<Stats, 'activeConnections' | 'connectionsByMock' | 'faults' | 'byType' | 'upstream' | 'violations' | 'violationsByMock'> {
    const t = { totalConnections: 0, rejectedConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, totalBytesSent: 0, totalBytesRecv: 0 };
    for (const s of Object.values(this.byType([]))) {
      t.totalConnections += s.totalConnections;
      t.totalMessagesSent += s.totalMessagesSent;
      t.totalMessagesRecv += s.totalMessagesRecv;
      t.totalBytesSent += s.totalBytesSent;
      t.totalBytesRecv += s.totalBytesRecv;
    }
    for (const reasons of this.rejections.values()) for (const n of reasons.values()) t.rejectedConnections += n;
    return t;
  }

  reset(): void {
    this.byMock.clear();
    this.rejections.clear();
    this.faults.clear();
  }
}

const countersByServer = new WeakMap<object, Counters>();

/** Makes `counters` the ones {@link countersOf} finds for `server` (the server registers its own). */
export function registerCounters(server: object, counters: Counters): void {
  countersByServer.set(server, counters);
}

/** The lifetime counters of a server, for the metrics adapter; undefined for anything else. */
export function countersOf(server: object): Counters | undefined {
  return countersByServer.get(server);
}
