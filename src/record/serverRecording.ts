// `server.recording(mockId?)`: the server's recordings as a handle.
import { noRecording } from '../errors.js';
import type { MocksApi } from '../mocks/MockRegistry.js';
import type { Recordings } from './Recorder.js';
import { Recording } from './Recording.js';

/** A snapshot of mock `mockId`'s recording, or of every recording mock's. */
export function recordingOf(recordings: Recordings, mocks: MocksApi, mockId: string | undefined): Recording {
  if (mockId === undefined) return new Recording(recordings.file(undefined, 'wsmock'));
  if (!recordings.has(mockId)) {
    const mock = mocks.get(mockId);
    const why = mock ? `mock "${mockId}" does not record; define it with record: true` : `there is no mock "${mockId}"`;
    const recording = mocks.list().filter((m) => recordings.has(m.id)).map((m) => m.id);
    throw noRecording(mockId, why, recording);
  }
  return new Recording(recordings.file(mockId, `mock ${mockId}`));
}
