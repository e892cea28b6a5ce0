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

/** The messages of an attached `.jsonl` file, or what is wrong with it. */
function readAttached(name: string, attachment: ((name: string) => string) | undefined): unknown[] | string {
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
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      return `names the attached file ${name}, whose line ${i + 1} is not JSON`;
    }
  }
  return messages;
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
    if (typeof url !== 'string' || url === '') return void problems.push({ path: `${where}.request.url`, message: 'must be the WebSocket URL' });
    if (messages === undefined && typeof attached === 'string' && attached.endsWith('.jsonl')) {
      const read = readAttached(attached, attachment);
      if (typeof read === 'string') return void problems.push({ path: `${where}.response.content._file`, message: read });
      messages = read;
    }
    if (messages !== undefined && !Array.isArray(messages)) return void problems.push({ path: `${where}._webSocketMessages`, message: 'must be an array' });
    const list = (messages ?? []) as HarMessage[];
    const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : Number.NaN;
    const times = list.map((m) => (typeof m?.time === 'number' && m.time >= 0 ? toMs(m.time) : Number.NaN));
    const firstTime = times.find((t) => !Number.isNaN(t));
    // Offsets count from the handshake when the entry says when it started
    // (and the frames are not before it), else from the first frame.
    const base = !Number.isNaN(started) && (firstTime === undefined || firstTime >= started - 1000) ? Math.min(started, firstTime ?? started) : (firstTime ?? 0);
    const frames: RecordedFrame[] = [];
    let last = 0;
    list.forEach((m, j) => {
      const at = `${where}._webSocketMessages[${j}]`;
      if (m?.type !== 'send' && m?.type !== 'receive') return void problems.push({ path: `${at}.type`, message: 'must be "send" or "receive"' });
      if (m.opcode !== 1 && m.opcode !== 2) return; // control frames are not payload
      if (typeof m.data !== 'string') return void problems.push({ path: `${at}.data`, message: 'must be a string (text, or base64 for opcode 2)' });
      const time = times[j]!;
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
