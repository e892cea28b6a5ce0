//
// One client of Phoenix's long-poll transport, as a Transport: what the
// server writes waits in a queue for the client's next GET (one held at a
// time, answered 204 after the poll window), each POST brings frames. The
// client knows the session by its token; once the session ends, its token
// is answered 410 and the client reconnects.
//
import type { ServerResponse } from 'node:http';
import type { ClosedBy, Transport, TransportSink } from '../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';

/** Called once the frame it belongs to is written (or failed). */
type Callback = (err?: Error) => void;

/** How a session ends when its client drops its poll: what a WebSocket client's disconnect sends. */
const CLIENT_LEFT = { code: 1000, reason: 'the long-poll client left' };

/** The error of a write on a session that has ended. */
const SESSION_CLOSED = new Error('the long-poll session is closed');

/** Phoenix's long-poll timings, in milliseconds. */
export interface LongPollTimings {
  /** A poll with nothing to send is answered 204 after this long. */
  readonly window: number;
  /** A session no poll reaches for this long ends. */
  readonly timeout: number;
}

/** Writes the JSON body every long-poll answer has: HTTP 200, the status inside. */
export function answer(response: ServerResponse, body: { status: number; token?: string; messages?: string[] }, done?: Callback): void {
  if (response.writableEnded || response.destroyed) {
    done?.(SESSION_CLOSED);
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text, () => done?.());
}

/** One long-poll client, by its token: the Transport under its connection. */
export class LongPollSession implements Transport {
  readonly token: string;
  readonly protocol = '';
  readonly remoteAddress: string;
  readonly #timings: LongPollTimings;
  readonly #forget: () => void;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #owner: unknown;
  #sink: TransportSink<unknown> | undefined;
  /** The held GET and the timer that answers it 204. */
  #poll: { response: ServerResponse; timer: NodeJS.Timeout } | undefined;
  #queue: string[] = [];
  #callbacks: Callback[] = [];
  #flushScheduled = false;
  /** Ends the session when no poll comes (reset by each GET); on close, ends it if the client never comes back. */
  #idleTimer: NodeJS.Timeout | undefined;
  #closeWith: { code: number; reason: string } | undefined;

  /** `forget` takes the session out of its mock's table once it ends. */
  constructor(token: string, remoteAddress: string, timings: LongPollTimings, forget: () => void) {
    this.token = token;
    this.remoteAddress = remoteAddress;
    this.#timings = timings;
    this.#forget = forget;
    this.#armIdle(timings.timeout);
  }

  get readyState(): number {
    return this.#state === 'open' ? 1 : this.#state === 'closing' ? 2 : 3;
  }

  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#owner = owner;
    this.#sink = sink as TransportSink<unknown>;
  }

  /** A GET with this session's token: answered with what is queued, else held for the window. */
  poll(response: ServerResponse): void {
    if (this.#state === 'closed') {
      answer(response, { status: 410 });
      return;
    }
    // A second poll while one is held: the older one is answered empty.
    if (this.#poll) this.#release(204);
    if (this.#state === 'closing' && this.#queue.length === 0) {
      answer(response, { status: 410 });
      this.#end(this.#closeWith!.code, this.#closeWith!.reason, 'server');
      return;
    }
    if (this.#state === 'open') this.#armIdle(this.#timings.timeout);
    const timer = realSetTimeout(() => this.#release(204), this.#timings.window);
    this.#poll = { response, timer };
    response.once('close', () => {
      if (this.#poll?.response !== response) return;
      // The client dropped the poll it had open: it disconnected (or gave up and
      // starts a new session). Either way this session has no client any more.
      realClearTimeout(this.#poll.timer);
      this.#poll = undefined;
      if (this.#state === 'closing') this.#end(this.#closeWith!.code, this.#closeWith!.reason, 'server');
      else this.#end(CLIENT_LEFT.code, CLIENT_LEFT.reason, 'client');
    });
    if (this.#queue.length > 0) this.#flush();
  }

  /** The frames of a POST, in order (ndjson lines; a line that is not JSON is a binary push in base64). */
  post(lines: readonly string[]): void {
    for (const line of lines) {
      if (this.#state !== 'open') return;
      if (line === '') continue;
      const first = line.trimStart()[0];
      if (first === '[' || first === '{') this.#sink!.frame(this.#owner, Buffer.from(line, 'utf8'), false);
      else this.#sink!.frame(this.#owner, Buffer.from(line, 'base64'), true);
    }
  }

  write(bytes: Buffer, binary: boolean, callback?: Callback): void {
    if (this.#state === 'closed') {
      callback?.(SESSION_CLOSED);
      return;
    }
    // The client's LongPoll reads every message as text: bytes go base64-encoded.
    this.#queue.push(binary ? bytes.toString('base64') : bytes.toString('utf8'));
    if (callback) this.#callbacks.push(callback);
    if (this.#poll && !this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => {
        this.#flushScheduled = false;
        this.#flush();
      });
    }
  }

  /**
   * Ends the session: what is queued still goes to the next poll, the poll
   * after gets 410 (the client's cue to reconnect). A client that never
   * polls again is given up after one window.
   */
  close(code: number, reason: string): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeWith = { code, reason };
    this.#armIdle(this.#timings.window);
    // Nothing left to tell the client: its poll (held now, or its next) gets 410 and the session is over.
    if (this.#queue.length === 0) this.#end(code, reason, 'server');
  }

  terminate(): void {
    if (this.#state === 'closed') return;
    this.#poll?.response.destroy();
    this.#end(1006, '', 'server');
  }

  /** Long-polling has no frame to break the connection with. */
  fail(): boolean {
    return false;
  }

  /** No ping frames over HTTP: a poll in progress is the client's sign of life, so the ping is answered at once. */
  ping(data?: Buffer): void {
    queueMicrotask(() => {
      if (this.#state === 'open') this.#sink?.pong(this.#owner, data ?? Buffer.alloc(0));
    });
  }

  #armIdle(ms: number): void {
    if (this.#idleTimer) realClearTimeout(this.#idleTimer);
    this.#idleTimer = realSetTimeout(() => {
      this.#poll?.response.destroy();
      if (this.#state === 'closing') this.#end(this.#closeWith!.code, this.#closeWith!.reason, 'server');
      else this.#end(1006, 'long-poll session timed out', 'network');
    }, ms);
  }

  /** Answers the held poll with an empty status (204: nothing yet; 410: the session is gone). */
  #release(status: 204 | 410): void {
    const poll = this.#poll;
    if (!poll) return;
    this.#poll = undefined;
    realClearTimeout(poll.timer);
    answer(poll.response, status === 204 ? { status, token: this.token, messages: [] } : { status });
  }

  #flush(): void {
    const poll = this.#poll;
    if (!poll || this.#queue.length === 0) return;
    this.#poll = undefined;
    realClearTimeout(poll.timer);
    const callbacks = this.#callbacks;
    answer(poll.response, { status: 200, token: this.token, messages: this.#queue }, (err) => {
      for (const callback of callbacks) callback(err);
    });
    this.#queue = [];
    this.#callbacks = [];
  }

  #end(code: number, reason: string, by: ClosedBy): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    if (this.#idleTimer) realClearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#poll) this.#release(410);
    for (const callback of this.#callbacks) callback(SESSION_CLOSED);
    this.#callbacks = [];
    this.#queue = [];
    this.#forget();
    this.#sink?.closed(this.#owner, code, reason, by);
  }
}
