//
// A recording as an editable mock: one WebSocket mock whose scenario sends
// the recorded server frames (after the recorded pauses) and expects the
// recorded client frames. What `wsmock recording to-config` prints. The
// scenario compares client frames exactly; loosen a step's `match` by hand
// (a `json` matcher on `$.type`, say) to accept variations.
//
import { stringify } from 'yaml';
import type { MatchSpec } from '../behaviour/types.js';
import { recordedConnectionMissing } from '../errors.js';
import type { MockEnvelope, ResponseSpec, ScenarioStep, WebSocketMockFields } from '../mocks/types.js';
import type { RecordedFrame } from './format.js';
import type { Recording } from './Recording.js';
import { timeline, type ReplayTiming } from './timeline.js';

/** Options of {@link recordingToConfig}. */
export interface RecordingToConfigOptions {
  /** Which connection of the recording (default 0). */
  connection?: number;
  /** The mock's path; default the recorded URL's path. */
  path?: string;
  /** The mock's id; default `replayed`. */
  id?: string;
  /** Pauses as recorded (default), none (`asap`), or divided by `speed`. */
  timing?: ReplayTiming;
}

/** Mustache's delimiter change: after it, `{{` in recorded text is sent as written. */
const LITERAL = '{{=<% %>=}}';

function response(frame: RecordedFrame): ResponseSpec {
  if (frame.binary !== undefined) return { type: 'binary', value: frame.binary };
  const text = frame.text!;
  if (!text.includes('{{')) {
    // Compact JSON reads better as YAML and serialises back to the same text.
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && JSON.stringify(value) === text) return { type: 'json', value };
    } catch {
      // not JSON: sent as text
    }
    return { type: 'text', value: text };
  }
  if (!text.includes('<%') && !text.includes('%>')) return { type: 'text', value: `${LITERAL}${text}` };
  return { type: 'binary', value: Buffer.from(text).toString('base64') };
}

function match(frame: RecordedFrame): MatchSpec {
  if (frame.text !== undefined) return { type: 'exact', value: frame.text };
  const bytes = Buffer.from(frame.binary!, 'base64');
  const text = bytes.toString('utf8');
  // Bytes that are not UTF-8 cannot be compared by a config matcher: any binary frame is accepted.
  if (Buffer.from(text).equals(bytes)) return { type: 'exact', value: text, messageType: 'binary' };
  return { type: 'regex', value: '', messageType: 'binary' };
}

function pathOf(url: string): string {
  return new URL(url, 'ws://localhost').pathname;
}

/** One recorded connection as a WebSocket mock envelope with a scenario. */
export function recordingToEnvelope(recording: Recording, options: RecordingToConfigOptions = {}): MockEnvelope {
  const index = options.connection ?? 0;
  const connection = recording.connections[index];
  if (!connection) throw recordedConnectionMissing(index, recording.connections.length);
  const steps: ScenarioStep[] = timeline(connection, options.timing).map((item): ScenarioStep => {
    switch (item.kind) {
      case 'pause':
        return { type: 'delay', duration: item.ms };
      case 'send':
        return { type: 'send', message: response(item.frame) };
      case 'wait':
        return { type: 'expect', match: match(item.frame) };
      case 'close':
        return { type: 'close', code: item.code, ...(item.reason ? { reason: item.reason } : {}) };
    }
  });
  const websocket: WebSocketMockFields = { path: options.path ?? pathOf(connection.url) };
  if (connection.subprotocol) websocket.subprotocols = [connection.subprotocol];
  if (steps.length > 0) websocket.scenario = { name: `recorded ${connection.url}`, steps };
  else websocket.echoMode = false;
  return { id: options.id ?? 'replayed', type: 'websocket', websocket };
}

/**
 * A recording as an editable YAML config file (`mocks:` with one WebSocket
 * mock and its scenario), what `wsmock recording to-config` prints.
 *
 * @throws WsMockError `WSMOCK_ERR_INVALID_ARGUMENT` when `options.connection` is not a connection of the recording.
 *
 * @example
 * ```ts
 * const yaml = recordingToConfig(loadRecording('session.har'), { path: '/live' });
 * await writeFile('live.yaml', yaml);
 * ```
 */
export function recordingToConfig(recording: Recording, options: RecordingToConfigOptions = {}): string {
  const envelope = recordingToEnvelope(recording, options);
  const count = recording.connections.length;
  const header = `# Made by wsmock recording to-config from connection ${options.connection ?? 0} of ${count}. Edit freely.\n`;
  return header + stringify({ version: '1.0', mocks: [envelope] }, { lineWidth: 0 });
}
