//
// The frame pipeline, in two phases:
//
//   inbound:  receive → onConnection · scenario → matchers → default response → echo
//   outbound: (stages that see what the server sends) → write
//
// A mock's config compiles into an ordered list of stages. Every inbound
// frame is offered to each stage in turn until one handles it; every frame
// the server sends, from any source (a response, echo, `conn.send()`, a
// broadcast), passes each stage's outbound hook before it is written. A stage
// may answer asynchronously (a promise): the frames of that connection then
// wait their turn, so they keep their order in each direction. Stages that
// answer synchronously, the common case, run on the stack of the frame, with
// no promise and no queue. A new behaviour (a recorder, chaos, a protocol
// kit) is one more stage; nothing else changes.
//
import { kCore, type Connection } from '../connections/Connection.js';
import type { ConnectionDetails, ConnectionPipeline } from '../connections/contracts.js';
import type { OutboundFrame } from '../connections/encode.js';
import type { Message } from '../connections/Message.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { toError } from '../util/toError.js';
import { chaosLanes } from './chaos.js';
import { echoStage } from './stages/echo.js';
import { defaultResponseStage, matchersStage } from './stages/matchers.js';
import { onConnectionStage } from './stages/onConnection.js';
import { proxyForwardStage, proxyInterceptStage } from './stages/proxy.js';
import { scenarioStage } from './stages/scenario.js';
import { recordStage } from './stages/record.js';
import { replayStage } from './stages/replay.js';
import { SendQueues } from './stages/sendQueue.js';
import type { InboundFrame, OutboundResult, PipelineHost, Stage, StageContext, StageFactory } from './stage.js';
import { isPromiseLike } from '../util/promise.js';

export type { InboundFrame, OutboundResult, PipelineHost, Stage, StageContext, StageFactory };

