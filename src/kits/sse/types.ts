//
// The documented shapes of an SSE mock: its config (declarative and
// in-process), the events it sends, and what `send()` takes.
//
import type { Duration } from '../../util/duration.js';
import type { KitEnvelopeOf } from '../../kit/index.js';
import type { SseConnection } from './SseConnection.js';

/** One event an SSE mock sends to each new stream. */
export interface SseEventSpec {
  /** The event's type (`event:` field); omitted: a `message` event. */
  event?: string;
  /**
   * The event's data: a string is a template (`{{connection.query.user}}`,
   * `{{sequence}}`, `{{uuid}}`…); any other JSON value is sent as JSON text,
   * its strings templated the same way. A line break becomes one `data:` line per line.
   */
  data: unknown;
  /** The event id (`id:` field), a template too: what the client sends back as `Last-Event-ID`. */
  id?: string;
  /** Wait this long before sending it (instead of `interval`). */
  delay?: Duration;
}

/** The declarative fields of an SSE mock: what config files and the admin API carry. */
export interface SseMockFields {
  /** Required, starts with `/`. `:name` segments capture `params`. */
  path: string;
  /** Sent in order on every new stream. */
  events?: SseEventSpec[];
  /** Start `events` over after the last one, until the stream closes. Needs a positive `interval` or `delay`. */
  loop?: boolean;
  /** The pause before each event that has no `delay` of its own (the first event of a stream goes at once). Default 0. */
  interval?: Duration;
  /** Sent first on every stream (`retry:` field): how long, in ms, the client waits before reconnecting. */
  retry?: number;
  /** Write a `: keep-alive` comment this often while the stream is open (proxies drop silent streams). Default: none. */
  keepAlive?: Duration;
  /**
   * `Access-Control-Allow-Origin` of the stream. Default `*` (a test page on
   * any origin may open it); a string allows that one origin and adds
   * `Access-Control-Allow-Credentials: true` (for `withCredentials`); `false` sends no CORS header.
   */
  cors?: string | false;
  /** Extra response headers of every stream. */
  headers?: Record<string, string>;
  /**
   * The most bytes a stream may hold unsent (written, not yet taken by the
   * client) before it is dropped: a client that stopped reading would
   * otherwise fill the server's memory. Checked before each write, so one
   * event larger than the bound still goes. The close is recorded as 1008 by the
   * `server`, the reason saying how much was unsent, and counted in
   * `wsmock_disconnections_total{code="1008"}`. Default 1 MiB (1048576).
   */
  maxBuffered?: number;
}

/** The config of `server.sse()`: the declarative fields plus identity and the in-process hook. */
export interface SseMockConfig extends SseMockFields {
  /** Stable id (default: generated). Unique per server. */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. A disabled mock answers 503. */
  enabled?: boolean;
  /** In-process: runs on each new stream, after `retry` and before `events` (which wait for it when it returns a promise). */
  onConnection?: (connection: SseConnection) => void | Promise<void>;
}

export type { SseEventInit, SseSentEvent } from './events.js';

/** A Server-Sent Events mock as config files and the admin API write it. */
export type SseEnvelope = KitEnvelopeOf<'sse', SseMockFields>;
