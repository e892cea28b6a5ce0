//
// `toHaveReplayed`: on a connection of a replay mock (or of any mock with a
// scenario), waits for the script to end and passes when it completed. A
// failed replay shows the recorded frame and the one the client sent, as a
// diff. It reads only public API: `conn.info.scenario` and the connection's
// `scenario` and `close` events; on a remote connection, its server's answer
// to the scenario route (a long poll).
//
import type { Connection } from '../connections/Connection.js';
import type { ScenarioInfo } from '../connections/types.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import type { MatcherContext, MatcherResult } from './context.js';
import { connectionJournal } from './journal.js';
import { assertConnection } from './subject.js';
import { hasBrand, kScenarioOutcome } from '../util/brand.js';
import type { ReplayedOptions } from './types.js';
import { withoutFields } from '../util/withoutFields.js';
import { diffSection, hint, timeoutOf } from './verdict.js';

/** How long `toHaveReplayed` waits when neither the call nor the runner says: 30 s, a replay's own wait timeout. */
const DEFAULT_REPLAY_TIMEOUT = 30_000;

type Outcome = { kind: 'ended'; info: ScenarioInfo } | { kind: 'closed'; info: ScenarioInfo | null } | { kind: 'timeout'; info: ScenarioInfo | null };

/** Resolves when the connection's script completes or fails, the connection closes, or `timeout` passes. */
function outcome(conn: Connection, timeout: number): Promise<Outcome> {
  const ended = (info: ScenarioInfo | null) => info !== null && (info.status === 'completed' || info.status === 'failed');
  const now = conn.info.scenario;
  if (now && ended(now)) return Promise.resolve({ kind: 'ended', info: now });
  if (!conn.isOpen) return Promise.resolve({ kind: 'closed', info: now });
  return new Promise((resolve) => {
    const done = (result: Outcome) => {
      realClearTimeout(timer);
      conn.off('scenario', onScenario);
      conn.off('close', onClose);
      resolve(result);
    };
    const onScenario = (info: ScenarioInfo) => done({ kind: 'ended', info });
    const onClose = () => {
      const info = conn.info.scenario;
      done(ended(info) ? { kind: 'ended', info: info! } : { kind: 'closed', info });
    };
    const timer = realSetTimeout(() => done({ kind: 'timeout', info: conn.info.scenario }), timeout);
    conn.on('scenario', onScenario);
    conn.on('close', onClose);
  });
}

/**
 * The outcome of a remote connection's replay (from `connectMockServer()`),
 * read from its server by a long poll; undefined when its mock runs none.
 */
async function remoteOutcome(conn: Connection, timeout: number): Promise<Outcome | undefined> {
  const wait = (conn as unknown as Record<symbol, (timeout: number) => Promise<{ scenario: ScenarioInfo | null; closed: unknown }>>)[kScenarioOutcome]!;
  const { scenario, closed } = await wait.call(conn, timeout);
  if (scenario === null) return undefined;
  if (scenario.status === 'completed' || scenario.status === 'failed') return { kind: 'ended', info: scenario };
  return closed !== null ? { kind: 'closed', info: scenario } : { kind: 'timeout', info: scenario };
}

/** A failed frame as the diff shows it: parsed JSON when it is JSON, without the fields the comparison ignored. */
function shown(frame: string | undefined, ignored: readonly string[] | undefined): unknown {
  if (frame === undefined) return '(nothing)';
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return frame;
  }
  return ignored ? withoutFields(json, new Set(ignored)) : json;
}

/**
 * `await expect(conn).toHaveReplayed({ timeout? })`: waits until the
 * connection's replay (or scenario) ends and passes when it completed; a
 * replay that failed on a frame shows the recorded frame and the one received.
 */
export async function toHaveReplayed(this: MatcherContext, received: unknown, options: ReplayedOptions = {}): Promise<MatcherResult> {
  assertConnection(this, 'toHaveReplayed', received);
  const conn = received;
  const head = hint(this, 'toHaveReplayed', '', 'options');
  const timeout = timeoutOf(this, options.timeout) ?? DEFAULT_REPLAY_TIMEOUT;
  const result = hasBrand(conn, 'remote-connection') ? await remoteOutcome(conn, timeout) : conn.info.scenario === null ? undefined : await outcome(conn, timeout);
  if (result === undefined) {
    return { pass: false, message: () => `${head}\n\n${conn.id} runs no replay or scenario: its mock has neither "replay" nor "scenario".` };
  }
  const info = result.info;
  const name = info?.name ? `"${info.name}"` : '(unnamed)';
  if (result.kind === 'ended' && info!.status === 'completed') {
    return { pass: true, message: () => `${head}\n\nExpected replay ${name} on ${conn.id} not to complete, but it did (step ${info!.step}).` };
  }
  if (result.kind === 'ended') {
    const diff = info!.expected !== undefined ? `\n\n${diffSection(this, shown(info!.expected, info!.ignored), shown(info!.received, info!.ignored))}` : '';
    // The error starts with its step ("step 1: …", "step 1 timed out …"), which the sentence already gives.
    const why = (info!.error?.split('\n')[0] ?? 'failed').replace(new RegExp(`^step ${info!.step}:? `), '');
    return { pass: false, message: () => `${head}\n\nReplay ${name} on ${conn.id} failed at step ${info!.step}: ${why}${diff}\n\n${connectionJournal(conn)}` };
  }
  const where = info ? `at step ${info.step} (${info.status})` : '';
  const what = result.kind === 'closed' ? `the connection closed ${where} before it completed` : `it had not completed after ${timeout} ms; it is ${where}`;
  return { pass: false, message: () => `${head}\n\nReplay ${name} on ${conn.id} did not complete: ${what}.\n\n${connectionJournal(conn)}` };
}
