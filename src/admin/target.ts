import type { ContractViolation } from '../asyncapi/types.js';
import type { Connection } from '../connections/Connection.js';
import type { ConnectionsApi } from '../connections/ConnectionManager.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo } from '../connections/types.js';
import type { Mock } from '../mocks/Mock.js';
import type { MocksApi } from '../mocks/MockRegistry.js';
import type { Stats } from '../server/stats.js';
import type { ChaosOptions } from '../chaos/types.js';
import type { Recording } from '../record/Recording.js';

/** The server events the admin adapter listens to (a subset of `MockServerEvents`). */
export interface AdminTargetEvents {
  /** A client connected to a mock. */
  connection: [connection: Connection];
  /** A frame arrived from a client. */
  message: [connection: Connection, message: Message];
  /** A frame was sent to a client. */
  sent: [connection: Connection, message: Message];
  /** A connection closed. */
  close: [connection: Connection, info: CloseInfo];
  /** A mock was defined. */
  'mock:added': [mock: Mock];
  /** A mock was updated, enabled or disabled. */
  'mock:updated': [mock: Mock];
  /** A mock was removed. */
  'mock:removed': [mock: Mock];
  /** A frame or a handshake broke a mock's AsyncAPI contract. */
  'contract:violation': [violation: ContractViolation, connection: Connection];
  /** The server began closing. */
  closing: [];
}

/**
 * What the admin adapter needs of a server: the in-process API, nothing more.
 * A {@link MockServer} is one; the adapter never sees the server's internals.
 */
export interface AdminTarget {
  /** The server's mocks. */
  readonly mocks: MocksApi;
  /** The server's connections. */
  readonly connections: ConnectionsApi;
  /** Server-wide figures. */
  stats(): Stats;
  /** The seed of the server's random (what chaos draws from). */
  readonly seed: number;
  /** The server's default chaos, or `null`. */
  readonly chaosOptions: ChaosOptions | null;
  /** Sets (or with `null` clears) the server's default chaos. */
  chaos(options: ChaosOptions | null): void;
  /** `running`, `closing`… (a stream is not opened on a server that is closing). */
  readonly state: string;
  /** Adds a listener (the event stream and HTTP waits listen only while someone is subscribed or waiting). */
  on<E extends keyof AdminTargetEvents>(event: E, listener: (...args: AdminTargetEvents[E]) => void): unknown;
  /** Removes a listener added with `on`. */
  off<E extends keyof AdminTargetEvents>(event: E, listener: (...args: AdminTargetEvents[E]) => void): unknown;
  /** Closes every connection, removes every mock and forgets what they did (`POST /reset`); a target without it answers 400. */
  reset?(): Promise<void>;
  /** What a mock with `record: true` recorded (`GET /mocks/{id}/recording`); a target without it answers 404. */
  recording?(mockId?: string): Recording;
}
