//
// Internal contracts between the server, mocks, connections and the pipeline.
// Nothing here is exported from the package: internals hang off public
// objects under a module-level symbol, never as underscore fields.
//
import type { Connection } from './connections/Connection.js';
import type { CloseInfo, ScenarioInfo } from './connections/types.js';
import type { Message } from './connections/Message.js';
import type { WaitRegistry } from './connections/waitFor.js';

/** The key under which a public object keeps its internals. */
export const kInternals = Symbol('wsmock.internals');

/**
 * A mock's compiled behaviour: the frame pipeline of ARCHITECTURE.md.
 * `receive` runs for every inbound frame after it is journaled.
 */
export interface Pipeline {
  connect(connection: Connection): void;
  receive(connection: Connection, message: Message, raw: Buffer): void;
  disconnect(connection: Connection): void;
  scenarioInfo(connection: Connection): ScenarioInfo | null;
}

/** One version of a mock, compiled: what a connection needs while it lives. */
export interface MockRuntime {
  readonly id: string;
  readonly path: string;
  readonly idleTimeout: number | undefined;
  readonly heartbeat: { interval: number; timeout: number } | undefined;
  readonly pipeline: Pipeline;
}

/** What a connection reports to, and asks of, its server. */
export interface ConnectionHost {
  readonly waits: WaitRegistry;
  readonly closeTimeout: number;
  timeoutFor(timeout: number | undefined): number;
  received(connection: Connection, message: Message): void;
  sent(connection: Connection, message: Message): void;
  closed(connection: Connection, info: CloseInfo): void;
}

/** A connection's internals, for the pipeline. */
export interface ConnectionInternals {
  /** Writes a frame without a promise: the pipeline's send. */
  write(payload: string | Buffer, binary: boolean, json?: unknown, journal?: string | Buffer): void;
  readonly mock: MockRuntime;
  /** Per-connection state of pipeline stages, keyed by stage. */
  readonly state: Map<unknown, unknown>;
}
