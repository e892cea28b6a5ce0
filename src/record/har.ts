//
// HAR import. Chrome DevTools and Playwright (`recordHar`, content embedded)
// write a WebSocket's frames on its HAR entry as `_webSocketMessages`:
// `{ type: 'send' | 'receive', time, opcode: 1 | 2, data }`, `data` being the
// text of a text frame (opcode 1) and base64 for a binary one (opcode 2).
// `time` is a wall-clock time: seconds since the epoch in DevTools' files,
// milliseconds in Playwright's (and -1 when timing was omitted). Neither
// writes the close, so a connection from a HAR has `close: null`.
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
  response?: { headers?: unknown };
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

/**
 * The WebSocket entries of a HAR document as a recording. `problems` collects
 * what is wrong (with a JSON path), so the caller reports every problem at once.
 */
export function harToRecording(doc: unknown, source: string, problems: { path: string; message: string }[]): RecordingFile {
  const entries = (doc as { log: { entries: HarEntry[] } }).log.entries;
  const connections: RecordedConnection[] = [];
  entries.forEach((entry, i) => {
    const messages = entry?._webSocketMessages;
    const url = entry?.request?.url;
    const isSocket = entry?._resourceType === 'websocket' || Array.isArray(messages) || (typeof url === 'string' && /^wss?:/i.test(url));
    if (!isSocket) return;
    const where = `log.entries[${i}]`;
    if (typeof url !== 'string' || url === '') return void problems.push({ path: `${where}.request.url`, message: 'must be the WebSocket URL' });
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
