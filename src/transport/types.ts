//
// The transport seam: what a Connection needs from the socket under it.
// `ws` over HTTP is one transport (transport/ws.ts); TLS and Server-Sent
// Events plug in here without the connection, the journal or the pipeline
// knowing which one carries the frames.
//

/** Who ended a connection. */
export type ClosedBy = 'server' | 'client' | 'network';

/** How a transport reports what arrives. A Connection is the sink of its transport. */
export interface TransportSink {
  /** A data frame arrived. */
  frame(data: Buffer, binary: boolean): void;
  /** The transport is closed: what was sent or received, and who started it. */
  closed(code: number, reason: string, by: ClosedBy): void;
  /** The peer answered a ping. */
  pong(): void;
}

/** One open socket, as the connection sees it. */
export interface Transport {
  /** The negotiated subprotocol, or `''`. */
  readonly protocol: string;
  /** The peer's address. */
  readonly remoteAddress: string;
  /** The WebSocket ready state: 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Starts delivering arrivals to `sink`. Called once. */
  bind(sink: TransportSink): void;
  /** Writes a frame; `callback` runs once it is flushed or failed. */
  write(bytes: Buffer, binary: boolean, callback?: (err?: Error) => void): void;
  /** Starts the close handshake with this code and reason. */
  close(code: number, reason: string): void;
  /** Drops the socket without a close frame. */
  terminate(): void;
  /** Sends a ping; the sink's `pong` runs when the answer comes. */
  ping(): void;
}
