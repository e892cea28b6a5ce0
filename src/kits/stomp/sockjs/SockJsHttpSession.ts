//
// One client of SockJS's HTTP transports, as a Transport: the session is
// named by the client (`/{server}/{session}/…`). What the server writes waits
// in a queue for the client's receiving request: an xhr poll takes what is
// queued (or a heartbeat once the interval passes) and ends, an
// xhr-streaming response stays open and carries frames, one per line, until
// it has carried `responseLimit` bytes. Each xhr_send brings messages. A
// session with no receiving request for `disconnectDelay` ends; a closed one
// tells its next receiver `c[code,"reason"]`.
//
import type { ServerResponse } from 'node:http';
import { LongPollTransport } from '../../../kit/index.js';
import { closeFrame, HEARTBEAT_FRAME, messageFrame, OPEN_FRAME } from './framing.js';

/** The HTTP sessions of one mock, by session id; they outlive the mock's versions until they end. */
export type SockJsSessions = Map<string, SockJsHttpSession>;

/** The timings and bounds of a session. */
export interface SockJsTimings {
  /** A receiver idle this long gets `h`. */
  readonly heartbeat: number;
  /** A session with no receiver for this long ends. */
  readonly disconnectDelay: number;
  /** Bytes an xhr-streaming response carries before it ends. */
  readonly responseLimit: number;
}

const SESSION_CLOSED = new Error('the SockJS session is closed');
/** The most bytes queued for a client that does not come to take them; past it the session ends. */
const MAX_QUEUED = 8 * 1024 * 1024;
/** What an xhr-streaming response starts with, so that browsers hand on what follows at once. */
const STREAMING_PRELUDE = `${'h'.repeat(2048)}\n`;

/** The headers of every answer carrying SockJS frames. */
export const FRAME_HEADERS = { 'content-type': 'application/javascript; charset=UTF-8', 'cache-control': 'no-store, no-cache, no-transform, must-revalidate, max-age=0' };

export class SockJsHttpSession extends LongPollTransport<string> {
  readonly id: string;
  readonly #timings: SockJsTimings;
  /** Whether the held receiver is an xhr-streaming response (many frames) rather than an xhr poll (one). */
  #streaming = false;
  /** What the held xhr-streaming response has carried. */
  #written = 0;
  /** What the queue holds, in characters. */
  #queuedLength = 0;
  #opened = false;

  constructor(id: string, remoteAddress: string, timings: SockJsTimings, forget: () => void) {
    super({ remoteAddress, forget, closedError: SESSION_CLOSED });
    this.id = id;
    this.#timings = timings;
    this.#armIdle();
  }

  /** A receiving request (`xhr` or `xhr_streaming`) for this session. */
  receive(response: ServerResponse, streaming: boolean): void {
    if (this.held) {
      // One receiver at a time, as SockJS servers allow.
      end(response, `${closeFrame(2010, 'Another connection still open')}\n`);
      return;
    }
    response.writeHead(200, FRAME_HEADERS);
    if (streaming) response.write(STREAMING_PRELUDE);
    this.#streaming = streaming;
    this.#written = 0;
    this.hold(response);
    this.clearIdle();
    if (!this.#opened) {
      this.#opened = true;
      this.#emit(OPEN_FRAME);
      if (!this.held) return;
    }
    if (this.queued > 0 || this.state !== 'open') this.flush();
    else this.#armHeartbeat();
  }

  /** Messages the client sent (`xhr_send`). */
  post(messages: readonly string[]): void {
    for (const message of messages) {
      if (this.state !== 'open') return;
      this.fromClient(Buffer.from(message), false);
    }
  }

  protected encode(bytes: Buffer): string {
    const text = bytes.toString('utf8');
    this.#queuedLength += text.length;
    return text;
  }

  /** A client that does not come for what is queued ends the session before the queue grows without bound. */
  protected override written(): void {
    if (this.#queuedLength > MAX_QUEUED) this.end(1009, 'SockJS client not reading', 'network');
    else super.written();
  }

  protected flush(): void {
    if (!this.held) return;
    if (this.queued > 0) {
      const { items, callbacks } = this.takeQueued();
      this.#queuedLength = 0;
      this.#emit(messageFrame(items));
      for (const callback of callbacks) callback();
    }
    if (this.state === 'closing' && this.held) {
      this.#emit(closeFrame(this.closeWith.code, this.closeWith.reason));
      this.endClosing();
    }
  }

  /** Ends the session: what is queued goes to the receiver (now or the next one), with the close frame. */
  protected closing(): void {
    if (this.held) this.flush();
    else this.#armIdle();
  }

  /** The receiver went away (the client aborted it, or it ended). */
  protected dropped(): void {
    this.#armIdle();
  }

  /** A receiver still held when the session ends is ended. */
  protected ended(held: ServerResponse | undefined): void {
    if (held && !held.writableEnded) held.end();
  }

  #emit(frame: string): void {
    const response = this.held!;
    const line = `${frame}\n`;
    if (!this.#streaming) {
      this.release();
      end(response, line);
      this.#armIdle();
      return;
    }
    response.write(line);
    this.#written += line.length;
    if (this.#written >= this.#timings.responseLimit) {
      this.release();
      response.end();
      this.#armIdle();
    } else this.#armHeartbeat();
  }

  /** A receiver with nothing to carry for `heartbeat` gets `h`. */
  #armHeartbeat(): void {
    if (!this.held || this.#timings.heartbeat <= 0) return;
    this.holdTimer(this.#timings.heartbeat, () => this.#emit(HEARTBEAT_FRAME));
  }

  /** No receiver for `disconnectDelay`: the client has gone. */
  #armIdle(): void {
    this.armIdle(this.#timings.disconnectDelay, () => {
      if (this.held) return;
      if (this.state === 'closing') this.endClosing();
      else this.end(1006, 'SockJS client gone', 'client');
    });
  }
}

/** Answers a request with `body` and ends it. */
export function end(response: ServerResponse, body: string): void {
  if (response.writableEnded || response.destroyed) return;
  if (!response.headersSent) response.writeHead(200, FRAME_HEADERS);
  response.end(body);
}
