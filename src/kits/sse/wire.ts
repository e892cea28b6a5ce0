//
// What an SSE mock writes: events and comments as wire text (formatted by
// util/eventStream.ts), carried through the connection's outbound phase as
// frames marked "already wire text". A frame from anywhere else (a
// `server.connections.broadcast()`, the admin API's send) is plain data and
// becomes one `message` event on its way out. The journal keeps the wire
// text, which `conn.events` reads back.
//
import { invalidArgument, type Message, type OutboundFrame } from '../../kit/index.js';
import { formatComment, formatEvent } from '../../util/eventStream.js';
import type { SseEventInit, SseSentEvent } from './events.js';

/** Frames whose payload is wire text already (the same frame object may go to many streams). */
const wire = new WeakSet<OutboundFrame>();

/** A frame carrying `text` as it goes on the wire. */
export function wireFrame(text: string): OutboundFrame {
  const frame: OutboundFrame = { payload: Buffer.from(text), binary: false, journal: text };
  wire.add(frame);
  return frame;
}

/** The frame as wire text: itself when it is already, else its payload as the data of one event. */
export function toWire(frame: OutboundFrame): OutboundFrame {
  if (wire.has(frame)) return frame;
  const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8');
  return wireFrame(formatEvent({ data: text }));
}

const EVENT_KEYS = new Set(['data', 'event', 'id', 'retry']);

/** Whether `value` is an event (`{ data, event?, id?, retry? }`) rather than data to send as JSON. */
export function isEventInit(value: unknown): value is SseEventInit {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value) || !('data' in value)) return false;
  return Object.keys(value).every((key) => EVENT_KEYS.has(key));
}

/** Event data as text: a string as it is, bytes as UTF-8, anything else as JSON. */
export function dataText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (data === undefined || typeof data === 'function' || typeof data === 'symbol' || typeof data === 'bigint') {
    throw invalidArgument(`SSE data must be a string or a JSON value, got ${typeof data}`);
  }
  return JSON.stringify(data);
}

/** `send()`'s argument as wire text; throws `WSMOCK_ERR_INVALID_ARGUMENT` naming what is wrong. */
export function eventText(input: unknown): string {
  const init: SseEventInit = isEventInit(input) ? input : { data: input };
  for (const field of ['event', 'id'] as const) {
    if (init[field] !== undefined && typeof init[field] !== 'string') throw invalidArgument(`SSE ${field} must be a string, got ${typeof init[field]}`);
  }
  try {
    return formatEvent({ data: dataText(init.data), event: init.event, id: init.id, retry: init.retry });
  } catch (err) {
    if (err instanceof TypeError) throw invalidArgument(`SSE ${err.message}`);
    throw err;
  }
}

/** A comment as wire text; throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `text` is a string. */
export function commentText(text: unknown): string {
  if (typeof text !== 'string') throw invalidArgument(`comment(text): text must be a string, got ${typeof text}`);
  return formatComment(text);
}

/** A `retry:` field on its own: no data, so the client dispatches nothing but takes the delay. */
export function retryText(ms: number): string {
  return `retry: ${ms}\n\n`;
}

/** Reads back an event or comment the SSE mock wrote (the journal's wire text). */
export function parseSent(message: Message): SseSentEvent {
  const text = message.text ?? '';
  const event: SseSentEvent = { data: '', at: message.at };
  const data: string[] = [];
  const comments: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(':')) {
      comments.push(line.slice(line.startsWith(': ') ? 2 : 1));
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event.event = value;
    else if (field === 'id') event.id = value;
    else if (field === 'retry') event.retry = Number(value);
  }
  event.data = data.join('\n');
  if (comments.length > 0 && data.length === 0) event.comment = comments.join('\n');
  return event;
}
