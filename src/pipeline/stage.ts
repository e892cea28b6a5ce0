//
// The contract between the pipeline and its stages (pipeline.ts runs them).
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionDetails } from '../connections/contracts.js';
import type { OutboundFrame } from '../connections/encode.js';
import type { Message } from '../connections/Message.js';
import type { ScenarioInfo } from '../connections/types.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import type { MockChaos } from '../chaos/ServerChaos.js';
import type { SendQueues } from './stages/sendQueue.js';
import type { MockRecorder } from '../record/Recorder.js';
import type { UpstreamOwner } from '../proxy/owner.js';

/** An inbound frame, journaled, on its way through the stages. */
export interface InboundFrame {
  readonly connection: Connection;
  readonly message: Message;
  /** The frame's bytes as received, for stages that forward them untouched. */
  readonly raw: Buffer;
}

/** What an outbound hook decides: the frame to send (the same or another), or `null` to drop it. */
export type OutboundResult = OutboundFrame | null;

/** A step of the pipeline. Every hook is optional. */
export interface Stage {
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
  /** The mock's chaos, read per frame (absent in unit tests of stages). */
  readonly chaos?: MockChaos;
  /** The mock's recorder, made on first use (only a mock with `record: true` asks). */
  recorder?(): MockRecorder;
  /** The server's upstream sockets (proxy mocks), which `close()` and `reset()` wait for. */
  readonly upstreams?: UpstreamOwner;
}

/** What a stage factory gets: the host, and the responders' shared per-connection send queues. */
export interface StageContext extends PipelineHost {
  readonly queues: SendQueues;
}

/** Builds a stage from a mock's config, or returns undefined when its part of the config is absent. */
export type StageFactory = (config: WebSocketMockConfig, context: StageContext) => Stage | undefined;
