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
  /** Where its scenario stands. */
  scenario?: ScenarioInfo;
}

/** An inbound frame, journaled, on its way through the stages. */
export interface InboundFrame {
  /** The connection it arrived on. */
  readonly connection: Connection;
  /** The frame, journaled (made on first read: stages that only pass the bytes on never make it). */
  readonly message: Message;
  /** The frame's bytes as received, for stages that forward them untouched. */
  readonly raw: Buffer;
  /** Whether it came as a binary frame. */
  readonly binary: boolean;
  /** The frame as journaled: its text for a text frame, else its bytes. */
  readonly data: string | Buffer;
}

/** The behaviour a connection runs: one mock version's pipeline (pipeline/pipeline.ts). */
export interface ConnectionPipeline {
  connect(connection: Connection): void;
  /** An inbound frame, after it is journaled. */
  inbound(frame: InboundFrame): void;
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

/** A mock's frame counters (the server's stats and `/metrics` read them). */
export interface FrameCounts {
  messagesRecv: number;
  messagesSent: number;
  bytesRecv: number;
  bytesSent: number;
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
  /** Whether the server has listeners for `message` (frames from clients) or `sent`: the core makes a frame's Message for them only then. */
  listens(event: 'message' | 'sent'): boolean;
  /** The mock's lifetime frame counters: the core looks them up once and adds each frame it receives or writes. */
  counts(mockId: string): FrameCounts;
  /** A frame from the client, for the server's `message` listeners (called only while `listens('message')`). */
  received(connection: Connection, message: Message): void;
  /** A frame sent to the client, for the server's `sent` listeners (called only while `listens('sent')`). */
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
