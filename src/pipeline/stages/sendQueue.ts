//
// Responses to one connection leave in the order they were triggered, whatever
// their delays: a response with no delay queued behind a delayed one waits for
// it. Each delay counts from the moment its response was triggered (it models
// latency), so two replies delayed 500 ms to messages sent 10 ms apart arrive
// 500 ms and 510 ms later, not 500 ms and 1000 ms.
//
// With nothing pending and no delay, a response is written at once, on the
// stack of the frame that triggered it: the common case costs no timer, no
// promise and no allocation here.
//
import type { CompiledResponse } from '../../behaviour/responses.js';
import { kCore, type Connection } from '../../connections/Connection.js';
import type { Message } from '../../connections/Message.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import { toError } from '../../util/toError.js';

/** What a queue reports to: where user code failures go, and the mock's connection count. */
interface QueueHost {
  report(error: Error, connection: Connection): void;
  connectionCount(): number;
}

interface Entry {
  ready: boolean;
  send: (() => void) | undefined;
  timer: NodeJS.Timeout | undefined;
}

/** Fills a reserved place in the queue: what to send (nothing: skip it) and after how long. */
export type FillSlot = (send: (() => void) | undefined, delay?: number) => void;

/** A connection's ordered outbox, and its `{{sequence}}` counter. */
export class SendQueue {
  readonly #connection: Connection;
  readonly #host: QueueHost;
  readonly #connectionCount: () => number;
  readonly #uuid: () => string;
  #entries: Entry[] = [];
  #disposed = false;
  /** Responses rendered so far on this connection. */
  sequence = 0;

  constructor(connection: Connection, host: QueueHost) {
    this.#connection = connection;
    this.#host = host;
    this.#connectionCount = () => host.connectionCount();
    this.#uuid = () => connection[kCore].random().uuid();
  }

  /** Whether a response is waiting (on its delay, or an async `respond`): what is sent now would overtake it. */
  get pending(): boolean {
    return this.#entries.length > 0;
  }

  /** Runs `send` after `delay` ms, and after everything queued before it. */
  enqueue(delay: number, send: () => void): void {
    if (this.#disposed) return;
    if (delay <= 0 && this.#entries.length === 0) {
      this.#run(send);
      return;
    }
    this.reserve()(send, delay);
  }

  /** Keeps a place in the order for a response not known yet (an async `respond`). */
  reserve(): FillSlot {
    const entry: Entry = { ready: false, send: undefined, timer: undefined };
    this.#entries.push(entry);
    return (send, delay = 0) => {
      if (this.#disposed) return;
      entry.send = send;
      if (delay > 0) {
        entry.timer = realSetTimeout(() => {
          entry.timer = undefined;
          entry.ready = true;
          this.#flush();
        }, delay);
      } else {
        entry.ready = true;
        this.#flush();
      }
    };
  }

  /**
   * Renders and writes a compiled response, in order. `message` feeds
   * `{{message…}}`; `sent` runs once it is written, `failed` if it could not
   * be (a template rendering what JSON cannot carry), after it is reported.
   */
  respond(response: CompiledResponse, message: Message | undefined, sent?: () => void, failed?: (error: Error) => void): void {
    if (response.delay <= 0 && this.#entries.length === 0) {
      // The common case, without the closure `enqueue` would need.
      if (!this.#disposed) this.#write(response, message, sent, failed);
      return;
    }
    this.enqueue(response.delay, () => this.#write(response, message, sent, failed));
  }

  /** `writeNow`, then `sent`; a write that throws is reported and handed to `failed` instead. */
  #write(response: CompiledResponse, message: Message | undefined, sent?: () => void, failed?: (error: Error) => void): void {
    try {
      this.writeNow(response, message);
    } catch (err) {
      const error = toError(err);
      this.#host.report(error, this.#connection);
      failed?.(error);
      return;
    }
    sent?.();
  }

  /** Renders and writes a response at once, ignoring its delay and the queue (for a slot being filled). */
  writeNow(response: CompiledResponse, message: Message | undefined): void {
    const connection = this.#connection;
    const frame = response.render({
      connection,
      message,
      connectionCount: this.#connectionCount,
      sequence: ++this.sequence,
      uuid: this.#uuid,
    });
    connection[kCore].deliver(frame);
  }

  /** Stops every timer and drops what is pending (the connection closed). */
  dispose(): void {
    this.#disposed = true;
    for (const entry of this.#entries) if (entry.timer) realClearTimeout(entry.timer);
    this.#entries = [];
  }

  #flush(): void {
    while (this.#entries.length > 0 && this.#entries[0]!.ready) {
      const entry = this.#entries.shift()!;
      if (entry.send) this.#run(entry.send);
      if (this.#disposed) return;
    }
  }

  #run(send: () => void): void {
    try {
      send();
    } catch (err) {
      this.#host.report(toError(err), this.#connection);
    }
  }
}

/**
 * The send queues of one mock version's connections, shared by the stages
 * that answer (scenario, matchers, default response): replies keep their
 * order whichever stage produced them.
 */
export class SendQueues {
  readonly #host: QueueHost;
  readonly #queues = new WeakMap<Connection, SendQueue>();

  constructor(host: QueueHost) {
    this.#host = host;
  }

  /** The connection's queue, created on first use. */
  of(connection: Connection): SendQueue {
    let queue = this.#queues.get(connection);
    if (!queue) {
      queue = new SendQueue(connection, this.#host);
      this.#queues.set(connection, queue);
    }
    return queue;
  }

  /** Stops the connection's queue, if it has one (the connection closed). Idempotent. */
  dispose(connection: Connection): void {
    this.#queues.get(connection)?.dispose();
  }
}
