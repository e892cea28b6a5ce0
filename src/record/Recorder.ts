//
// Recording: what the `record` stage keeps of each connection of a mock with
// `record: true`. It keeps the journal's own message objects (nothing is
// copied or encoded while frames flow); the JSON form is made only when
// someone asks for the recording. It listens on the connection's `message` and
// `sent` events, which fire for every frame whoever handles it, so frames
// consumed by a scenario or answered by a matcher are recorded too.
//
// Bounded like journals: each connection keeps its first `journal.limit`
// frames (a replay needs the beginning; the rest are counted), and a mock
// keeps its first RECORDED_CONNECTIONS connections (the rest are counted).
// `server.reset()` forgets every recording.
//
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo } from '../connections/types.js';
import { RECORDING_FORMAT, type RecordedConnection, type RecordedFrame, type RecordingFile } from './format.js';

/** The most connections one mock's recording keeps. */
export const RECORDED_CONNECTIONS = 1000;

/** Handshake headers a recording keeps: never cookies or credentials. */
const KEPT_HEADERS = ['origin', 'user-agent', 'sec-websocket-protocol', 'sec-websocket-extensions'];

interface Entry {
  url: string;
  headers: Record<string, string>;
  subprotocol: string | null;
  start: number;
  frames: Message[];
  dropped: number;
  close: (CloseInfo & { at: number }) | null;
  /** The listener on the connection's frame events while it is open. */
  push: ((message: Message) => void) | undefined;
}

function frameOf(message: Message, start: number): RecordedFrame {
  const direction = message.direction === 'in' ? 'client-to-server' : 'server-to-client';
  const at = Math.max(0, message.at.getTime() - start);
  if (message.binary) return { direction, at, binary: (typeof message.data === 'string' ? Buffer.from(message.data) : message.data).toString('base64') };
  return { direction, at, text: message.text! };
}

function connectionOf(entry: Entry): RecordedConnection {
  const out: RecordedConnection = {
    url: entry.url,
    startedAt: new Date(entry.start).toISOString(),
    headers: entry.headers,
    subprotocol: entry.subprotocol,
    frames: entry.frames.map((m) => frameOf(m, entry.start)),
    close: entry.close,
  };
  if (entry.dropped > 0) out.droppedFrames = entry.dropped;
  return out;
}

/** One mock's recording, across its versions. */
export class MockRecorder {
  readonly #frameLimit: number;
  #entries: Entry[] = [];
  readonly #open = new WeakMap<Connection, Entry>();
  #droppedConnections = 0;

  constructor(frameLimit: number) {
    this.#frameLimit = frameLimit;
  }

  /** Starts recording a connection that just opened. */
  attach(connection: Connection): void {
    if (this.#entries.length >= RECORDED_CONNECTIONS) {
      this.#droppedConnections++;
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = connection.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const entry: Entry = { url: connection.url, headers, subprotocol: connection.subprotocol, start: Date.now(), frames: [], dropped: 0, close: null, push: undefined };
    this.#entries.push(entry);
    const limit = this.#frameLimit;
    // The client's frames (`message`) and what reached it (`sent`); a proxy's upstream legs are not events.
    const push = (message: Message): void => {
      if (entry.frames.length < limit) entry.frames.push(message);
      else entry.dropped++;
    };
    entry.push = push;
    this.#open.set(connection, entry);
    connection.on('message', push);
    connection.on('sent', push);
  }

  /**
   * The connection closed (the stage's `disconnect`, which runs before the
   * server emits `close`, so a listener of that event sees the close recorded).
   */
  detach(connection: Connection): void {
    const entry = this.#open.get(connection);
    if (!entry) return;
    this.#open.delete(connection);
    const info = connection.closeInfo;
    if (info) entry.close = { ...info, at: Math.max(0, Date.now() - entry.start) };
    connection.off('message', entry.push);
    connection.off('sent', entry.push);
    entry.push = undefined;
  }

  /** The connections recorded so far, in the JSON form. */
  connections(): RecordedConnection[] {
    return this.#entries.map(connectionOf);
  }

  /** Connections not recorded because the bound was reached. */
  get droppedConnections(): number {
    return this.#droppedConnections;
  }
}

/** The recordings of a server's mocks, by mock id (the server owns it; `reset()` clears it). */
export class Recordings {
  readonly #frameLimit: number;
  readonly #recorders = new Map<string, MockRecorder>();

  constructor(frameLimit: number) {
    this.#frameLimit = frameLimit;
  }

  /** The recorder of mock `id`, made on first use. */
  of(id: string): MockRecorder {
    let recorder = this.#recorders.get(id);
    if (!recorder) this.#recorders.set(id, (recorder = new MockRecorder(this.#frameLimit)));
    return recorder;
  }

  /** Whether mock `id` has recorded (or is recording). */
  has(id: string): boolean {
    return this.#recorders.has(id);
  }

  /** The recording of one mock, or of every recording mock (connections in the order they opened). */
  file(id: string | undefined, source: string): RecordingFile {
    const recorders = id === undefined ? [...this.#recorders.values()] : [this.#recorders.get(id)!];
    const connections = recorders.flatMap((r) => r.connections());
    if (recorders.length > 1) connections.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const dropped = recorders.reduce((n, r) => n + r.droppedConnections, 0);
    return { format: RECORDING_FORMAT, recordedAt: new Date().toISOString(), source, connections, ...(dropped > 0 ? { droppedConnections: dropped } : {}) };
  }

  /** Forgets every recording (server reset). */
  clear(): void {
    this.#recorders.clear();
  }
}
