//
// The Server-Sent Events transport: one `text/event-stream` response behind
// the Transport seam, so an SSE stream is a Connection like a WebSocket one
// (counted, journaled, listed, closed by `update()`). What it writes is wire
// text already (wire.ts formats events with util/eventStream.ts); nothing
// ever arrives from the client, so the sink only hears of the close.
//
// SSE has no close codes. A close the server starts (`conn.close()`, a mock
// change, server shutdown) ends the response and is recorded with the code
// and reason the server gave; a client that goes away (`EventSource.close()`,
// a closed tab, a reset socket) is recorded as 1001 by the `client`.
//
import type { ServerResponse } from 'node:http';
import type { ClosedBy, Transport, TransportSink } from '../../kit/index.js';
import { formatComment } from '../../util/eventStream.js';

/** How a client that went away is recorded: 1001 "going away". */
export const SSE_CLIENT_GONE = 1001;

/**
 * How a stream dropped for a client that stopped reading is recorded: 1008
 * ("policy violation") by the `server`, the reason saying how much was unsent.
 */
export const SSE_SLOW_CLIENT = 1008;

/** The default bound of a stream's unsent bytes: 1 MiB, as the admin API's `/events` streams. */
export const SSE_MAX_BUFFERED = 1024 * 1024;

const kTransport = Symbol('wsmock.sseTransport');
type TaggedResponse = ServerResponse & { [kTransport]: SseTransport };

/** The comment `conn.ping()` writes: its flush is the "pong". */
const PING = Buffer.from(formatComment('ping'));

/** One open event stream, as the connection sees it. */
export class SseTransport implements Transport {
  readonly type = 'sse' as const;
  readonly protocol = '';
  readonly #response: ServerResponse;
  #owner: unknown;
  #sink: TransportSink<unknown> | undefined;
  #state: 1 | 2 | 3 = 1;
  /** Set when the server started the close: what it recorded. */
  #closing: { code: number; reason: string } | undefined;
  /** Unsent bytes past which the client is taken to have stopped reading. */
  readonly #maxBuffered: number;

  /**
   * Starts the stream on `response`: status 200 and `headers`, sent at once so
   * the client's `open` fires before the first event. A stream whose unsent
   * bytes pass `maxBuffered` (default {@link SSE_MAX_BUFFERED}) is dropped.
   */
  constructor(response: ServerResponse, headers: Readonly<Record<string, string>>, options: { maxBuffered?: number | undefined } = {}) {
    this.#response = response;
    this.#maxBuffered = options.maxBuffered ?? SSE_MAX_BUFFERED;
    (response as TaggedResponse)[kTransport] = this;
    response.on('error', SseTransport.#onError);
    response.writeHead(200, headers);
    response.flushHeaders();
  }

  get remoteAddress(): string {
    return this.#response.socket?.remoteAddress ?? '';
  }

  get readyState(): number {
    return this.#state;
  }

  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#owner = owner;
    this.#sink = sink as TransportSink<unknown>;
    // A shared listener that finds the transport through the response: no
    // closure per stream.
    this.#response.on('close', SseTransport.#onClose);
  }

  write(bytes: Buffer, _binary: boolean, callback?: (err?: Error) => void): void {
    if (this.#state !== 1) {
      callback?.(new Error('The event stream is closed.'));
      return;
    }
    // A client that stops reading would make every later write wait in
    // memory, for ever. Checked before writing, so one event larger than the
    // bound still goes; past it, the stream is dropped (ending it would only
    // queue behind what is unsent).
    const unsent = this.#response.writableLength;
    if (unsent > this.#maxBuffered) {
      this.#state = 2;
      this.#closing = { code: SSE_SLOW_CLIENT, reason: `slow client: ${unsent} bytes unsent, over the bound of ${this.#maxBuffered}` };
      this.#response.destroy();
      callback?.(new Error(`The event stream was dropped: its client stopped reading (${unsent} bytes unsent).`));
      return;
    }
    if (callback) this.#response.write(bytes, (err) => callback(err ?? undefined));
    else this.#response.write(bytes);
  }

  close(code: number, reason: string): void {
    if (this.#state !== 1) return;
    this.#state = 2;
    this.#closing = { code, reason };
    this.#response.end();
  }

  terminate(): void {
    if (this.#state === 3) return;
    this.#state = 2;
    this.#closing ??= { code: 1006, reason: '' };
    this.#response.destroy();
  }

  ping(data: Buffer = Buffer.alloc(0)): void {
    // The client answers nothing: once the comment (after everything written
    // before it) is handed to the socket, that is the pong.
    this.write(PING, false, (err) => {
      if (!err) this.#sink?.pong(this.#owner, data);
    });
  }

  static #onError(): void {
    // A reset socket is reported by `close`; nothing to add here, but an
    // unheard 'error' would crash the process.
  }

  static #onClose(this: ServerResponse): void {
    const transport = (this as TaggedResponse)[kTransport];
    if (transport.#state === 3) return;
    transport.#state = 3;
    const sent = transport.#closing;
    const by: ClosedBy = sent ? 'server' : 'client';
    transport.#sink!.closed(transport.#owner, sent?.code ?? SSE_CLIENT_GONE, sent?.reason ?? '', by);
  }
}
