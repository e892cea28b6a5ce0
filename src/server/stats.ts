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
  /** Open connections per mock id; every current mock is listed, with 0 when it has none. */
  connectionsByMock: Record<string, number>;
}

/** The lifetime counters behind {@link Stats}. Active counts are derived, never counted. */
export class Counters {
  totalConnections = 0;
  rejectedConnections = 0;
  totalMessagesSent = 0;
  totalMessagesRecv = 0;
  totalBytesSent = 0;
  totalBytesRecv = 0;

  reset(): void {
    this.totalConnections = this.rejectedConnections = 0;
    this.totalMessagesSent = this.totalMessagesRecv = 0;
    this.totalBytesSent = this.totalBytesRecv = 0;
  }
}
