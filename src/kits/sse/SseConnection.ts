//
// The handle of one Server-Sent Events stream. It is a Connection (the same
// manager holds it, counts it, lists it and closes it; the same events are
// emitted), whose `send()` writes events and which adds what SSE has:
// `lastEventId`, `comment()`, and the events sent, read back from the journal.
//
import { Connection, connectionClosed, deliver, WsMockError, type HandleInit, type SendData } from '../../kit/index.js';
import { hasBrand } from '../../util/brand.js';
import { commentText, eventText, parseSent, wireFrame } from './wire.js';
import type { SseEventInit, SseSentEvent } from './events.js';

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/**
 * A live Server-Sent Events stream of an SSE mock: push events and comments,
 * read what was sent, close it. Everything a {@link Connection} has works on
 * it (`id`, `path`, `params`, `query`, `headers`, `data`, `close()`,
 * `waitForClose()`, `info`); a client sends nothing on a stream, so there is no
 * message to wait for. `close()` ends the response: the client's `EventSource`
 * reconnects after its `retry` delay, sending `Last-Event-ID`.
 *
 * @example
 * ```ts
 * const feed = server.sse('/feed');
 * const conn = await feed.waitForConnection();
 * await conn.send({ event: 'price', id: '7', data: { symbol: 'ACME', price: 12 } });
 * await conn.comment('still here');
 * await conn.close();                        // the EventSource reconnects…
 * const again = await feed.waitForConnection();
 * again.lastEventId;                         // '7'
 * ```
 */
export class SseConnection extends Connection {
  /** The `Last-Event-ID` header the client sent (a reconnecting `EventSource` does), or `null`. */
  readonly lastEventId: string | null;

  /** @internal Made by the connection manager for an SSE mock's stream. */
  constructor(init: HandleInit) {
    super(init);
    this.lastEventId = header(init.request.headers['last-event-id']);
  }

  /** True for an SSE stream's connection, from this copy of wsmock or another; `instanceof Connection` is true for every connection. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'connection') && (value as { type?: unknown }).type === 'sse';
  }

  /**
   * Sends one event: `{ data, event?, id?, retry? }`, or data alone (a string
   * as it is, anything else as JSON). A line break in the data becomes one
   * `data:` line per line. Resolves once written; rejects
   * `WSMOCK_ERR_CONNECTION_CLOSED` when the stream is closing or closed,
   * `WSMOCK_ERR_INVALID_ARGUMENT` for an `event` or `id` with a line break.
   * Like every push to one connection, it returns a promise (fan-out, such as `broadcast()`, is synchronous and returns the recipient count).
   *
   * @example
   * ```ts
   * await conn.send('hello');                                  // data: hello
   * await conn.send({ type: 'tick', n: 1 });                   // data: {"type":"tick","n":1}
   * await conn.send({ event: 'price', id: '42', data: { p: 1 } });
   * ```
   */
  override send(data: SendData | SseEventInit): Promise<void> {
    return this.#write(() => eventText(data));
  }

  /** Writes a comment (`: text`), which clients ignore: a keep-alive, or a marker in the stream. Rejects like `send()`. */
  comment(text: string): Promise<void> {
    return this.#write(() => commentText(text));
  }

  /**
   * Every event and comment sent on this stream, in order, read back from the
   * journal (the newest `journal.limit` when the server has one).
   */
  get events(): SseSentEvent[] {
    return this.messages.filter((message) => message.direction === 'out').map(parseSent);
  }

  /** Formats (a bad `event` or `id` rejects here, before anything is written), then writes. */
  #write(format: () => string): Promise<void> {
    let text: string;
    try {
      text = format();
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.isOpen) return super.send(text);
    return new Promise((resolve, reject) => {
      deliver(this, wireFrame(text), (err) => {
        if (!err) resolve();
        else reject(err instanceof WsMockError ? err : connectionClosed('send', `stream ${this.id}`, 'is closed', { cause: err }));
      });
    });
  }
}
