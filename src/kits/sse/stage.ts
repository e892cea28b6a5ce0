//
// The SSE mock's one pipeline stage. On connect it starts the stream's feed:
// the `retry` field, `onConnection`, then `events` in order (each after its
// `delay`, or `interval`), over and over with `loop`, and a keep-alive comment
// every `keepAlive`. The feed's timers belong to the connection (kept in a
// WeakMap keyed by it) and are cleared when it closes. On the way out, any
// frame that is not wire text yet becomes one `message` event.
//
import { compileResponse, compileTemplate, deliver, randomOf, RenderContext, type Connection, type KitHost, type Stage, type TemplateScope } from '../../kit/index.js';
import { realClearInterval, realClearTimeout, realSetInterval, realSetTimeout } from '../../util/clock.js';
import { parseDuration } from '../../util/duration.js';
import { formatComment, formatEvent } from '../../util/eventStream.js';
import { isPromiseLike } from '../../util/promise.js';
import { toError } from '../../util/toError.js';
import type { SseConnection } from './SseConnection.js';
import type { SseEventSpec, SseMockConfig } from './types.js';
import { retryText, toWire, wireFrame } from './wire.js';

/** One configured event, templates parsed once. */
interface CompiledEvent {
  /** Its own delay in ms, when it has one. */
  readonly delay: number | undefined;
  render(scope: TemplateScope): string;
}

/** An SSE mock's config, compiled once per version. */
export interface CompiledFeed {
  readonly events: readonly CompiledEvent[];
  readonly loop: boolean;
  readonly interval: number;
  readonly retry: number | undefined;
  readonly keepAlive: number | undefined;
  readonly onConnection: SseMockConfig['onConnection'];
}

function compileEvent(spec: SseEventSpec): CompiledEvent {
  const data = compileResponse({ type: typeof spec.data === 'string' ? 'text' : 'json', value: spec.data });
  const id = spec.id === undefined ? undefined : compileTemplate(spec.id);
  const { event } = spec;
  return {
    delay: parseDuration(spec.delay),
    render(scope) {
      const payload = data.render(scope).payload;
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      return formatEvent({ data: text, event, id: id ? id.render(new RenderContext(scope)) : undefined });
    },
  };
}

/** Compiles the feed of a validated config. */
export function compileFeed(config: SseMockConfig): CompiledFeed {
  return {
    events: (config.events ?? []).map(compileEvent),
    loop: config.loop ?? false,
    interval: parseDuration(config.interval) ?? 0,
    retry: config.retry,
    keepAlive: parseDuration(config.keepAlive),
    onConnection: config.onConnection,
  };
}

/** What one stream's feed runs; stopped when the stream closes. */
class Feed {
  readonly #connection: Connection;
  readonly #feed: CompiledFeed;
  readonly #host: KitHost;
  #timer: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #index = 0;
  #sent = 0;
  #stopped = false;

  constructor(connection: Connection, feed: CompiledFeed, host: KitHost, keepAliveFrame: ReturnType<typeof wireFrame>) {
    this.#connection = connection;
    this.#feed = feed;
    this.#host = host;
    if (feed.keepAlive !== undefined) this.#keepAlive = realSetInterval(() => deliver(connection, keepAliveFrame), feed.keepAlive);
  }

  start(): void {
    const { retry, onConnection } = this.#feed;
    if (retry !== undefined) deliver(this.#connection, wireFrame(retryText(retry)));
    let pending: unknown;
    try {
      pending = onConnection?.(this.#connection as SseConnection);
    } catch (err) {
      this.#host.report(toError(err), this.#connection);
    }
    if (!isPromiseLike(pending)) {
      this.#next();
      return;
    }
    Promise.resolve(pending).then(
      () => this.#next(),
      (err: unknown) => {
        this.#host.report(toError(err), this.#connection);
        this.#next();
      },
    );
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) realClearTimeout(this.#timer);
    if (this.#keepAlive) realClearInterval(this.#keepAlive);
    this.#timer = this.#keepAlive = undefined;
  }

  /** Sends the events due now, then waits for the next one's pause. */
  #next(): void {
    const { events, loop, interval } = this.#feed;
    while (!this.#stopped) {
      if (this.#index >= events.length) {
        if (!loop || events.length === 0) return;
        this.#index = 0;
      }
      const event = events[this.#index]!;
      const wait = event.delay ?? (this.#sent === 0 ? 0 : interval);
      if (wait > 0) {
        this.#timer = realSetTimeout(() => {
          this.#timer = undefined;
          if (this.#send(event)) this.#next();
        }, wait);
        return;
      }
      if (!this.#send(event)) return;
    }
  }

  /** Sends one event; false when the stream is over (or its template failed). */
  #send(event: CompiledEvent): boolean {
    if (this.#stopped || !this.#connection.isOpen) return false;
    this.#index++;
    const connection = this.#connection;
    let text: string;
    try {
      text = event.render({ connection, message: undefined, connectionCount: this.#host.connectionCount, sequence: ++this.#sent, uuid: () => randomOf(connection).uuid() });
    } catch (err) {
      this.#host.report(toError(err), connection);
      return false;
    }
    deliver(connection, wireFrame(text));
    return true;
  }
}

/** The stage of one version of an SSE mock. */
export function sseStage(feed: CompiledFeed, host: KitHost): Stage {
  const feeds = new WeakMap<Connection, Feed>();
  const keepAliveFrame = wireFrame(formatComment('keep-alive'));
  return {
    name: 'sse',
    connect(connection) {
      const running = new Feed(connection, feed, host, keepAliveFrame);
      feeds.set(connection, running);
      running.start();
    },
    outbound: toWire,
    disconnect(connection) {
      feeds.get(connection)?.stop();
      feeds.delete(connection);
    },
  };
}
