//
// Loading a recording: a wsmock-recording/1 file or object, or a HAR file.
// Everything is checked before a replay mock exists (so before any client
// connects): not JSON, truncated, another format, a frame without payload.
// Reading is synchronous because mock configs are validated synchronously.
//
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { invalidConfig, type ConfigIssue } from '../errors.js';
import { RECORDING_FORMAT, recordingSchema, type RecordingFile } from './format.js';
import { harToRecording, isHar } from './har.js';
import { Recording } from './Recording.js';
import { unknownFieldMessage, withKnownKeys } from '../mocks/unknownFields.js';

/** Options of {@link loadRecording}. */
export interface LoadRecordingOptions {
  /**
   * Keep only connections to this URL: a path (`/chat`, compared with each
   * connection's path, query ignored unless given) or a full `ws://` URL.
   * HAR files often hold sockets to several servers.
   */
  url?: string;
  /** The source must be a HAR file (`wsmock recording to-config --har`); without it, HAR is recognised by its `log.entries`. */
  har?: boolean;
}

/** zod's issues as config issues: `connections[0].frames[3].at`. (Not mocks/validate.ts: the mock schema imports this module.) */
function toIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: unknownFieldMessage(issue, key) }));
    const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'is required' : issue.message.replace(/^Invalid input: expected/, 'must be');
    return [{ path, message }];
  });
}

function fail(what: string, issues: ConfigIssue[]): never {
  throw invalidConfig(what, issues);
}

/** Reads and parses a file; what is wrong is reported naming the file. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`recording ${file}`, [{ path: '', message: `cannot be read: ${(err as Error).message}`, file }]);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const truncated = /end of (JSON )?input|Unterminated/i.test((err as Error).message);
    const message = `is not valid JSON${truncated ? ' (the file looks truncated)' : ''}: ${(err as Error).message}`;
    return fail(`recording ${file}`, [{ path: '', message, file }]);
  }
}

function pathOf(url: string): { path: string; search: string } {
  const parsed = new URL(url, 'ws://localhost');
  return { path: parsed.pathname, search: parsed.search };
}

function sameUrl(recorded: string, wanted: string): boolean {
  if (/^wss?:|^https?:/i.test(wanted)) return recorded === wanted;
  const a = pathOf(recorded);
  const b = pathOf(wanted);
  return a.path === b.path && (b.search === '' || a.search === b.search);
}

/** Validates a recording document (wsmock's format or a HAR) into a RecordingFile. */
function fromDocument(doc: unknown, name: string, file: string | undefined, options: LoadRecordingOptions): RecordingFile {
  const what = `recording ${name}`;
  const at = (issues: ConfigIssue[]) => (file ? issues.map((i) => ({ ...i, file })) : issues);
  let recording: RecordingFile;
  const entries = (doc as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (entries !== undefined && !Array.isArray(entries)) {
    const got = entries === null ? 'null' : typeof entries === 'object' ? 'an object' : typeof entries;
    fail(what, at([{ path: 'log.entries', message: `must be an array, got ${got}` }]));
  }
  if (options.har && !isHar(doc)) fail(what, at([{ path: 'log.entries', message: 'is required: a HAR file has "log": { "entries": [...] }' }]));
  if (isHar(doc)) {
    const problems: ConfigIssue[] = [];
    const attachment = file === undefined ? undefined : (attached: string) => readFileSync(join(dirname(file), attached), 'utf8');
    recording = harToRecording(doc, name, problems, attachment);
    if (problems.length > 0) fail(what, at(problems));
  } else {
    const format = (doc as { format?: unknown } | null)?.format;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      fail(what, at([{ path: '', message: `must be an object with "format": "${RECORDING_FORMAT}" (or a HAR file)` }]));
    }
    if (format !== RECORDING_FORMAT) {
      const message = typeof format === 'string' && format.startsWith('wsmock-recording/')
        ? `is "${format}", a version this wsmock does not read; it reads "${RECORDING_FORMAT}"`
        : `must be "${RECORDING_FORMAT}"${format === undefined ? ' (is this a recording? a HAR file has "log.entries")' : ''}`;
      fail(what, at([{ path: 'format', message }]));
    }
    const result = recordingSchema.safeParse(doc, withKnownKeys);
    if (!result.success) fail(what, at(toIssues(result.error)));
    recording = result.data as RecordingFile;
  }
  if (options.url !== undefined) {
    const kept = recording.connections.filter((c) => sameUrl(c.url, options.url!));
    if (kept.length === 0) {
      const urls = [...new Set(recording.connections.map((c) => c.url))].slice(0, 5).join(', ') || '(none)';
      fail(what, at([{ path: 'connections', message: `has no connection to ${options.url}; it has ${urls}` }]));
    }
    recording = { ...recording, connections: kept };
  }
  return recording;
}

/**
 * Loads a recording: a file path (a `wsmock-recording/1` JSON file, or a HAR
 * file written by Chrome DevTools or Playwright's `recordHar`), a parsed
 * object in either form, or a {@link Recording}. Throws
 * `WSMOCK_ERR_INVALID_CONFIG` naming the file and what is wrong: not JSON,
 * truncated, another format version, a frame without payload, no WebSocket
 * entry in a HAR, no connection to `options.url`.
 *
 * @example
 * ```ts
 * const recording = loadRecording('session.har', { url: '/live' });
 * server.websocket({ path: '/live', replay: { recording, timing: 'asap' } });
 * ```
 */
export function loadRecording(source: string | object, options: LoadRecordingOptions = {}): Recording {
  if (source instanceof Recording) return options.url === undefined && !options.har ? source : new Recording(fromDocument(source.toJSON(), 'object', undefined, options));
  if (typeof source === 'string') return new Recording(fromDocument(readJson(source), source, source, options));
  if (typeof source === 'object' && source !== null) {
    const doc = typeof (source as { toJSON?: unknown }).toJSON === 'function' ? (source as { toJSON(): unknown }).toJSON() : source;
    return new Recording(fromDocument(doc, 'object', undefined, options));
  }
  return fail('recording', [{ path: '', message: `must be a file path, a recording object or a HAR object, got ${source === null ? 'null' : typeof source}` }]);
}
