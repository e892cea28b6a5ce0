//
// The scenario stage: a scripted sequence per connection, started on connect.
//
// A `wait`/`expect` step with `match` takes the first matching frame that
// arrives while it waits; that frame stops here and no matcher sees it. Frames
// that do not match, or that arrive while the scenario is not waiting, go on
// to the matchers. Every timer comes from the real clock and is cleared when
// the connection closes (a mock change closes its connections, so it stops
// the scenarios too).
//
import type { Connection } from '../../connections/Connection.js';
import type { ScenarioInfo } from '../../connections/types.js';
import type { Message } from '../../connections/Message.js';
import type { ScenarioStep, WebSocketMockConfig } from '../../mocks/types.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import { parseDuration } from '../../util/duration.js';
import { compileMatch, type CompiledMatch } from '../../behaviour/match.js';
import type { Stage, StageContext } from '../stage.js';
import { compileResponse, type CompiledResponse } from '../../behaviour/responses.js';

/** How long a wait step waits for its message when the config says nothing. */
export const DEFAULT_WAIT_TIMEOUT = 30_000;

type CompiledStep =
  | { kind: 'send'; response: CompiledResponse }
  | { kind: 'wait'; test: CompiledMatch<Connection>; timeout: number; optional: boolean; describe: string }
  | { kind: 'pause'; duration: number }
  | { kind: 'close'; code: number; reason: string };

/** Where one connection's scenario stands. */
interface Run {
  step: number;
  status: ScenarioInfo['status'];
  error: string | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Set while a wait step is waiting for a frame. */
  waiting: CompiledMatch<Connection> | undefined;
  /** The last frame a wait step consumed: `{{message…}}` in send steps. */
  lastMessage: Message | undefined;
  stopped: boolean;
}

/** What `resetOnReconnect: false` carries from one connection of the mock to the next. */
interface Position {
  step: number;
  lastMessage: Message | undefined;
}

function compileStep(step: ScenarioStep): CompiledStep {
  switch (step.type) {
    case 'send':
      return { kind: 'send', response: compileResponse(step.message) };
    case 'delay':
      return { kind: 'pause', duration: parseDuration(step.duration) ?? 0 };
    case 'close':
      return { kind: 'close', code: step.code ?? 1000, reason: step.reason ?? '' };
    default:
      if (step.match === undefined) return { kind: 'pause', duration: parseDuration(step.duration) ?? 0 };
      return {
        kind: 'wait',
        test: compileMatch(step.match),
        timeout: parseDuration(step.timeout) ?? DEFAULT_WAIT_TIMEOUT,
        optional: step.optional ?? false,
        describe: JSON.stringify(step.match),
      };
  }
}

/** The scenario stage, when the mock has a scenario. */
export function scenarioStage(config: WebSocketMockConfig, host: StageContext): Stage | undefined {
  const scenario = config.scenario;
  if (!scenario) return undefined;
  const name = scenario.name ?? null;
  const loop = scenario.loop ?? false;
  const steps = scenario.steps.map(compileStep);
  // Kept per mock version: a changed mock starts every scenario afresh.
  const shared: Position | undefined = scenario.resetOnReconnect === false ? { step: 0, lastMessage: undefined } : undefined;

  // Where each connection's run stands: this stage's own state.
  const runs = new WeakMap<Connection, Run>();
  const stage: Stage = {
    name: 'scenario',
    connect(connection) {
      const run: Run = {
        step: shared?.step ?? 0,
        status: 'running',
        error: undefined,
        timer: undefined,
        waiting: undefined,
        lastMessage: shared?.lastMessage,
        stopped: false,
      };
      runs.set(connection, run);
      advance(connection, run);
    },
    inbound({ connection, message }) {
      const run = runs.get(connection);
      if (!run?.waiting || run.stopped) return false;
      let hit: boolean;
      try {
        hit = run.waiting(message, connection);
      } catch {
        hit = false;
      }
      if (!hit) return false;
      clearTimer(run);
      run.waiting = undefined;
      run.lastMessage = message;
      if (shared) shared.lastMessage = message;
      next(connection, run);
      return true;
    },
    disconnect(connection) {
      const run = runs.get(connection);
      if (run) {
        run.stopped = true;
        run.waiting = undefined;
        clearTimer(run);
      }
      host.queues.dispose(connection);
    },
    inspect(connection) {
      return { scenario: info(connection) };
    },
  };

  function info(connection: Connection): ScenarioInfo {
    const run = runs.get(connection);
    // After the last step the index stays on it rather than pointing past the end.
    const step = Math.min(run?.step ?? 0, steps.length - 1);
    const result: ScenarioInfo = { name, step, status: run?.status ?? 'running' };
    if (run?.error !== undefined) result.error = run.error;
    return result;
  }

  function next(connection: Connection, run: Run): void {
    run.step++;
    advance(connection, run);
  }

  /**
   * Runs steps until one has to wait (a timer, a frame, a delayed send). A
   * step that completes at once (an undelayed send) moves straight on, so a
   * greeting goes out on the stack of the connect.
   */
  function advance(connection: Connection, run: Run): void {
    let ran = 0;
    while (!run.stopped && connection.isOpen) {
      if (run.step >= steps.length) {
        if (!loop) {
          run.status = 'completed';
          save(run);
          return;
        }
        run.step = 0;
        // Validation refuses a loop in which no step takes time; should one get
        // through, each round still yields to the event loop instead of spinning.
        if (ran >= steps.length) {
          save(run);
          run.timer = realSetTimeout(() => {
            run.timer = undefined;
            advance(connection, run);
          }, 0);
          return;
        }
      }
      ran++;
      save(run);
      const step = steps[run.step]!;
      run.status = 'running';
      switch (step.kind) {
        case 'send': {
          let sync = true;
          let sent = false;
          host.queues.of(connection).respond(step.response, run.lastMessage, () => {
            sent = true;
            if (!sync) next(connection, run);
          });
          sync = false;
          if (!sent) return;
          run.step++;
          continue;
        }
        case 'pause':
          run.timer = realSetTimeout(() => {
            run.timer = undefined;
            next(connection, run);
          }, step.duration);
          return;
        case 'wait':
          run.status = 'waiting';
          run.waiting = step.test;
          run.timer = realSetTimeout(() => {
            run.timer = undefined;
            run.waiting = undefined;
            if (run.stopped || !connection.isOpen) return;
            if (step.optional) return next(connection, run);
            run.status = 'failed';
            run.error = `step ${run.step} timed out after ${step.timeout} ms waiting for a message matching ${step.describe}`;
            host.scenarioFailed(connection, info(connection));
          }, step.timeout);
          return;
        case 'close':
          run.step++;
          run.status = 'completed';
          save(run);
          void connection.close({ code: step.code, reason: step.reason });
          return;
      }
    }
  }

  function save(run: Run): void {
    if (shared) shared.step = run.step;
  }

  function clearTimer(run: Run): void {
    if (run.timer) realClearTimeout(run.timer);
    run.timer = undefined;
  }

  return stage;
}
