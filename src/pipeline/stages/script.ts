//
// The script runner: one scripted sequence per connection, started on
// connect. Both the `scenario` stage (steps from a config) and the `replay`
// stage (steps from a recording) run on it, so a replay is a scenario: the
// same `ConnectionInfo.scenario`, the same `scenario:failed` event.
//
// A wait step takes the first matching frame that arrives while it waits;
// that frame stops here and no matcher sees it. Frames that do not match, or
// that arrive while the script is not waiting, go on to the matchers, except
// in a strict script (a replay): there a frame that does not match fails the
// script at once, with what was expected and what arrived, and a frame that
// comes early (while the script pauses) is kept for the next wait. Every
// timer comes from the real clock and is cleared when the connection closes.
//
import type { CompiledResponse } from '../../behaviour/responses.js';
import type { CompiledMatch } from '../../behaviour/match.js';
import type { Connection } from '../../connections/Connection.js';
import type { Message } from '../../connections/Message.js';
import type { ScenarioInfo } from '../../connections/types.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import type { Stage, StageContext } from '../stage.js';

/**
 * One compiled step. `expected` (strict scripts) describes the awaited frame in a failure; `ignored`
 * names the JSON fields its test leaves out (a replay's `match.ignore`), for the failure's diff.
 */
export type CompiledStep =
  | { kind: 'send'; response: CompiledResponse }
  | { kind: 'wait'; test: CompiledMatch<Connection>; timeout: number; optional: boolean; describe: string; expected?: string; ignored?: string[] }
  | { kind: 'pause'; duration: number }
  | { kind: 'close'; code: number; reason: string };

/** A compiled script. */
export interface Script {
  name: string | null;
  steps: CompiledStep[];
  loop: boolean;
  /** Set when a reconnecting client resumes where the previous connection stopped (`resetOnReconnect: false`). */
  resume: boolean;
  /** A frame that does not match the awaited one fails the script; early frames wait for their step. */
  strict: boolean;
}

/** How many early frames a strict script keeps for its next waits. */
const EARLY_LIMIT = 1000;

/** Where one connection's script stands. */
interface Run {
  step: number;
  status: ScenarioInfo['status'];
  error: string | undefined;
  expected: string | undefined;
  received: string | undefined;
  ignored: string[] | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Set while a wait step is waiting for a frame. */
  waiting: CompiledMatch<Connection> | undefined;
  /** The last frame a wait step consumed: `{{message…}}` in send steps. */
  lastMessage: Message | undefined;
  /** Strict scripts: frames that arrived while no step waited. */
  early: Message[] | undefined;
  stopped: boolean;
}

/** What `resetOnReconnect: false` carries from one connection of the mock to the next. */
interface Position {
  step: number;
  lastMessage: Message | undefined;
}

/** How a frame appears in a failure: its text, or its bytes in base64. */
export function frameText(message: Message): string {
  return message.text ?? `<binary ${message.size} bytes, base64 ${(message.data as Buffer).toString('base64')}>`;
}

/** The stage that runs `script` on every connection. */
export function scriptStage(name: string, script: Script, host: StageContext): Stage {
  const { steps, loop } = script;
  // Kept per mock version: a changed mock starts every script afresh.
  const shared: Position | undefined = script.resume ? { step: 0, lastMessage: undefined } : undefined;
  const runs = new WeakMap<Connection, Run>();

  const stage: Stage = {
    name,
    connect(connection) {
      const run: Run = {
        step: shared?.step ?? 0,
        status: 'running',
        error: undefined,
        expected: undefined,
        received: undefined,
        ignored: undefined,
        timer: undefined,
        waiting: undefined,
        lastMessage: shared?.lastMessage,
        early: undefined,
        stopped: false,
      };
      runs.set(connection, run);
      advance(connection, run);
    },
    inbound({ connection, message }) {
      const run = runs.get(connection);
      if (!run || run.stopped) return false;
      if (!run.waiting) {
        if (!script.strict || run.status === 'failed' || run.status === 'completed') return false;
        const early = (run.early ??= []);
        if (early.length < EARLY_LIMIT) early.push(message);
        return true;
      }
      return offer(connection, run, message);
    },
    disconnect(connection) {
      const run = runs.get(connection);
      if (run) {
        run.stopped = true;
        run.waiting = undefined;
        run.early = undefined;
        clearTimer(run);
      }
      host.queues.dispose(connection);
    },
    inspect(connection) {
      return { scenario: info(connection) };
    },
  };

  /** A frame for the waiting step: consumed when it matches; in a strict script, a failure when not. */
  function offer(connection: Connection, run: Run, message: Message): boolean {
    let hit: boolean;
    try {
      hit = run.waiting!(message, connection);
    } catch {
      hit = false;
    }
    if (!hit) {
      if (!script.strict) return false;
      const step = steps[run.step] as Extract<CompiledStep, { kind: 'wait' }>;
      clearTimer(run);
      run.waiting = undefined;
      run.ignored = step.ignored;
      fail(connection, run, `step ${run.step}: the client sent a frame that does not match ${step.describe}`, step.expected, frameText(message));
      return true;
    }
    clearTimer(run);
    run.waiting = undefined;
    run.lastMessage = message;
    if (shared) shared.lastMessage = message;
    next(connection, run);
    return true;
  }

  function info(connection: Connection): ScenarioInfo {
    const run = runs.get(connection);
    // After the last step the index stays on it rather than pointing past the end.
    const step = Math.max(0, Math.min(run?.step ?? 0, steps.length - 1));
    const result: ScenarioInfo = { name: script.name, step, status: run?.status ?? 'running' };
    if (run?.error !== undefined) result.error = run.error;
    if (run?.expected !== undefined) result.expected = run.expected;
    if (run?.received !== undefined) result.received = run.received;
    if (run?.ignored !== undefined) result.ignored = run.ignored;
    return result;
  }

  function fail(connection: Connection, run: Run, error: string, expected?: string, received?: string): void {
    run.status = 'failed';
    run.error = expected === undefined ? error : `${error}\nExpected: ${expected}\nReceived: ${received ?? '(nothing)'}`;
    run.expected = expected;
    run.received = received;
    run.early = undefined;
    const snapshot = info(connection);
    host.scenarioFailed(connection, snapshot);
    connection.emit('scenario', snapshot);
  }

  function complete(connection: Connection, run: Run): void {
    run.status = 'completed';
    save(run);
    connection.emit('scenario', info(connection));
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
        if (!loop) return complete(connection, run);
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
          // A send that cannot be written fails the scenario rather than leaving it on this step for ever.
          const failed = (error: Error) => fail(connection, run, `step ${run.step} could not send its message: ${error.message}`);
          host.queues.of(connection).respond(
            step.response,
            run.lastMessage,
            () => {
              sent = true;
              if (!sync) next(connection, run);
            },
            failed,
          );
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
        case 'wait': {
          run.status = 'waiting';
          run.waiting = step.test;
          const early = run.early?.shift();
          if (early) {
            offer(connection, run, early);
            return;
          }
          run.timer = realSetTimeout(() => {
            run.timer = undefined;
            run.waiting = undefined;
            if (run.stopped || !connection.isOpen) return;
            if (step.optional) return next(connection, run);
            run.ignored = step.ignored;
            fail(connection, run, `step ${run.step} timed out after ${step.timeout} ms waiting for a message matching ${step.describe}`, step.expected);
          }, step.timeout);
          return;
        }
        case 'close':
          run.step++;
          complete(connection, run);
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
