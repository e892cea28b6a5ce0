//
// Recording as a layer of the server (layers/layer.ts): the record stage,
// first in the pipeline of every mock with `record: true`, and Recordings as
// its service, behind `server.recording()`, forgotten by `reset()`.
//
import type { Layer } from '../layers/layer.js';
import type { MocksApi } from '../mocks/MockRegistry.js';
import { Recordings } from './Recorder.js';
import type { Recording } from './Recording.js';
import { recordingOf } from './serverRecording.js';
import { recordStage } from './stage.js';

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
