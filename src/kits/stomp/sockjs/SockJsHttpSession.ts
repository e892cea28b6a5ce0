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
import type { ClosedBy, Transport, TransportSink } from '../../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../../util/clock.js';
import { closeFrame, HEARTBEAT_FRAME, messageFrame, OPEN_FRAME } from './framing.js';

type Callback = (err?: Error) => void;

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

/** A receiving request: an xhr poll (one answer) or an xhr-streaming response (many). */
interface Receiver {
  readonly response: ServerResponse;
  readonly streaming: boolean;
  written: number;
  heartbeat: NodeJS.Timeout | undefined;
}

/** The headers of every answer carrying SockJS frames. */
export const FRAME_HEADERS = { 'content-type': 'application/javascript; charset=UTF-8', 'cache-control': 'no-store, no-cache, no-transform, must-revalidate, max-age=0' };

export class SockJsHttpSession implements Transport {
  readonly id: string;
  readonly protocol = '';
  readonly remoteAddress: string;
  readonly #timings: SockJsTimings;
  readonly #forget: () => void;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #owner: unknown;
  #sink: TransportSink<unknown> | undefined;
  #receiver: Receiver | undefined;
  #queue: string[] = [];
  #queued = 0;
  #callbacks: Callback[] = [];
  #opened = false;
  #closeWith: { code: number; reason: string } | undefined;
  #idle: NodeJS.Timeout | undefined;

  constructor(id: string, remoteAddress: string, timings: SockJsTimings, forget: () => void) {
    this.id = id;
    this.remoteAddress = remoteAddress;
    this.#timings = timings;
    this.#forget = forget;
    this.#armIdle();
  }

  get readyState(): number {
    return this.#state === 'open' ? 1 : this.#state === 'closing' ? 2 : 3;
  }

  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#owner = owner;
    this.#sink = sink as TransportSink<unknown>;
  }

  /** A receiving request (`xhr` or `xhr_streaming`) for this session. */
  receive(response: ServerResponse, streaming: boolean): void {
    if (this.#receiver) {
      // One receiver at a time, as SockJS servers allow.
      end(response, `${closeFrame(2010, 'Another connection still open')}\n`);
      return;
    }
    response.writeHead(200, FRAME_HEADERS);
    if (streaming) response.write(STREAMING_PRELUDE);
    const receiver: Receiver = { response, streaming, written: 0, heartbeat: undefined };
    this.#receiver = receiver;
    if (this.#idle) realClearTimeout(this.#idle);
    this.#idle = undefined;
    response.once('close', () => {
      if (this.#receiver !== receiver) return;
      this.#detach();
    });
    if (!this.#opened) {
      this.#opened = true;
      this.#emit(OPEN_FRAME);
      if (!this.#receiver) return;
    }
    if (this.#queue.length > 0 || this.#state !== 'open') this.#flush();
    else this.#armHeartbeat();
  }

  /** Messages the client sent (`xhr_send`). */
  post(messages: readonly string[]): void {
    for (const message of messages) {
      if (this.#state !== 'open') return;
      this.#sink?.frame(this.#owner, Buffer.from(message), false);
    }
  }

  write(bytes: Buffer, _binary: boolean, callback?: Callback): void {
    if (this.#state === 'closed') {
      callback?.(SESSION_CLOSED);
      return;
    }
    const text = bytes.toString('utf8');
    this.#queue.push(text);
    this.#queued += text.length;
    if (callback) this.#callbacks.push(callback);
    if (this.#queued > MAX_QUEUED) {
      this.#end(1009, 'SockJS client not reading', 'network');
      return;
    }
    if (this.#receiver) queueMicrotask(() => this.#flush());
  }

  /** Ends the session: what is queued goes to the receiver (now or the next one), with the close frame. */
  close(code: number, reason: string): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeWith = { code, reason };
    if (this.#receiver) this.#flush();
    else this.#armIdle();
  }

  terminate(): void {
    if (this.#state === 'closed') return;
    this.#receiver?.response.destroy();
    this.#end(1006, '', 'server');
  }

  /** HTTP has no frame to fail a connection with. */
  fail(): boolean {
    return false;
  }

  /** No ping frames over HTTP: an open session counts as alive. */
  ping(data?: Buffer): void {
    queueMicrotask(() => {
      if (this.#state === 'open') this.#sink?.pong(this.#owner, data ?? Buffer.alloc(0));
    });
  }

  #emit(frame: string): void {
    const receiver = this.#receiver!;
    const line = `${frame}\n`;
    if (receiver.heartbeat) realClearTimeout(receiver.heartbeat);
    receiver.heartbeat = undefined;
    if (!receiver.streaming) {
      this.#receiver = undefined;
      end(receiver.response, line);
      this.#armIdle();
      return;
    }
    receiver.response.write(line);
    receiver.written += line.length;
    if (receiver.written >= this.#timings.responseLimit) {
      this.#receiver = undefined;
      receiver.response.end();
      this.#armIdle();
    } else this.#armHeartbeat();
  }

  #flush(): void {
    if (!this.#receiver) return;
    if (this.#queue.length > 0) {
      const messages = this.#queue;
      const callbacks = this.#callbacks;
      this.#queue = [];
      this.#queued = 0;
      this.#callbacks = [];
      this.#emit(messageFrame(messages));
      for (const callback of callbacks) callback();
    }
    if (this.#state === 'closing' && this.#receiver) {
      this.#emit(closeFrame(this.#closeWith!.code, this.#closeWith!.reason));
      this.#end(this.#closeWith!.code, this.#closeWith!.reason, 'server');
    }
  }

  #armHeartbeat(): void {
    const receiver = this.#receiver;
    if (!receiver || this.#timings.heartbeat <= 0) return;
    receiver.heartbeat = realSetTimeout(() => {
      if (this.#receiver === receiver) this.#emit(HEARTBEAT_FRAME);
    }, this.#timings.heartbeat);
  }

  /** The receiver went away (the client aborted it, or it ended). */
  #detach(): void {
    const receiver = this.#receiver;
    if (receiver?.heartbeat) realClearTimeout(receiver.heartbeat);
    this.#receiver = undefined;
    this.#armIdle();
  }

  /** No receiver for `disconnectDelay`: the client has gone. */
  #armIdle(): void {
    if (this.#idle) realClearTimeout(this.#idle);
    this.#idle = realSetTimeout(() => {
      if (this.#receiver) return;
      if (this.#state === 'closing') this.#end(this.#closeWith!.code, this.#closeWith!.reason, 'server');
      else this.#end(1006, 'SockJS client gone', 'client');
    }, this.#timings.disconnectDelay);
  }

  #end(code: number, reason: string, by: ClosedBy): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    if (this.#idle) realClearTimeout(this.#idle);
    this.#idle = undefined;
    const receiver = this.#receiver;
    this.#receiver = undefined;
    if (receiver) {
      if (receiver.heartbeat) realClearTimeout(receiver.heartbeat);
      if (!receiver.response.writableEnded) receiver.response.end();
    }
    for (const callback of this.#callbacks) callback(SESSION_CLOSED);
    this.#callbacks = [];
    this.#queue = [];
    this.#forget();
    this.#sink?.closed(this.#owner, code, reason, by);
  }
}

/** Answers a request with `body` and ends it. */
export function end(response: ServerResponse, body: string): void {
  if (response.writableEnded || response.destroyed) return;
  if (!response.headersSent) response.writeHead(200, FRAME_HEADERS);
  response.end(body);
}
