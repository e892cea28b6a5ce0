// The public shapes around a connection: its snapshot, how it closed, and the options of its methods.
import type { ConnectionType } from '../transport/types.js';
import type { Message } from './Message.js';

export type { ConnectionType };

/**
 * How a connection ended. For a close the server started (`conn.close()`, a
 * mock change, a frame over `maxMessageSize`, invalid UTF-8, a protocol
 * error, a timeout), `code` and `reason` are what the server sent, whatever
 * the client echoed; for one the client started, what the client sent; a
 * connection dropped without a close frame is 1006 from the `network`.
 */
export interface CloseInfo {
  /** The close code (1005 when the client sent none, 1006 when no close frame was exchanged). */
  code: number;
  /** The close reason. */
  reason: string;
  /** Who started the close: `server` (wsmock), `client`, or `network` (the socket dropped). */
  by: 'server' | 'client' | 'network';
}

/** Where a connection's scenario stands. */
export interface ScenarioInfo {
  /** The scenario's `name`, or null when it has none. */
  name: string | null;
  /** Index of the step running now (or the last one run). */
  step: number;
  /** `running` (sending or pausing), `waiting` (for a client message), `completed`, or `failed`. */
  status: 'running' | 'waiting' | 'completed' | 'failed';
  /** Why it failed, when it did. */
  error?: string;
  /** A replay that failed: the frame the recording expected (text, or base64 bytes). */
  expected?: string;
  /** A replay that failed on a frame: the frame the client sent instead. */
  received?: string;
  /**
   * A replay with `match.ignore` that failed on a frame: the JSON fields left out of the comparison
   * (`toHaveReplayed()` leaves them out of its diff too, so the diff shows only what made it fail).
   */
  ignored?: string[];
}

/** A JSON-ready snapshot of a connection: the same shape in-process and over HTTP. */
export interface ConnectionInfo {
  /** The connection id, e.g. `conn-3`. */
  id: string;
  /** `websocket` (Socket.IO included) or `sse` (a Server-Sent Events stream). */
  type: ConnectionType;
  /** The id of the mock that accepted it. */
  mockId: string;
  /** The mock's path template. */
  path: string;
  /** The requested path with its query string. */
  url: string;
  /** The client's address. */
  clientIp: string;
  /** The upgrade request's User-Agent, or an empty string. */
  userAgent: string;
  /** The negotiated subprotocol, or null. */
  subprotocol: string | null;
  /** When the handshake completed (ISO 8601). */
  connectedAt: string;
  /** When the last frame went either way (ISO 8601), or null. */
  lastMessageAt: string | null;
  /** Frames sent to the client. */
  messagesSent: number;
  /** Frames received from the client. */
  messagesRecv: number;
  /** Payload bytes sent. */
  bytesSent: number;
  /** Payload bytes received. */
  bytesRecv: number;
  /** `connected`, `closing` or `closed`. */
  status: 'connected' | 'closing' | 'closed';
  /** Where the mock's scenario stands on this connection, or null without one. */
  scenario: ScenarioInfo | null;
  /** The rooms the connection is in (`conn.join(room)`), in the order it joined them. */
  rooms: string[];
  /**
   * True when it may be an earlier test's client coming back: it arrived
   * within 5 s after `server.reset()` from a client like one that reset()
   * closed (same type, path, User-Agent, Origin and address; at most as many
   * as reset() closed). A heuristic: a new client just like the old one is
   * flagged too. Close the app's clients before `reset()` and nothing is.
   */
  afterReset: boolean;
}

/** What `send()` accepts: objects are sent as JSON text, strings as text, bytes as binary. */
export type SendData = string | Buffer | Uint8Array | ArrayBuffer | object | number | boolean | null;

/** Options of {@link Connection.send}. */
export interface SendOptions {
  /** Force a binary frame (for a string) or a text frame (for bytes, `false`). */
  binary?: boolean;
}

/** Options of {@link Connection.close}. */
export interface CloseOptions {
  /** Close code, default 1000. */
  code?: number;
  /** Close reason, at most 123 bytes. */
  reason?: string;
}

/** Options of the `waitFor*` methods. */
export interface WaitOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Events of a {@link Connection}. */
export interface ConnectionEvents {
  /** A frame arrived from the client. */
  message: [message: Message];
  /** A frame was sent to the client. */
  sent: [message: Message];
  /** The connection closed. */
  close: [info: CloseInfo];
  /** Its scenario (or replay) completed or failed. */
  scenario: [info: ScenarioInfo];
}

/** The kinds of fault chaos injects. */
export type ChaosFaultKind = 'drop' | 'duplicate' | 'corrupt' | 'truncate' | 'delay' | 'reorder' | 'disconnect' | 'refuse' | 'handshakeDelay';

/** One fault chaos applied, as journaled on its connection (`conn.faults`). */
export interface ChaosFault {
  /** When it was applied (milliseconds since the epoch). */
  at: number;
  /** Which fault: `drop`, `duplicate`, `corrupt`, `truncate`, `delay`, `reorder`, `disconnect`, `refuse`, `handshakeDelay`. */
  kind: ChaosFaultKind;
  /** `out` for a frame the server sent, `in` for one a client sent, `handshake` for an upgrade. */
  direction: 'in' | 'out' | 'handshake';
  /** The frame's index among the connection's frames in that direction (from 0); `null` when no frame is concerned. */
  frameIndex: number | null;
  /** What exactly: the delay in ms, the byte flipped, the new length, the window's order, the close code… */
  detail: Record<string, unknown>;
}
