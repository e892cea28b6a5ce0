//
// What an SSE stream carries, as the test writes it (`send()`) and reads it back (`conn.events`).
//

/** An event as `conn.send()` and `mock.broadcast()` take it (an object with other keys is sent as JSON data). */
export interface SseEventInit {
  /** The data: a string as it is, anything else as JSON. */
  data: unknown;
  /** The event's type (`event:` field). */
  event?: string;
  /** The event id (`id:` field). */
  id?: string;
  /** The client's reconnection delay from now on, in ms (`retry:` field). */
  retry?: number;
}

/** An event or comment as it went on the wire, read back from the journal (`conn.events`). */
export interface SseSentEvent {
  /** The `event:` field, when there was one. */
  event?: string;
  /** The data lines joined with `\n` (`''` for a comment or a lone `retry:`). */
  data: string;
  /** The `id:` field, when there was one. */
  id?: string;
  /** The `retry:` field, when there was one. */
  retry?: number;
  /** The comment's text, for a comment (a keep-alive, `conn.comment()`). */
  comment?: string;
  /** When it was sent. */
  at: Date;
}
