//
// Recording as a layer of the server (layers/layer.ts): the record stage,
// first in the pipeline of every mock with `record: true`, Recordings as its
// service, behind `server.recording()`, forgotten by `reset()`, and the
// reader that validating a `replay` uses to check its recording.
//
import type { Layer } from '../layers/layer.js';
import type { MocksApi } from '../mocks/MockRegistry.js';
import { provideReplayReader } from '../mocks/schema.js';
import { loadRecording } from './load.js';
import { Recordings } from './Recorder.js';
import type { Recording } from './Recording.js';
import { recordingOf } from './serverRecording.js';
import { recordStage } from './stage.js';

// Validating a mock's `replay` reads its recording: the record layer reads it.
provideReplayReader(loadRecording);

/** The record layer, with the service the server's methods reach. */
export interface RecordLayer extends Layer {
  readonly service: Recordings;
  /** `server.recording(mockId?)`. */
  recording(mocks: MocksApi, mockId: string | undefined): Recording;
}

/** Makes the record layer; each recorded connection keeps its first `frameLimit` frames. */
export function recordLayer(frameLimit: number): RecordLayer {
  const service = new Recordings(frameLimit);
  return {
    name: 'record',
    service,
    recording: (mocks, mockId) => recordingOf(service, mocks, mockId),
    pipeline: (mockId) => ({
      stages: (config) => (config.record === true ? { first: recordStage(service.of(mockId)) } : undefined),
    }),
    reset: () => service.clear(),
  };
}
