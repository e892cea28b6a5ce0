//
// One client of SignalR's long-polling transport, as a Transport: what the
// server writes waits for the client's next GET, which gets it all at once
// (the messages one after the other, as the hub protocol frames them); a
// GET with nothing to send is held, and answered 200 and empty after
// POLL_WINDOW. Each POST brings what the client sends. The end of the
// connection is a 204 to the next poll; a DELETE is the client leaving; a
// client that stops polling for two windows is gone (what waits for it goes).
//
import type { ServerResponse } from 'node:http';
import type { ClosedBy, Transport, TransportSink } from '../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';

/** How long a poll is held with nothing to send (ASP.NET Core's `LongPolling.PollTimeout`: 90 s). */
export const POLL_WINDOW = 90_000;

type Callback = (err?: Error) => void;

const CLOSED = new Error('the long-polling connection is closed');

/** One long-polling client, by its connection token. */
export class LongPollTransport implements Transport {
  readonly protocol = '';
  readonly remoteAddress: string;
  readonly #forget: () => void;
  readonly #window: number;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #owner: unknown;
  #sink: TransportSink<unknown> | undefined;
  #poll: { response: ServerResponse; timer: NodeJS.Timeout } | undefined;
  #queue: Buffer[] = [];
  #binary = false;
  #callbacks: Callback[] = [];
  /** Gives up on a closing connection whose client never polls again. */
  #giveUp: NodeJS.Timeout | undefined;
  /** Ends a connection whose client stopped polling, so what waits for it is bounded in time. */
  #idle: NodeJS.Timeout | undefined;
  #closeWith = { code: 1000, reason: '' };

  /** `forget` takes the transport out of its mock's table once it ends. */
  constructor(remoteAddress: string, forget: () => void, window = POLL_WINDOW) {
    this.remoteAddress = remoteAddress;
    this.#forget = forget;
    this.#window = window;
    this.#armIdle();
  }

  get readyState(): number {
    return this.#state === 'open' ? 1 : this.#state === 'closing' ? 2 : 3;
  }

  bind<Owner>(owner: Owner, sink: TransportSink<Owner>): void {
    this.#owner = owner;
    this.#sink = sink as TransportSink<unknown>;
  }

  /** A GET: answered with what waits, else held; 204 once the connection has ended. */
  poll(response: ServerResponse): void {
    if (this.#state === 'closed' || (this.#state === 'closing' && this.#queue.length === 0)) {
      response.writeHead(204).end();
      this.#end(this.#closeWith.code, this.#closeWith.reason, 'server');
      return;
    }
    // A second poll while one is held: the older one is answered empty.
    this.#release();
    this.#armIdle();
    this.#poll = { response, timer: realSetTimeout(() => this.#release(), this.#window) };
    response.once('close', () => {
      if (this.#poll?.response !== response) return;
      // The client dropped its poll: it is gone.
      realClearTimeout(this.#poll.timer);
      this.#poll = undefined;
      this.#end(1006, 'the long-polling client went away', 'network');
    });
    this.#flush();
  }

  /** A POST's body: what the client sent, text or binary as its content type says. */
  post(body: Buffer, binary: boolean): void {
    if (this.#state === 'open' && body.length > 0) this.#sink?.frame(this.#owner, body, binary);
  }

  /** A DELETE: the client stops. */
  leave(): void {
    this.#end(1000, '', 'client');
  }

  write(bytes: Buffer, binary: boolean, callback?: Callback): void {
    if (this.#state === 'closed') {
      callback?.(CLOSED);
      return;
    }
    this.#queue.push(bytes);
    this.#binary ||= binary;
    if (callback) this.#callbacks.push(callback);
    if (this.#poll) queueMicrotask(() => this.#flush());
  }

  /** Ends the connection: what waits still goes to the next poll, the poll after gets 204. */
  close(code: number, reason: string): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeWith = { code, reason };
    if (this.#queue.length === 0) {
      if (this.#poll) {
        const { response, timer } = this.#poll;
        this.#poll = undefined;
        realClearTimeout(timer);
        response.writeHead(204).end();
      }
      this.#end(code, reason, 'server');
      return;
    }
    this.#giveUp = realSetTimeout(() => this.#end(code, reason, 'server'), this.#window);
  }

  terminate(): void {
    this.#poll?.response.destroy();
    this.#end(1006, '', 'server');
  }

  /** No frame over HTTP breaks a connection. */
  fail(): boolean {
    return false;
  }

  /** No pings over HTTP: the polls are the client's sign of life, so a ping is answered at once. */
  ping(data?: Buffer): void {
    queueMicrotask(() => {
      if (this.#state === 'open') this.#sink?.pong(this.#owner, data ?? Buffer.alloc(0));
    });
  }

  /** No poll for two windows (a client polls again as soon as one is answered): the client is gone. */
  #armIdle(): void {
    if (this.#idle) realClearTimeout(this.#idle);
    this.#idle = realSetTimeout(() => {
      if (!this.#poll) this.#end(1006, 'the long-polling client stopped polling', 'network');
      else this.#armIdle();
    }, 2 * this.#window);
  }

  /** Answers the held poll 200 and empty. */
  #release(): void {
    const poll = this.#poll;
    if (!poll) return;
    this.#poll = undefined;
    realClearTimeout(poll.timer);
    poll.response.writeHead(200, { 'content-type': 'text/plain', 'content-length': 0 }).end();
  }

  #flush(): void {
    const poll = this.#poll;
    if (!poll || this.#queue.length === 0) return;
    this.#poll = undefined;
    realClearTimeout(poll.timer);
    const body = Buffer.concat(this.#queue);
    const callbacks = this.#callbacks;
    const binary = this.#binary;
    this.#queue = [];
    this.#callbacks = [];
    this.#binary = false;
    poll.response.writeHead(200, { 'content-type': binary ? 'application/octet-stream' : 'text/plain; charset=utf-8', 'content-length': body.length });
    poll.response.end(body, () => callbacks.forEach((callback) => callback()));
    if (this.#state === 'closing' && this.#giveUp === undefined) this.#giveUp = realSetTimeout(() => this.#end(this.#closeWith.code, this.#closeWith.reason, 'server'), this.#window);
  }

  #end(code: number, reason: string, by: ClosedBy): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    if (this.#giveUp) realClearTimeout(this.#giveUp);
    if (this.#idle) realClearTimeout(this.#idle);
    this.#giveUp = undefined;
    this.#idle = undefined;
    if (this.#poll) {
      const { response, timer } = this.#poll;
      this.#poll = undefined;
      realClearTimeout(timer);
      if (!response.headersSent) response.writeHead(204).end();
    }
    for (const callback of this.#callbacks) callback(CLOSED);
    this.#callbacks = [];
    this.#queue = [];
    this.#forget();
    this.#sink?.closed(this.#owner, code, reason, by);
  }
}
