//
// The scenario stage: a mock's `scenario` compiled into a script, run per
// connection by the script runner (script.ts), which the replay stage shares.
// A mock change closes its connections, so it stops the scenarios too.
//
import type { Connection } from '../../connections/Connection.js';
import type { ScenarioStep, WebSocketMockConfig } from '../../mocks/types.js';
import { parseDuration } from '../../util/duration.js';
import { compileMatch } from '../../behaviour/match.js';
import type { Stage, StageContext } from '../stage.js';
import { compileResponse } from '../../behaviour/responses.js';
import { scriptStage, type CompiledStep, type Script } from './script.js';

/** How long a wait step waits for its message when the config says nothing. */
export const DEFAULT_WAIT_TIMEOUT = 30_000;

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
        test: compileMatch<Connection>(step.match),
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
  const script: Script = {
    name: scenario.name ?? null,
    steps: scenario.steps.map(compileStep),
    loop: scenario.loop ?? false,
    resume: scenario.resetOnReconnect === false,
    strict: false,
  };
  return scriptStage('scenario', script, host);
}
