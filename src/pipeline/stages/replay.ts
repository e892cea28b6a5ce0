//
// The replay stage: a recorded connection (record/timeline.ts) compiled into
// a strict script and run by the script runner the scenario stage uses. Each
// client connection gets the recorded server frames and must send the
// recorded client frames: compared as text, as bytes, or, with
// `match.ignore`, as JSON with the named fields left out at any depth. A frame
// that does not match fails the replay like a scenario's wait (status
// `failed`, `scenario:failed`, with what was expected and what arrived).
//
import { isDeepStrictEqual } from 'node:util';
import type { CompiledMatch } from '../../behaviour/match.js';
import { compileResponse } from '../../behaviour/responses.js';
import type { Connection } from '../../connections/Connection.js';
import type { Message } from '../../connections/Message.js';
import type { WebSocketMockConfig } from '../../mocks/types.js';
import type { RecordedFrame } from '../../record/format.js';
import { loadRecording } from '../../record/load.js';
import { timeline } from '../../record/timeline.js';
import { parseDuration } from '../../util/duration.js';
import { withoutFields } from '../../util/withoutFields.js';
import type { Stage, StageContext } from '../stage.js';
import { DEFAULT_WAIT_TIMEOUT } from './scenario.js';
import { scriptStage, type CompiledStep } from './script.js';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** How a recorded client frame is recognised, and how a failure shows it. */
function expectFrame(frame: RecordedFrame, ignore: ReadonlySet<string>): { test: CompiledMatch<Connection>; expected: string } {
  if (frame.binary !== undefined) {
    const bytes = Buffer.from(frame.binary, 'base64');
    const test = (m: Message) => m.binary && (typeof m.data === 'string' ? Buffer.from(m.data) : m.data).equals(bytes);
    return { test, expected: `<binary ${bytes.length} bytes, base64 ${frame.binary}>` };
  }
  const text = frame.text!;
  const json = ignore.size > 0 ? parseJson(text) : { ok: false as const };
  if (json.ok) {
    const want = withoutFields(json.value, ignore);
    const test = (m: Message) => !m.binary && m.json !== undefined && isDeepStrictEqual(withoutFields(m.json, ignore), want);
    return { test, expected: text };
  }
  return { test: (m: Message) => !m.binary && m.text === text, expected: text };
}

/** The replay stage, when the mock has `replay`. */
export function replayStage(config: WebSocketMockConfig, host: StageContext): Stage | undefined {
  const replay = config.replay;
  if (!replay) return undefined;
  // Validated when the mock was defined; loaded again here for this version.
  const recording = loadRecording(replay.recording ?? replay.file!, replay.url === undefined ? {} : { url: replay.url });
  const index = replay.connection ?? 0;
  const recorded = recording.connections[index]!;
  const ignore = new Set(replay.match?.ignore ?? []);
  const timeout = parseDuration(replay.timeout) ?? DEFAULT_WAIT_TIMEOUT;
  const ignoring = ignore.size > 0 ? ` (ignoring ${[...ignore].map((f) => `"${f}"`).join(', ')})` : '';
  const steps: CompiledStep[] = timeline(recorded, replay.timing).map((item): CompiledStep => {
    switch (item.kind) {
      case 'pause':
        return { kind: 'pause', duration: item.ms };
      case 'close':
        return { kind: 'close', code: item.code, reason: item.reason };
      case 'send': {
        const { frame } = item;
        const spec = frame.binary !== undefined ? { type: 'binary' as const, value: frame.binary } : { type: 'text' as const, value: frame.text! };
        // Recorded text is sent as it was: `{{` in it is not a template.
        return { kind: 'send', response: compileResponse(spec, { templates: false }) };
      }
      case 'wait': {
        const { test, expected } = expectFrame(item.frame, ignore);
        const step: CompiledStep = { kind: 'wait', test, timeout, optional: false, describe: `recorded client frame ${item.index}${ignoring}`, expected };
        if (ignore.size > 0) step.ignored = [...ignore];
        return step;
      }
    }
  });
  const source = replay.file ?? recording.toJSON().source;
  const name = `replay${source ? ` of ${source}` : ''}${recording.connections.length > 1 ? ` (connection ${index})` : ''}`;
  return scriptStage('replay', { name, steps, loop: false, resume: false, strict: true }, host);
}
