//
// HAR import. Chrome DevTools and Playwright (`recordHar`, content embedded)
// write a WebSocket's frames on its HAR entry as `_webSocketMessages`:
// `{ type: 'send' | 'receive', time, opcode: 1 | 2, data }`, `data` being the
// text of a text frame (opcode 1) and base64 for a binary one (opcode 2).
// `time` is a wall-clock time: seconds since the epoch in DevTools' files,
// milliseconds in Playwright's (and -1 when timing was omitted). Neither
// writes the close, so a connection from a HAR has `close: null`. Playwright's
// `content: 'attach'` keeps the same messages, one JSON per line, in a file
// beside the HAR that the entry's `response.content._file` names.
//
import { isBase64 } from '../util/base64.js';
import { RECORDING_FORMAT, type RecordedConnection, type RecordedFrame, type RecordingFile } from './format.js';

interface HarMessage {
  type?: unknown;
  time?: unknown;
  opcode?: unknown;
  data?: unknown;
}

interface HarEntry {
  startedDateTime?: unknown;
  request?: { url?: unknown; headers?: unknown };
  response?: { headers?: unknown; content?: { _file?: unknown } };
  _resourceType?: unknown;
  _webSocketMessages?: unknown;
}

/** Handshake headers kept from a HAR entry, as from a live connection. */
const KEPT = new Set(['origin', 'user-agent', 'sec-websocket-protocol', 'sec-websocket-extensions']);

/** Whether a parsed JSON document looks like a HAR file (`{ log: { entries: [...] } }`). */
export function isHar(doc: unknown): boolean {
  const log = (doc as { log?: { entries?: unknown } } | null)?.log;
  return typeof log === 'object' && log !== null && Array.isArray(log.entries);
}

/** A HAR `time` in milliseconds: epoch seconds below 1e11 (until the year 5138), epoch milliseconds above. */
function toMs(time: number): number {
  return time < 1e11 ? time * 1000 : time;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  const found = headers.find((h: { name?: unknown }) => typeof h?.name === 'string' && h.name.toLowerCase() === name);
  return typeof found?.value === 'string' ? found.value : undefined;
}

/** The messages of an attached `.jsonl` file with the line each is on, or what is wrong with it. */
function readAttached(name: string, attachment: ((name: string) => string) | undefined): { messages: unknown[]; lines: number[] } | string {
  // Playwright names a bare `<hash>.jsonl` beside the HAR; anything with a path could reach out of the
  // directory a replay file is confined to (the admin API's recordings directory).
  if (!/^[\w-][\w.-]*\.jsonl$/.test(name)) return `names the attached file ${JSON.stringify(name)}: it must be a file name beside the HAR (no directory)`;
  if (!attachment) return `names the attached file ${name}: load the HAR from its file so the file beside it can be read`;
  let text: string;
  try {
    text = attachment(name);
  } catch (err) {
    return `names the attached file ${name}, which cannot be read: ${(err as Error).message}`;
  }
  const messages: unknown[] = [];
  const lines: number[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      messages.push(JSON.parse(line));
      lines.push(i + 1);
    } catch {
      return `names the attached file ${name}, whose line ${i + 1} is not JSON`;
    }
  }
  return { messages, lines };
}

/** A value as a problem names what it got. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
}

// The latest time a Date holds: a HAR time past it is no time at all.
const MAX_DATE_MS = 8.64e15;
const TIME_RULE = 'must be a time in epoch seconds or milliseconds (-1 when not recorded)';

/** A message's `time` in epoch milliseconds, NaN when not recorded (absent, null or negative), or what is wrong with it. */
function timeOf(time: unknown): number | string {
  if (time === undefined || time === null) return Number.NaN;
  if (typeof time !== 'number' || !Number.isFinite(time) || toMs(time) > MAX_DATE_MS) return `${TIME_RULE}, got ${shown(time)}`;
  return time < 0 ? Number.NaN : toMs(time);
}

/**
 * The WebSocket entries of a HAR document as a recording. `attachment` reads
 * a file the HAR names (Playwright's `content: 'attach'`), relative to it. `problems` collects
 * what is wrong (with a JSON path), so the caller reports every problem at once.
 */
