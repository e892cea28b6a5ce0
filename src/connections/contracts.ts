//
// The contracts around a connection's core: what it is accepted with, the
// behaviour it runs (one mock version's pipeline) and what it reports to the
// manager that owns it. The core consumes them (ConnectionCore.ts); the
// pipeline and the manager implement them.
//
import type { Connection, ConnectionRequest } from './Connection.js';
import type { OutboundFrame } from './encode.js';
import type { Message } from './Message.js';
import type { CloseInfo, ScenarioInfo } from './types.js';
import type { Transport } from '../transport/types.js';
import type { SeededRandom } from '../util/random.js';
import type { WaitRegistry } from './waitFor.js';

/** What a pipeline stage can add to a connection's snapshot. */
export interface ConnectionDetails {
  scenario?: ScenarioInfo;
}

/** The behaviour a connection runs: one mock version's pipeline (pipeline/pipeline.ts). */
export interface ConnectionPipeline {
  connect(connection: Connection): void;
  /** An inbound frame, after it is journaled. */
  inbound(connection: Connection, message: Message, raw: Buffer): void;
  /** Runs the outbound phase, then writes with the core's `write()` (or not, when a stage drops the frame). */
  outbound(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void;
  disconnect(connection: Connection): void;
  inspect(connection: Connection): ConnectionDetails;
}

/** The mock version a connection was accepted by. */
export interface ConnectionMock {
  readonly id: string;
  readonly path: string;
  readonly idleTimeout: number | undefined;
  readonly heartbeat: { interval: number; timeout: number } | undefined;
  readonly pipeline: ConnectionPipeline;
}

/** What a connection reports to, and asks of, the connection manager that owns it. */
export interface ConnectionHost {
  /** Pending waits of the whole server, aborted when it closes. */
  readonly waits: WaitRegistry;
  readonly closeTimeout: number;
  /** The most frames a journal keeps. */
  readonly journalLimit: number;
  timeoutFor(timeout: number | undefined): number;
  /** Stream `seq` of the server's seeded random (one per connection: what a connection draws does not depend on others). */
  random(seq: number): SeededRandom;
  received(connection: Connection, message: Message): void;
  sent(connection: Connection, message: Message): void;
  /** A frame to or from a proxy mock's upstream, journaled. */
  upstream(connection: Connection, message: Message): void;
  /** The upstream sent a frame after the client left: dropped, counted. */
  upstreamLate(connection: Connection, size: number): void;
  closed(connection: Connection, info: CloseInfo): void;
}

/** What the connection manager gives a new connection's core. */
export interface ConnectionInit {
  id: string;
  seq: number;
  transport: Transport;
  request: ConnectionRequest;
  mock: ConnectionMock;
  params: Record<string, string>;
  host: ConnectionHost;
  /** It may be a client that the last `reset()` closed, coming back (see `ConnectionInfo.afterReset`). */
  afterReset?: boolean;
}
