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
// no promise and no queue. The server's layers add to every pipeline through
// `PipelineHost.layers`: stages before and after the mock's own, and
// wrappers around its two ends (stage.ts); this file names none of them.
//
import { kCore, type Connection } from '../connections/Connection.js';
import type { ConnectionDetails, ConnectionPipeline } from '../connections/contracts.js';
import type { OutboundFrame } from '../connections/encode.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { toError } from '../util/toError.js';
import { echoStage } from './stages/echo.js';
import { defaultResponseStage, matchersStage } from './stages/matchers.js';
import { onConnectionStage } from './stages/onConnection.js';
import { scenarioStage } from './stages/scenario.js';
import { replayStage } from './stages/replay.js';
import { SendQueues } from './stages/sendQueue.js';
import type { InboundFrame, OutboundResult, PipelineEnds, PipelineHost, PipelineLayer, Stage, StageContext, StageFactory, WrappedEnds } from './stage.js';
import { isPromiseLike } from '../util/promise.js';

export type { InboundFrame, OutboundResult, PipelineEnds, PipelineHost, PipelineLayer, Stage, StageContext, StageFactory, WrappedEnds };

/** The pipeline's last step: the connection's core writes the frame. */
function writeFrame(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void {
  connection[kCore].write(frame, callback);
}

/**
 * Whether unmatched messages are echoed: explicit `echoMode`, else only for a
 * mock with nothing else to do. `claimed`: a layer put a stage where echo would
 * be (it handles what nothing answered, as a proxy forwards it upstream).
 */
function echoEnabled(config: WebSocketMockConfig, claimed: boolean): boolean {
  if (config.echoMode !== undefined) return config.echoMode;
  if (claimed) return false;
  return !config.matchers?.length && !config.scenario && !config.replay && !config.onConnection && !config.defaultResponse;
}

/**
 * A WebSocket mock's own stages in pipeline order: the connection handler,
 * then the scenario or replay (a waiting step sees a frame before any
 * matcher), the matchers and the default response. The layers' `first`
 * stages come before them, their `last` ones after, and echo, when on,
 * always comes last.
 */
const STAGES: StageFactory[] = [onConnectionStage, scenarioStage, replayStage, matchersStage, defaultResponseStage];


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

/**
 * The layers' stages for one version of a mock: `first` ones go before the
 * mock's own stages, `last` ones after them. A kit's config is read the same
 * way (`record: true` records a kit's frames); the fields a layer reads that
 * a kit has not (`proxy`) are absent, and its stages then none.
 */
export function layerStages(config: WebSocketMockConfig, host: PipelineHost): { first: Stage[]; last: Stage[]; context: StageContext } {
  const first: Stage[] = [];
  const last: Stage[] = [];
  const context: StageContext = { ...host, queues: new SendQueues(host), passOn: (frame) => passOn(last, frame, host) };
  for (const layer of host.layers ?? []) {
    const added = layer.stages?.(config, context);
    if (added?.first) first.push(added.first);
    if (added?.last) last.push(added.last);
  }
  return { first, last, context };
}

/** Compiles a mock's config into its pipeline. */
export function compilePipeline(config: WebSocketMockConfig, host: PipelineHost): ConnectionPipeline {
  const { first, last, context } = layerStages(config, host);
  const stages: Stage[] = [...first];
  for (const factory of STAGES) {
    const stage = factory(config, context);
    if (stage) stages.push(stage);
  }
  stages.push(...last);
  if (echoEnabled(config, last.length > 0)) stages.push(echoStage);
  return assemble(stages, host);
}

/** A handled frame offered to the layers' last stages until one takes it (not waited for: the frame was answered). */
function passOn(last: readonly Stage[], frame: InboundFrame, host: PipelineHost): void {
  for (const stage of last) {
    if (!stage.inbound) continue;
    let result: boolean | Promise<boolean>;
    try {
      result = stage.inbound(frame);
    } catch (err) {
      host.report(toError(err), frame.connection);
      return;
    }
    if (result === true) return;
    if (isPromiseLike<boolean>(result)) {
      Promise.resolve(result).catch((err: unknown) => host.report(toError(err), frame.connection));
      return;
    }
  }
}

/**
 * The layers' wrappers around a pipeline's two ends, the first layer's
 * nearest the socket both ways: out, stages → … → first → `writeFrame`; in,
 * the connection → first → … → `enter`.
 */
function wrapEnds(layers: readonly PipelineLayer[] | undefined, enter: PipelineEnds['inbound']): PipelineEnds & { wrappers: readonly WrappedEnds[] } {
  const wrapping = layers?.filter((layer) => layer.wrap) ?? [];
  if (wrapping.length === 0) return { outbound: writeFrame, inbound: enter, wrappers: [] };
  const wrappers: WrappedEnds[] = [];
  let outbound: PipelineEnds['outbound'] = writeFrame;
  wrapping.forEach((layer, i) => {
    const inbound: PipelineEnds['inbound'] = i === wrapping.length - 1 ? enter : (frame) => wrappers[i + 1]!.inbound(frame);
    const wrapped = layer.wrap!({ outbound, inbound });
    wrappers.push(wrapped);
    outbound = wrapped.outbound;
  });
  return { outbound, inbound: wrappers[0]!.inbound, wrappers };
}

/** Puts stages together into the two phases, inside the layers' wrappers. */
export function assemble(stages: readonly Stage[], host: Pick<PipelineHost, 'report' | 'layers'>): ConnectionPipeline {
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

  const enter = (frame: InboundFrame): void => {
    const { connection } = frame;
    if (inTurns.busy(connection)) inTurns.run(connection, () => receive(frame, 0));
    else receive(frame, 0);
  };

  // A wrapper (the network, for chaos) sits after every stage on the way out, before any on the way in.
  const ends = wrapEnds(host.layers, enter);
  const write = ends.outbound;
  const starts = ends.wrappers.filter((w) => w.connect);
  const stops = ends.wrappers.filter((w) => w.disconnect);

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
      for (const wrapper of starts) wrapper.connect!(connection);
      for (const stage of connectors) stage.connect!(connection);
    },
    inbound: ends.inbound,
    // With no outbound stage (most mocks), a frame is written at once
    // (through the wrappers, which cost a read or two while they have nothing to do).
    outbound:
      senders.length === 0
        ? write
        : (connection, frame, callback) => outTurns.run(connection, () => send(connection, frame, callback, 0)),
    disconnect(connection) {
      for (const wrapper of stops) wrapper.disconnect!(connection);
      for (const stage of disconnectors) stage.disconnect!(connection);
    },
    inspect(connection) {
      let details: ConnectionDetails = {};
      for (const stage of inspectors) details = { ...details, ...stage.inspect!(connection) };
      return details;
    },
  };
}