/** The pipeline's last step: the connection's core writes the frame. */
function writeFrame(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void {
  connection[kCore].write(frame, callback);
}

/** Whether unmatched messages are echoed: explicit `echoMode`, else only for a mock with nothing else to do. */
export function echoEnabled(config: WebSocketMockConfig): boolean {
  if (config.echoMode !== undefined) return config.echoMode;
  // A proxy forwards what nothing answered, where echo would send it back.
  if (config.proxy) return false;
  return !config.matchers?.length && !config.scenario && !config.replay && !config.onConnection && !config.defaultResponse;
}

/**
 * The stages in pipeline order: the recorder (it must see the connection before
 * anything is sent), a proxy's intercept (first to see what the upstream
 * sends), the connection handler, then the scenario or replay (a waiting step
 * sees a frame before any matcher), the matchers, the default response, and a
 * proxy's forwarding (what nothing answered goes upstream). Echo, when on,
 * always comes last.
 */
const STAGES: StageFactory[] = [recordStage, proxyInterceptStage, onConnectionStage, scenarioStage, replayStage, matchersStage, defaultResponseStage, proxyForwardStage];


/**
 * Per-connection turns for frames behind an asynchronous stage. A connection
 * has an entry only while one of its frames is waiting on a promise.
 */
class Turns {
  #waiting = new WeakMap<Connection, (() => void)[]>();
  /** Connections with an entry: while 0, every check is one comparison. */
  #held = 0;

  /** Runs `job` now, or after the frames already waiting on this connection. */
  run(connection: Connection, job: () => void): void {
    const queue = this.#held === 0 ? undefined : this.#waiting.get(connection);
    if (queue) queue.push(job);
    else job();
  }

  /** Whether a frame of this connection is waiting on a promise. */
  busy(connection: Connection): boolean {
    return this.#held !== 0 && this.#waiting.has(connection);
  }

  /** The frame now running went asynchronous: later frames of the connection queue behind it. */
  hold(connection: Connection): void {
    if (this.#waiting.has(connection)) return;
    this.#waiting.set(connection, []);
    this.#held++;
  }

  /** The frame now running is done: start the next one waiting, if any. */
  done(connection: Connection): void {
    if (this.#held === 0) return;
    const queue = this.#waiting.get(connection);
    if (!queue) return;
    const next = queue.shift();
    if (next) {
      next();
      return;
    }
    this.#waiting.delete(connection);
    this.#held--;
  }
}

/** Compiles a mock's config into its pipeline. */
export function compilePipeline(config: WebSocketMockConfig, host: PipelineHost): ConnectionPipeline {
  const context: StageContext = { ...host, queues: new SendQueues(host) };
  const stages: Stage[] = [];
  for (const factory of STAGES) {
    const stage = factory(config, context);
    if (stage) stages.push(stage);
  }
  if (echoEnabled(config)) stages.push(echoStage);
  return assemble(stages, host);
}

/** Puts stages together into the two phases. */
export function assemble(stages: readonly Stage[], host: Pick<PipelineHost, 'report' | 'chaos'>): ConnectionPipeline {
  const receivers = stages.filter((s) => s.inbound);
  const senders = stages.filter((s) => s.outbound);
  const connectors = stages.filter((s) => s.connect);
  const disconnectors = stages.filter((s) => s.disconnect);
  const inspectors = stages.filter((s) => s.inspect);
  const inTurns = new Turns();
  const outTurns = new Turns();

  const receive = (frame: InboundFrame, from: number): void => {
    const { connection } = frame;
    for (let i = from; i < receivers.length; i++) {
      let result: boolean | Promise<boolean>;
      try {
        result = receivers[i]!.inbound!(frame);
      } catch (err) {
        host.report(toError(err), connection);
        break;
      }
      if (result === true) break;
      if (result === false) continue;
      if (isPromiseLike<boolean>(result)) {
        inTurns.hold(connection);
        Promise.resolve(result).then(
          (handled) => (handled ? inTurns.done(connection) : receive(frame, i + 1)),
          (err: unknown) => {
            host.report(toError(err), connection);
            inTurns.done(connection);
          },
        );
        return;
      }
    }
    inTurns.done(connection);
  };

  // Chaos is the network: after every stage on the way out, before any on the way in.
  const lanes = host.chaos ? chaosLanes(host.chaos, writeFrame, (connection, message, raw) => enter(connection, message, raw)) : undefined;
  const write = lanes ? lanes.outbound : writeFrame;

  const enter = (connection: Connection, message: Message, raw: Buffer): void => {
    const frame: InboundFrame = { connection, message, raw };
    if (inTurns.busy(connection)) inTurns.run(connection, () => receive(frame, 0));
    else receive(frame, 0);
  };

  const send = (connection: Connection, frame: OutboundFrame, callback: ((err?: Error) => void) | undefined, from: number): void => {
    let current: OutboundFrame = frame;
    for (let i = from; i < senders.length; i++) {
      let result: OutboundResult | Promise<OutboundResult>;
      try {
        result = senders[i]!.outbound!(current, connection);
      } catch (err) {
        host.report(toError(err), connection);
        result = current;
      }
      if (result === null) {
        callback?.();
        outTurns.done(connection);
        return;
      }
      if (isPromiseLike<OutboundResult>(result)) {
        outTurns.hold(connection);
        const sent = current;
        Promise.resolve(result).then(
          (next) => {
            if (next === null) {
              callback?.();
              outTurns.done(connection);
            } else send(connection, next, callback, i + 1);
          },
          (err: unknown) => {
            host.report(toError(err), connection);
            send(connection, sent, callback, i + 1);
          },
        );
        return;
      }
      current = result;
    }
    write(connection, current, callback);
    outTurns.done(connection);
  };

  return {
    connect(connection) {
      lanes?.connect(connection);
      for (const stage of connectors) stage.connect!(connection);
    },
    inbound: lanes ? lanes.inbound : enter,
    // With no outbound stage (today's mocks), a frame is written at once
    // (through chaos, which costs one read while the mock has none).
    outbound:
      senders.length === 0
        ? write
        : (connection, frame, callback) => outTurns.run(connection, () => send(connection, frame, callback, 0)),
    disconnect(connection) {
      lanes?.disconnect(connection);
      for (const stage of disconnectors) stage.disconnect!(connection);
    },
    inspect(connection) {
      let details: ConnectionDetails = {};
      for (const stage of inspectors) details = { ...details, ...stage.inspect!(connection) };
      return details;
    },
  };
}
