//
// The transport seam: what a Connection needs from the socket under it.
// `ws` over HTTP is one transport (transport/ws.ts); TLS and Server-Sent
// Events plug in here without the connection, the journal or the pipeline
// knowing which one carries the frames.
//

/**
 * What carries a connection: `websocket` (Socket.IO's Engine.IO included), or
 * the carrier a kit names (`sse` for a Server-Sent Events stream).
 */
export type ConnectionType = string;

/** Who ended a connection. */
export type ClosedBy = 'server' | 'client' | 'network';

/**
 * How a transport reports what arrives to its owner (a Connection). One sink
 * serves every transport: the owner comes as the first argument, so an idle
 * connection carries no listener objects of its own.
 */
export interface TransportSink<Owner> {
  /** A data frame arrived. */
  frame(owner: Owner, data: Buffer, binary: boolean): void;
  /** The transport is closed: what was sent or received, and who started it. */
  closed(owner: Owner, code: number, reason: string, by: ClosedBy): void;
  /** The peer answered a ping: `data` is the payload it echoed. */
  pong(owner: Owner, data: Buffer): void;
}

/** One open socket, as the connection sees it. */
export interface Transport {
  /** What carries the connection; `websocket` when absent. */
  readonly type?: ConnectionType;
  /** The negotiated subprotocol, or `''`. */
  readonly protocol: string;
  /** The peer's address. */
  readonly remoteAddress: string;
  /** The WebSocket ready state: 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Starts delivering arrivals to `sink`, for `owner`. Called once. */
  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void;
  /** Writes a frame; `callback` runs once it is flushed or failed. */
  write(bytes: Buffer, binary: boolean, callback?: (err?: Error) => void): void;
  /**
   * Writes a text frame given as a string of `byteLength` UTF-8 bytes, for a
   * transport that can hand the string to its socket as it is (no Buffer made
   * per frame); without it, text is encoded and goes through `write`.
   */
  writeText?(text: string, byteLength: number, callback?: (err?: Error) => void): void;
  /** Starts the close handshake with this code and reason (1005: a close frame without a code, where the transport has frames). */
  close(code: number, reason: string): void;
  /** Drops the socket without a close frame. */
  terminate(): void;
  /**
   * Makes the peer fail the connection (RFC 6455 §7.1.7): writes, after every
   * frame written before it, a frame the peer must reject, and then writes
   * nothing more. The close is reported when the socket goes, as 1002 by the
   * `server`; the connection bounds that wait with {@link Transport.terminate}.
   * Returns false, doing nothing, when what carries the connection has no such
   * frame (an event stream, HTTP long-polling); absent means the same.
   */
  fail?(): boolean;
  /**
   * Sends a ping carrying `data` (at most 125 bytes), after every frame written
   * before it; the sink's `pong` runs with the echoed payload when the answer comes.
   */
  ping(data?: Buffer): void;
}
