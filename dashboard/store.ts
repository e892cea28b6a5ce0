// What the page knows: mocks, open connections, figures, folded from the
// snapshot the API gives and the events that follow it. Renders are batched:
// a burst of events is one render.

export interface ConnInfo {
  id: string;
  mockId: string;
  path: string;
  url: string;
  clientIp: string;
  connectedAt: string;
  lastMessageAt: string | null;
  messagesSent: number;
  messagesRecv: number;
  bytesSent: number;
  bytesRecv: number;
  status: string;
  /** `websocket` or `sse` when the server says so. */
  type?: string;
  [key: string]: unknown;
}

export interface ClosedInfo extends ConnInfo {
  code: number;
  reason: string;
  by: string;
}

export interface MockEnvelope {
  id: string;
  type: string;
  name?: string;
  enabled: boolean;
  /** What the mock's clients open (`http(s)://` for SSE); absent from servers before it was listed. */
  url?: string;
  /** The same listener over HTTP. */
  httpUrl?: string;
  [key: string]: any;
}

export interface Stats {
  totalConnections: number;
  activeConnections: number;
  totalMessagesSent: number;
  totalMessagesRecv: number;
  totalBytesSent: number;
  totalBytesRecv: number;
  connectionsByMock: Record<string, number>;
}

export interface FrameEvent {
  /** The frame's place among all the server's frames. */
  seq?: number;
  connectionId: string;
  direction: 'in' | 'out';
  binary: boolean;
  size: number;
  at: string;
  data?: string;
  truncated?: boolean;
  /** The page's own order of arrival (a stable key for the list). */
  key?: number;
}

/** Samples of messages per second kept for the chart: one minute. */
export const RATE_SAMPLES = 60;

export class Store {
  mocks = new Map<string, MockEnvelope>();
  conns = new Map<string, ConnInfo>();
  /** How connections that closed while the page watched them ended (kept for the detail panel). */
  closed = new Map<string, ClosedInfo>();
  stats: Stats | null = null;
  rates: number[] = [];
  live = false;
  #lastTotal: number | undefined;
  #listeners = new Set<() => void>();
  #scheduled = false;

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  changed(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // At most one render per 100 ms however many events arrive.
    setTimeout(() => {
      this.#scheduled = false;
      for (const listener of this.#listeners) listener();
    }, 100);
  }

  /** A new stream: forget what it will tell again. */
  reset(): void {
    this.conns.clear();
    this.mocks.clear();
    this.live = false;
    this.changed();
  }

  /** The snapshot read after the stream said `ready`; events since then win. */
  snapshot(mocks: MockEnvelope[], conns: ConnInfo[], closedSince: Set<string>): void {
    for (const mock of mocks) if (!this.mocks.has(mock.id)) this.mocks.set(mock.id, mock);
    for (const conn of conns) if (!closedSince.has(conn.id) && !this.conns.has(conn.id)) this.conns.set(conn.id, conn);
    this.live = true;
    this.changed();
  }

  apply(event: string, data: any): void {
    switch (event) {
      case 'connection':
        this.conns.set(data.id, data);
        break;
      case 'close':
        this.conns.delete(data.id);
        this.closed.set(data.id, data);
        if (this.closed.size > 1000) this.closed.delete(this.closed.keys().next().value!);
        break;
      case 'message': {
        const conn = this.conns.get(data.connectionId);
        if (!conn) return;
        if (data.direction === 'in') {
          conn.messagesRecv++;
          conn.bytesRecv += data.size;
        } else {
          conn.messagesSent++;
          conn.bytesSent += data.size;
        }
        conn.lastMessageAt = data.at;
        break;
      }
      case 'mock:added':
      case 'mock:updated':
        this.mocks.set(data.id, data);
        break;
      case 'mock:removed':
        this.mocks.delete(data.id);
        break;
      case 'stats': {
        this.stats = data;
        const total = data.totalMessagesSent + data.totalMessagesRecv;
        if (this.#lastTotal !== undefined) this.rates.push(Math.max(0, total - this.#lastTotal));
        if (this.rates.length > RATE_SAMPLES) this.rates.shift();
        this.#lastTotal = total;
        break;
      }
      default:
        return;
    }
    this.changed();
  }
}
