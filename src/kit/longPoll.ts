//
// One HTTP long-poll session as a Transport: what the server writes waits in
// a queue for the client's receiving request (one held at a time), a timer may
// answer that request before anything is queued, and a session that hears
// from no request for a while ends. Phoenix's LongPoll, SignalR's long polling
// and SockJS's xhr transports are written on it.
//
// What the three share is here: the state, the sink, the queue and its write
// callbacks, the held request with its timer and its `close` listener, the
// idle timer, and the end that releases all of it. What each protocol answers,
// and when its session gives up on a client, stays in the subclass.
//
import type { ServerResponse } from 'node:http';
import type { ClosedBy, Transport, TransportSink } from '../transport/types.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';

/**
 * What every {@link LongPollTransport} is made with.
 *
 * @beta
 */
export interface LongPollOptions {
  /** The client's address (`request.socket.remoteAddress`). */
  readonly remoteAddress: string;
  /** Takes the session out of its kit's table (by token or id); called once, when it ends. */
  readonly forget: () => void;
  /** What a write's callback gets once the session has ended (one error, shared by every session of a kit). */
  readonly closedError: Error;
}

/**
 * A Transport over HTTP long polls, for a kit whose clients receive by asking
 * (Phoenix's LongPoll, SignalR's long polling, SockJS's xhr and
 * xhr-streaming). What the server writes is queued as `Item`s until a
 * receiving request is held; one request is held at a time, with a timer
 * that can answer it early (an empty answer, a heartbeat); a session no
 * request reaches for a while ends (the idle timer). The base owns every
 * timer, the held request and the write callbacks, and releases them when the
 * session ends, however it ends.
 *
 * A subclass adds the HTTP side (its GET and POST handlers call
 * {@link LongPollTransport.hold} and {@link LongPollTransport.fromClient}) and
 * the protocol's rules through the abstract members: how a write is queued
 * ({@link LongPollTransport.encode}), how the queue is answered
 * ({@link LongPollTransport.flush}), what `close()` does
 * ({@link LongPollTransport.closing}), what a dropped request means
 * ({@link LongPollTransport.dropped}) and how the held request hears that the
 * session is over ({@link LongPollTransport.ended}).
 *
 * There are no ping frames over HTTP: a ping is answered at once while the
 * session is open, and `fail()` does nothing.
 *
 * @example
 * ```ts
 * class LinePoll extends LongPollTransport<string> {
 *   constructor(remoteAddress: string, forget: () => void) {
 *     super({ remoteAddress, forget, closedError: new Error('the session is closed') });
 *     this.armIdle(30_000, () => this.end(1006, 'client gone', 'network'));
 *   }
 *   poll(response: ServerResponse): void {
 *     this.hold(response);
 *     this.holdTimer(25_000, () => this.release()?.writeHead(204).end());
 *     this.flush();
 *   }
 *   protected encode(bytes: Buffer): string { return bytes.toString('utf8'); }
 *   protected flush(): void {
 *     if (this.queued === 0) return;
 *     const response = this.release();
 *     if (!response) return;
 *     const { items, callbacks } = this.takeQueued();
 *     response.end(items.join('\n'), () => callbacks.forEach((callback) => callback()));
 *   }
 *   protected closing(): void { this.endClosing(); }
 *   protected dropped(): void { this.end(1006, 'client gone', 'network'); }
 *   protected ended(held: ServerResponse | undefined): void { held?.writeHead(204).end(); }
 * }
 * ```
 *
 * @beta
 */
export abstract class LongPollTransport<Item> implements Transport {
  /** Long polls negotiate no subprotocol: always `''`. */
  readonly protocol = '';
  /** The client's address. */
  readonly remoteAddress: string;
  readonly #forget: () => void;
  readonly #closedError: Error;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #owner: unknown;
  #sink: TransportSink<unknown> | undefined;
  #queue: Item[] = [];
  #callbacks: Array<(err?: Error) => void> = [];
  #flushScheduled = false;
  /** The held request and its timer. */
  #held: { response: ServerResponse; timer: NodeJS.Timeout | undefined } | undefined;
  #idle: NodeJS.Timeout | undefined;
  #closeWith = { code: 1000, reason: '' };

  /** Starts an open session with nothing queued, no request held and no timer running. */
  constructor(options: LongPollOptions) {
    this.remoteAddress = options.remoteAddress;
    this.#forget = options.forget;
    this.#closedError = options.closedError;
  }

  /** 1 while open, 2 once `close()` was called, 3 once the session ended. */
  get readyState(): number {
    return this.#state === 'open' ? 1 : this.#state === 'closing' ? 2 : 3;
  }

