//
// The recording handle: what `server.recording()` returns and
// `loadRecording()` makes. It holds one validated {@link RecordingFile}.
//
import { writeFile } from 'node:fs/promises';
import type { RecordedConnection, RecordedFrame, RecordingFile } from './format.js';

/** A recorded frame with the index of its connection in {@link Recording.connections}. */
export interface RecordingFrame extends RecordedFrame {
  /** Index of the connection it travelled on. */
  connection: number;
}

/**
 * A recording of WebSocket sessions in the `wsmock-recording/1` format:
 * taken from a mock with `record: true` (`server.recording()`), or loaded
 * from a file with {@link loadRecording}. Replay it with
 * `server.websocket({ path, replay: { recording } })`.
 *
 * @example
 * ```ts
 * const recording = server.recording('chat');
 * recording.connections[0].frames; // [{ direction: 'client-to-server', at: 0, text: 'hi' }, …]
 * await recording.save('chat.recording.json');
 * ```
 */
export class Recording {
  readonly #file: RecordingFile;

  /** @internal Made by `server.recording()` and `loadRecording()`. */
  constructor(file: RecordingFile) {
    this.#file = file;
  }

  /** The recorded connections, in the order they opened. */
  get connections(): readonly RecordedConnection[] {
    return this.#file.connections;
  }

  /** Every frame of every connection, each with its connection's index, connection by connection. */
  get frames(): RecordingFrame[] {
    return this.#file.connections.flatMap((c, connection) => c.frames.map((f) => ({ ...f, connection })));
  }

  /** The file's JSON form (`format: 'wsmock-recording/1'`). */
  toJSON(): RecordingFile {
    return this.#file;
  }

  /** Writes the recording to `file` as JSON (two-space indented). */
  async save(file: string): Promise<void> {
    await writeFile(file, `${JSON.stringify(this.#file, null, 2)}\n`);
  }
}
