//
// The contract between the pipeline and its stages (pipeline.ts runs them).
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionDetails, InboundFrame } from '../connections/contracts.js';
import type { OutboundFrame } from '../connections/encode.js';
import type { ScenarioInfo } from '../connections/types.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import type { SendQueues } from './stages/sendQueue.js';

export type { InboundFrame };

/** What an outbound hook decides: the frame to send (the same or another), or `null` to drop it. */
export type OutboundResult = OutboundFrame | null;

/** A step of the pipeline. Every hook is optional. */
export interface Stage {
/** The stage's name, in failure messages and `inspect()`. */
  readonly name: string;
  /** A connection opened. */
  connect?(connection: Connection): void;
  /** A frame arrived. Return (or resolve) true when this stage handled it: later stages do not see it. */
  inbound?(frame: InboundFrame): boolean | Promise<boolean>;
  /** A frame is about to be sent: pass it, replace it, or drop it (`null`). */
  outbound?(frame: OutboundFrame, connection: Connection): OutboundResult | Promise<OutboundResult>;
  /** The connection closed: stop timers, drop per-connection state. */
  disconnect?(connection: Connection): void;
  /** What this stage adds to the connection's snapshot (the scenario stage: where it stands). */
  inspect?(connection: Connection): ConnectionDetails;
}

/**
 * What stages may ask of the server that runs them. The server implements it
 * once per mock; stages never see the server itself.
 */
export interface PipelineHost {
  /** User code failed (a `respond` that threw); the server emits `error` with the mock and connection ids. */
  report(error: Error, connection: Connection): void;
  /** A required scenario step failed; the server emits `scenario:failed`. */
  scenarioFailed(connection: Connection, info: ScenarioInfo): void;
  /** Open connections on the mock right now (`{{connectionCount}}`). */
  connectionCount(): number;
  /**
   * What the server's layers (record, proxy, chaos) add to this mock's
   * pipelines, in the server's order (absent in unit tests of stages).
   */
  readonly layers?: readonly PipelineLayer[];
}

/** The two ends of a pipeline: where frames leave for the socket and where they enter the stages. */
export interface PipelineEnds {
  /** Writes a frame the stages let through (in the end, `writeFrame`). */
  outbound(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void;
  /** Hands a journaled frame to the inbound stages. */
  inbound(frame: InboundFrame): void;
}

/** What a wrapper puts around a pipeline's ends, with its own per-connection start and stop. */
export interface WrappedEnds extends PipelineEnds {
  /** A connection opened (before any stage's `connect`). */
  connect?(connection: Connection): void;
  /** The connection closed (before any stage's `disconnect`). */
  disconnect?(connection: Connection): void;
}

/**
 * What one layer adds to one mock's pipelines, through the seam every stage
 * uses (layers/layer.ts gathers a layer's three parts). Every part is optional.
 */
export interface PipelineLayer {
  /**
   * Stages for a WebSocket mock's config: `first` runs before the mock's own
   * (it sees a connection first and, outbound, what the sources send first),
   * `last` after them, where echo would be (what nothing handled).
   */
  stages?(config: WebSocketMockConfig, context: StageContext): { first?: Stage | undefined; last?: Stage | undefined } | undefined;
  /**
   * Wraps both ends of every pipeline of the mock, a kit's too: what is
   * written after the outbound stages, and what enters before the inbound
   * ones (chaos: the network). With several, the first layer's wrapper is
   * nearest the socket both ways.
   */
  wrap?(ends: PipelineEnds): WrappedEnds;
}

/** What a stage factory gets: the host, and the responders' shared per-connection send queues. */
export interface StageContext extends PipelineHost {
  readonly queues: SendQueues;
  /**
   * Offers a frame a stage handled to the layers' `last` stages too (a
   * matcher with `forward: true`: the proxy's forward stage sends it upstream).
   */
  passOn(frame: InboundFrame): void;
}

/** Builds a stage from a mock's config, or returns undefined when its part of the config is absent. */
export type StageFactory = (config: WebSocketMockConfig, context: StageContext) => Stage | undefined;
