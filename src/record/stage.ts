//
// The record stage: the record layer's first stage (layer.ts), so it starts
// recording a connection before `onConnection` or a scenario sends anything.
// It only attaches the mock's recorder (Recorder.ts) on connect and detaches
// it on disconnect; the recorder follows the connection's own frame events.
// No inbound or outbound hook, so recording adds no step to a frame's path.
//
import type { Stage } from '../pipeline/stage.js';
import type { MockRecorder } from './Recorder.js';

/** The record stage of a mock with `record: true`. */
export function recordStage(recorder: MockRecorder): Stage {
  return { name: 'record', connect: (connection) => recorder.attach(connection), disconnect: (connection) => recorder.detach(connection) };
}
