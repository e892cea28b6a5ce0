//
// The declarative fields of a Socket.IO mock: what config files and the admin
// API carry (JSON values only). Kept apart from the in-process config so the
// envelope types can name them without importing the mock.
//
import type { KitEnvelopeOf } from '../../kit/index.js';
import type { Duration } from '../../util/duration.js';

/** What a declarative handler does with an event the client emitted. */
export interface SocketIoEventReply {
  /** Emits an event back to the socket: `[event, ...args]`. */
  emit?: [string, ...unknown[]];
  /** The arguments of the ack, when the client asked for one. */
  ack?: unknown[];
}

/** A refusal of a namespace: the client's `connect_error` gets `message` and `data`. */
export interface SocketIoRefusal {
  /** The error's message on the client. */
  message: string;
  /** The error's `data` on the client. */
  data?: unknown;
}

/**
 * Connection state recovery, as the real server's option of the same name:
 * a client whose connection drops (not one that disconnects on purpose, nor
 * one the server disconnects) and comes back within
 * `maxDisconnectionDuration` gets its socket back: the same id, rooms and
 * `data`, `socket.recovered === true` on both sides, and the events it
 * missed. Every event emitted without an ack then carries an offset as its
 * last argument, as with the real server.
 */
export interface SocketIoRecoveryOptions {
  /** How long a socket can be away and still be recovered (default 2 minutes, as the real server). */
  maxDisconnectionDuration?: Duration;
  /** Whether a recovered socket skips the namespace's `connect` hook and `refuse` (default true, as the real server). */
  skipMiddlewares?: boolean;
}

/** A namespace as config files and the admin API write it. */
export interface SocketIoNamespaceFields {
  /** Declarative handlers, by event name. */
  events?: Record<string, SocketIoEventReply>;
  /** Refuses every socket of the namespace with this `connect_error`. */
  refuse?: SocketIoRefusal;
}

/** The declarative fields of a Socket.IO mock (the envelope's `socketio`). */
export interface SocketIoMockFields {
  /** Required, starts with `/`: the Engine.IO path, `/socket.io/` for the default client. */
  path: string;
  /** How often the server pings (default 25s, as the real server). */
  pingInterval?: Duration;
  /** How long the server waits for the pong before it drops the client (default 20s). */
  pingTimeout?: Duration;
  /** How long a session may stay without joining a namespace before it is closed (default 45s, as the real server). */
  connectTimeout?: Duration;
  /** Largest packet (WebSocket frame or polling body) in bytes (default 1,000,000). */
  maxPayload?: number;
  /** Recovers the sockets of clients that come back soon after their connection dropped (off by default). */
  connectionStateRecovery?: SocketIoRecoveryOptions;
  /** Handlers of the main namespace `/`, by event name. */
  events?: Record<string, SocketIoEventReply>;
  /** Refuses sockets of the main namespace with this `connect_error`. */
  refuse?: SocketIoRefusal;
  /** Other namespaces the mock serves (`/admin`); a client connecting to any other gets "Invalid namespace". */
  namespaces?: Record<string, SocketIoNamespaceFields>;
}

/** A Socket.IO mock as config files and the admin API write it. */
export type SocketIoEnvelope = KitEnvelopeOf<'socketio', SocketIoMockFields>;
