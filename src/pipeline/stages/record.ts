//
// The record stage: first in the pipeline, so it starts recording a
// connection before `onConnection` or a scenario sends anything. It only
// attaches the mock's recorder (record/Recorder.ts) on connect and detaches it
// on disconnect; the recorder follows the connection's own frame events. No
// inbound or outbound hook, so recording adds no step to a frame's path.
//
import type { WebSocketMockConfig } from '../../mocks/types.js';
import type { Stage, StageContext } from '../stage.js';

/** The record stage, when the mock has `record: true`. */
export function recordStage(config: WebSocketMockConfig, host: StageContext): Stage | undefined {
  if (config.record !== true || !host.recorder) return undefined;
  const recorder = host.recorder();
  return { name: 'record', connect: (connection) => recorder.attach(connection), disconnect: (connection) => recorder.detach(connection) };
}
