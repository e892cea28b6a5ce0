//
// The recording format, version 1: what `recording.save()` writes and
// `loadRecording()` reads. One zod schema is the runtime check of a file and
// the documented TypeScript types below agree with it (checked at compile
// time at the bottom). A new field that old readers can ignore keeps the
// version; a change of meaning is `wsmock-recording/2`.
//
import { z } from 'zod';
import { isBase64 } from '../util/base64.js';

/** The `format` of every recording this version of wsmock writes and reads. */
export const RECORDING_FORMAT = 'wsmock-recording/1';

/** Who sent a recorded frame: `client-to-server` (the client sent it), `server-to-client` (the client received it). */
export type RecordedDirection = 'client-to-server' | 'server-to-client';

/** One recorded frame: exactly one of `text` (a text frame) and `binary` (a binary frame, base64). */
export interface RecordedFrame {
  /** Who sent it. */
  direction: RecordedDirection;
  /** Milliseconds since the connection opened. */
  at: number;
  /** The text of a text frame. */
  text?: string;
  /** The bytes of a binary frame, base64. */
  binary?: string;
}

/** How a recorded connection closed. */
export interface RecordedClose {
  /** The close code (1005: none was sent; 1006: the socket dropped). */
  code: number;
  /** The close reason. */
  reason: string;
  /** Who started the close. */
  by: 'server' | 'client' | 'network';
  /** Milliseconds since the connection opened. */
  at: number;
}

/** One recorded connection. */
export interface RecordedConnection {
  /** The requested path with its query string (`/chat?room=1`), or the full URL a HAR file names. */
  url: string;
  /** When it opened (ISO 8601). */
  startedAt: string;
  /** The handshake headers a replay may care about: `origin`, `user-agent`, `sec-websocket-protocol`, `sec-websocket-extensions` (never cookies or credentials). */
  headers: Record<string, string>;
  /** The negotiated subprotocol, or `null`. */
  subprotocol: string | null;
  /** Every frame, in order. */
  frames: RecordedFrame[];
  /** How it closed; `null` while it was still open when the recording was taken. */
  close: RecordedClose | null;
  /** Frames past the recorder's bound, not written (absent when none). */
  droppedFrames?: number;
}

/** A recording file: `{ "format": "wsmock-recording/1", "connections": [...] }`. */
export interface RecordingFile {
  /** Always `wsmock-recording/1` for this version. */
  format: typeof RECORDING_FORMAT;
  /** When the recording was taken (ISO 8601). */
  recordedAt: string;
  /** Where it came from: the mock id, the upstream URL, or the HAR file. */
  source?: string;
  /** The connections, in the order they opened. */
  connections: RecordedConnection[];
  /** Connections past the recorder's bound, not written (absent when none). */
  droppedConnections?: number;
}

const offset = z.number({ error: 'must be a number of milliseconds' }).nonnegative('must be 0 or more (milliseconds since the connection opened)');

const frameSchema = z
  .strictObject({
    direction: z.enum(['client-to-server', 'server-to-client'], { error: 'must be "client-to-server" or "server-to-client"' }),
    at: offset,
    text: z.string().optional(),
    binary: z.string().refine(isBase64, 'must be base64').optional(),
  })
  .check((ctx) => {
    if ((ctx.value.text === undefined) === (ctx.value.binary === undefined)) {
      ctx.issues.push({ code: 'custom', path: [], message: 'needs exactly one of "text" (a text frame) and "binary" (base64 bytes)', input: ctx.value });
    }
  });

const closeSchema = z.strictObject({
  code: z.int('must be a whole number').min(1000, 'must be a close code from 1000 to 4999').max(4999, 'must be a close code from 1000 to 4999'),
  reason: z.string(),
  by: z.enum(['server', 'client', 'network']),
  at: offset,
});

const connectionSchema = z.strictObject({
  url: z.string().min(1, 'must not be empty'),
  startedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date'),
  headers: z.record(z.string(), z.string()),
  subprotocol: z.string().nullable(),
  frames: z.array(frameSchema),
  close: closeSchema.nullable(),
  droppedFrames: z.int().nonnegative().optional(),
});

const fileSchema = z.strictObject({
  format: z.literal(RECORDING_FORMAT, { error: `must be "${RECORDING_FORMAT}"` }),
  recordedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date'),
  source: z.string().optional(),
  connections: z.array(connectionSchema),
  droppedConnections: z.int().nonnegative().optional(),
});

/** The zod schema of a {@link RecordingFile}: `recordingSchema.safeParse(JSON.parse(text))`. */
export const recordingSchema: z.ZodType<RecordingFile> = fileSchema as z.ZodType<RecordingFile>;

// Compile-time proof that the schema and the documented types agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _RecordingAgrees = Assert<Same<z.input<typeof fileSchema>, RecordingFile>>;
export type _ConnectionAgrees = Assert<Same<z.input<typeof connectionSchema>, RecordedConnection>>;
export type _FrameAgrees = Assert<Same<z.input<typeof frameSchema>, RecordedFrame>>;
