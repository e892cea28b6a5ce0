/**
 * The Server-Sent Events wire format (WHATWG HTML, "Server-sent events"), written
 * once for every stream wsmock serves: SSE mocks and the admin event stream.
 */

/** One event as it goes on the wire. `data` is the text of the event; a line break in it becomes one `data:` line per line. */
export interface EventStreamEvent {
  data: string;
  event?: string | undefined;
  id?: string | undefined;
  /** Reconnection time in ms the client should use from now on. */
  retry?: number | undefined;
}

/** Every line break the format accepts: CRLF, a lone CR, a lone LF. */
const LINE_BREAK = /\r\n|\r|\n/;

/** The headers of an event stream response: no buffering by proxies, no caching. */
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * One event as wire text, ending in the blank line that dispatches it.
 * `event` and `id` must be single lines: a line break in them would start a new
 * field, so it is refused here rather than sent as something else.
 */
export function formatEvent(event: EventStreamEvent): string {
  let out = '';
  if (event.event !== undefined) out += `event: ${singleLine(event.event, 'event')}\n`;
  if (event.id !== undefined) {
    if (event.id.includes('\0')) throw new TypeError('id must not contain a NUL character');
    out += `id: ${singleLine(event.id, 'id')}\n`;
  }
  if (event.retry !== undefined) {
    if (!Number.isInteger(event.retry) || event.retry < 0) throw new TypeError('retry must be an integer >= 0');
    out += `retry: ${event.retry}\n`;
  }
  for (const line of event.data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** A comment: ignored by clients, used as a keep-alive. One `:` line per line of text. */
export function formatComment(text: string): string {
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += line === '' ? ':\n' : `: ${line}\n`;
  return `${out}\n`;
}

function singleLine(value: string, field: string): string {
  if (LINE_BREAK.test(value)) throw new TypeError(`${field} must be a single line (no CR or LF)`);
  return value;
}