  /** Starts delivering the client's frames and the session's end to `sink`, for `owner`. */
  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#owner = owner;
    this.#sink = sink as TransportSink<unknown>;
  }

  /**
   * Queues a frame for the client (as {@link LongPollTransport.encode} makes
   * it); `callback` runs when the answer carrying it is written, or with the
   * session's error when it ends first. Frames written in one tick leave in
   * one answer.
   */
  write(bytes: Buffer, binary: boolean, callback?: (err?: Error) => void): void {
    if (this.#state === 'closed') {
      callback?.(this.#closedError);
      return;
    }
    this.#queue.push(this.encode(bytes, binary));
    if (callback) this.#callbacks.push(callback);
    this.written();
  }

  /** Starts ending the session with `code` and `reason`: what follows is the subclass's {@link LongPollTransport.closing}. */
  close(code: number, reason: string): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeWith = { code, reason };
    this.closing();
  }

  /** Drops the session: the held request is destroyed, the session ends with 1006 by the server. */
  terminate(): void {
    if (this.#state === 'closed') return;
    this.#held?.response.destroy();
    this.end(1006, '', 'server');
  }

  /** HTTP has no frame to fail a connection with: does nothing. */
  fail(): boolean {
    return false;
  }

  /** No ping frames over HTTP: the client's requests are its sign of life, so a ping is answered at once while the session is open. */
  ping(data?: Buffer): void {
    queueMicrotask(() => {
      if (this.#state === 'open') this.#sink?.pong(this.#owner, data ?? Buffer.alloc(0));
    });
  }

  /** Where the session is: `open`, `closing` (after `close()`, while the client still has something to receive) or `closed`. */
  protected get state(): 'open' | 'closing' | 'closed' {
    return this.#state;
  }

  /** The code and reason `close()` was given (1000 and `''` before it was called). */
  protected get closeWith(): {
    /** The close code. */
    readonly code: number;
    /** The close reason. */
    readonly reason: string;
  } {
    return this.#closeWith;
  }

  /** How many items wait for the client. */
  protected get queued(): number {
    return this.#queue.length;
  }

  /** The request held now, if one is. */
  protected get held(): ServerResponse | undefined {
    return this.#held?.response;
  }

  /** A frame the server writes, as the queue keeps it (text, base64, the bytes). */
  protected abstract encode(bytes: Buffer, binary: boolean): Item;

  /** Answers the held request with what is queued, if both are there; the subclass decides how. Also run a microtask after writes while a request is held. */
  protected abstract flush(): void;

  /** `close()` was called (the state is `closing`): end now, or leave what is queued for the client's next request and arm a deadline. */
  protected abstract closing(): void;

  /** The client dropped the held request (its `close` came before an answer); the request is no longer held. */
  protected abstract dropped(): void;

  /**
   * The session ended (every timer already stopped): `held` is the request
   * that was held, if any, for the protocol's last answer (a 410, a 204, the
   * end of a stream). A subclass with timers of its own stops them here.
   */
  protected abstract ended(held: ServerResponse | undefined): void;

  /**
   * After a write was queued: by default, schedules one
   * {@link LongPollTransport.flush} on a microtask when a request is held, so
   * the frames of one tick leave together. A subclass may override it to bound
   * the queue first.
   */
  protected written(): void {
    if (!this.#held || this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.flush();
    });
  }

  /** Hands a frame the client sent to the connection, while the session is open. */
  protected fromClient(bytes: Buffer, binary: boolean): void {
    if (this.#state === 'open') this.#sink?.frame(this.#owner, bytes, binary);
  }

  /**
   * Holds `response` as the receiving request, until it is answered
   * ({@link LongPollTransport.release}), the client drops it
   * ({@link LongPollTransport.dropped}) or the session ends. A request held
   * before must have been released first.
   */
  protected hold(response: ServerResponse): void {
    if (this.#held?.timer) realClearTimeout(this.#held.timer);
    this.#held = { response, timer: undefined };
    response.once('close', () => {
      if (this.#held?.response !== response) return;
      if (this.#held.timer) realClearTimeout(this.#held.timer);
      this.#held = undefined;
      this.dropped();
    });
  }

  /** Starts, or starts again, the held request's timer: `onTimeout` runs after `ms` unless the request is released or dropped, or the session ends, first. */
  protected holdTimer(ms: number, onTimeout: () => void): void {
    const held = this.#held;
    if (!held) return;
    if (held.timer) realClearTimeout(held.timer);
    held.timer = realSetTimeout(onTimeout, ms);
  }

  /** Takes the held request off (its timer stopped) for the caller to answer; undefined when none is held. */
  protected release(): ServerResponse | undefined {
    const held = this.#held;
    if (!held) return undefined;
    this.#held = undefined;
    if (held.timer) realClearTimeout(held.timer);
    return held.response;
  }

  /** Empties the queue: its items, and the callbacks of the writes they came from, for the caller to run once they are answered. */
  protected takeQueued(): {
    /** The items, oldest first. */
    items: Item[];
    /** The write callbacks, to run with no argument once the answer is written, or with an error if it fails. */
    callbacks: Array<(err?: Error) => void>;
  } {
    const taken = { items: this.#queue, callbacks: this.#callbacks };
    this.#queue = [];
    this.#callbacks = [];
    return taken;
  }

  /** Starts, or starts again, the idle timer: `onIdle` runs after `ms` unless it is armed again, cleared, or the session ends first. */
  protected armIdle(ms: number, onIdle: () => void): void {
    if (this.#idle) realClearTimeout(this.#idle);
    this.#idle = realSetTimeout(onIdle, ms);
  }

  /** Stops the idle timer. */
  protected clearIdle(): void {
    if (this.#idle) realClearTimeout(this.#idle);
    this.#idle = undefined;
  }

  /**
   * Ends the session (once; later calls do nothing): the timers stop, the held
   * request goes to {@link LongPollTransport.ended}, the writes still queued
   * fail, the session is forgotten and the connection hears `code`, `reason`
   * and who ended it.
   */
  protected end(code: number, reason: string, by: ClosedBy): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.clearIdle();
    this.ended(this.release());
    for (const callback of this.#callbacks) callback(this.#closedError);
    this.#callbacks = [];
    this.#queue = [];
    this.#forget();
    this.#sink?.closed(this.#owner, code, reason, by);
  }

  /** Ends a closing session as `close()` asked: its code and reason, by the server. */
  protected endClosing(): void {
    this.end(this.#closeWith.code, this.#closeWith.reason, 'server');
  }
}