export function harToRecording(doc: unknown, source: string, problems: { path: string; message: string }[], attachment?: (name: string) => string): RecordingFile {
  const entries = (doc as { log: { entries: HarEntry[] } }).log.entries;
  const connections: RecordedConnection[] = [];
  entries.forEach((entry, i) => {
    const url = entry?.request?.url;
    const attached = entry?.response?.content?._file;
    let messages = entry?._webSocketMessages;
    const isSocket = entry?._resourceType === 'websocket' || Array.isArray(messages) || (typeof url === 'string' && /^wss?:/i.test(url));
    if (!isSocket) return;
    const where = `log.entries[${i}]`;
    // routeFromHAR and replays key a socket by its URL's host and path: a URL that does not parse has neither.
    if (typeof url !== 'string' || !URL.canParse(url)) return void problems.push({ path: `${where}.request.url`, message: `must be the WebSocket URL (wss://host/path), got ${shown(url)}` });
    // Where a message's problem is reported: its place in `_webSocketMessages`, or its line in the attached file.
    let problemAt = (j: number, field: string, message: string) => problems.push({ path: `${where}._webSocketMessages[${j}].${field}`, message });
    if (messages === undefined && typeof attached === 'string' && attached.endsWith('.jsonl')) {
      const read = readAttached(attached, attachment);
      if (typeof read === 'string') return void problems.push({ path: `${where}.response.content._file`, message: read });
      messages = read.messages;
      problemAt = (j, field, message) => problems.push({ path: `${where}.response.content._file`, message: `${attached} line ${read.lines[j]}: ${field}: ${message}` });
    }
    if (messages !== undefined && !Array.isArray(messages)) return void problems.push({ path: `${where}._webSocketMessages`, message: 'must be an array' });
    const list = (messages ?? []) as HarMessage[];
    const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : Number.NaN;
    const times = list.map((m) => timeOf(m?.time));
    const firstTime = times.find((t): t is number => typeof t === 'number' && !Number.isNaN(t));
    // Offsets count from the handshake when the entry says when it started
    // (and the frames are not before it), else from the first frame.
    const base = !Number.isNaN(started) && (firstTime === undefined || firstTime >= started - 1000) ? Math.min(started, firstTime ?? started) : (firstTime ?? 0);
    const frames: RecordedFrame[] = [];
    let last = 0;
    list.forEach((m, j) => {
      if (m?.type !== 'send' && m?.type !== 'receive') return void problemAt(j, 'type', `must be "send" or "receive", got ${shown(m?.type)}`);
      // Control frames (close, ping, pong) are not payload; anything else that is not text or binary is no frame a replay can send.
      if (m.opcode === 8 || m.opcode === 9 || m.opcode === 10) return;
      if (m.opcode !== 1 && m.opcode !== 2) return void problemAt(j, 'opcode', `must be 1 (text) or 2 (binary), or 8-10 for a control frame (skipped), got ${shown(m.opcode)}`);
      if (typeof m.data !== 'string') return void problemAt(j, 'data', `must be a string (text, or base64 for opcode 2), got ${shown(m.data)}`);
      // Buffer.from() would skip what is not base64 and replay other bytes.
      if (m.opcode === 2 && !isBase64(m.data)) return void problemAt(j, 'data', `must be base64 (a binary frame, opcode 2), got ${shown(m.data.length > 40 ? `${m.data.slice(0, 40)}…` : m.data)}`);
      const time = times[j]!;
      if (typeof time === 'string') return void problemAt(j, 'time', time);
      // Timing omitted (-1): frames keep their order, at the time of the one before.
      const offset = Number.isNaN(time) ? last : Math.max(0, Math.round(time - base));
      last = offset;
      const direction = m.type === 'send' ? 'client-to-server' : 'server-to-client';
      frames.push(m.opcode === 1 ? { direction, at: offset, text: m.data } : { direction, at: offset, binary: m.data });
    });
    const headers: Record<string, string> = {};
    for (const name of KEPT) {
      const value = headerValue(entry.request?.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    connections.push({
      url,
      startedAt: new Date(Number.isNaN(started) ? base || Date.now() : started).toISOString(),
      headers,
      subprotocol: headerValue(entry.response?.headers, 'sec-websocket-protocol') ?? null,
      frames,
      close: null,
    });
  });
  if (connections.length === 0 && problems.length === 0) problems.push({ path: 'log.entries', message: 'has no WebSocket entry (an entry with "_webSocketMessages")' });
  return { format: RECORDING_FORMAT, recordedAt: new Date().toISOString(), source, connections };
}
