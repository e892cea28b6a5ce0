//
// The frame pipeline: receive → scenario → matchers → respond → send.
//
// A mock's config compiles into an ordered list of stages. Every inbound frame
// is offered to each stage in turn until one handles it; connect and
// disconnect go to every stage. A new behaviour (recording, chaos, JSON-RPC)
// is one more factory in `STAGES`, nothing else changes.
//
import type { Connection } from '../connections/Connection.js';
import type { ScenarioInfo } from '../connections/types.js';
import type { Message } from '../connections/Message.js';
import type { Pipeline } from '../internal.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { toError } from '../util/toError.js';
import { echoStage } from './stages/echo.js';
import { defaultResponseStage, matchersStage } from './stages/matchers.js';
import { scenarioStage } from './stages/scenario.js';

/** One frame travelling through the pipeline. */
export interface Frame {
  readonly connection: Connection;
  readonly message: Message;
  /** The frame's bytes as received, for stages that forward them untouched. */
  readonly raw: Buffer;
}

/** A step of the pipeline. Every hook is optional. */
export interface Stage {
  readonly name: string;
  /** A connection opened. */
  connect?(connection: Connection): void;
  /** A frame arrived. Return true when this stage handled it: later stages do not see it. */
  receive?(frame: Frame): boolean;
  /** The connection closed: stop timers, drop per-connection state. */
  disconnect?(connection: Connection): void;
  /** Where this stage's scenario stands, if it runs one. */
  scenarioInfo?(connection: Connection): ScenarioInfo | null;
}

/**
 * What stages may ask of the server that runs them. The server implements it
 * once per mock version; stages never see the server itself.
 */
export interface PipelineHost {
  /** User code failed (a `respond` that threw); the server emits `error` with the mock and connection ids. */
  report(error: Error, connection: Connection): void;
  /** A required scenario step failed; the server emits `scenario:failed`. */
  scenarioFailed(connection: Connection, info: ScenarioInfo): void;
  /** Open connections on the mock right now (`{{connectionCount}}`). */
  connectionCount(): number;
}

/** Stages contributed by other modules, in pipeline order. */
export type StageFactory = (config: WebSocketMockConfig, host: PipelineHost) => Stage | undefined;

function connectionStage(config: WebSocketMockConfig, host: PipelineHost): Stage | undefined {
  const handler = config.onConnection;
  if (!handler) return undefined;
  const report = (err: unknown, connection: Connection) => host.report(toError(err), connection);
  return {
    name: 'onConnection',
    connect(connection) {
      try {
        Promise.resolve(handler(connection)).catch((err: unknown) => report(err, connection));
      } catch (err) {
        report(err, connection);
      }
    },
  };
}

/** Whether unmatched messages are echoed: explicit `echoMode`, else only for a mock with nothing else to do. */
export function echoEnabled(config: WebSocketMockConfig): boolean {
  if (config.echoMode !== undefined) return config.echoMode;
  return !config.matchers?.length && !config.scenario && !config.onConnection && !config.defaultResponse;
}

/**
 * The stages in pipeline order: the connection handler, then the scenario (a
 * waiting step sees a frame before any matcher), the matchers, the default
 * response. Echo, when on, always comes last.
 */
const STAGES: StageFactory[] = [connectionStage, scenarioStage, matchersStage, defaultResponseStage];

/** Compiles a mock's config into its pipeline. */
export function compilePipeline(config: WebSocketMockConfig, host: PipelineHost): Pipeline {
  const stages: Stage[] = [];
  for (const factory of STAGES) {
    const stage = factory(config, host);
    if (stage) stages.push(stage);
  }
  if (echoEnabled(config)) stages.push(echoStage);

  const receivers = stages.filter((s) => s.receive);
  const connectors = stages.filter((s) => s.connect);
  const disconnectors = stages.filter((s) => s.disconnect);
  const scenario = stages.find((s) => s.scenarioInfo);

  return {
    connect(connection) {
      for (const stage of connectors) stage.connect!(connection);
    },
    receive(connection, message, raw) {
      const frame: Frame = { connection, message, raw };
      for (const stage of receivers) if (stage.receive!(frame)) return;
    },
    disconnect(connection) {
      for (const stage of disconnectors) stage.disconnect!(connection);
    },
    scenarioInfo(connection) {
      return scenario ? scenario.scenarioInfo!(connection) : null;
    },
  };
}
