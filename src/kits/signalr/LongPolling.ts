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
import { LongPollTransport } from '../../kit/index.js';
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';

/** How long a poll is held with nothing to send (ASP.NET Core's `LongPolling.PollTimeout`: 90 s). */
export const POLL_WINDOW = 90_000;

const CLOSED = new Error('the long-polling connection is closed');

/** One long-polling client, by its connection token. */
export class SignalRLongPolling extends LongPollTransport<Buffer> {
  readonly #window: number;
  /** Whether a frame queued since the last answer is binary: the answer's content type. */
  #binary = false;
  /** Gives up on a closing connection whose client never polls again. */
  #giveUp: NodeJS.Timeout | undefined;

  /** `forget` takes the transport out of its mock's table once it ends. */
  constructor(remoteAddress: string, forget: () => void, window = POLL_WINDOW) {
    super({ remoteAddress, forget, closedError: CLOSED });
    this.#window = window;
    this.#armIdle();
  }

  /** A GET: answered with what waits, else held; 204 once the connection has ended. */
  poll(response: ServerResponse): void {
    if (this.state === 'closed' || (this.state === 'closing' && this.queued === 0)) {
      response.writeHead(204).end();
      this.endClosing();
      return;
    }
    // A second poll while one is held: the older one is answered empty.
    this.#answerEmpty();
    this.#armIdle();
    this.hold(response);
    this.holdTimer(this.#window, () => this.#answerEmpty());
    this.flush();
  }

  /** A POST's body: what the client sent, text or binary as its content type says. */
  post(body: Buffer, binary: boolean): void {
    if (body.length > 0) this.fromClient(body, binary);
  }

  /** A DELETE: the client stops. */
  leave(): void {
    this.end(1000, '', 'client');
  }

  protected encode(bytes: Buffer, binary: boolean): Buffer {
    this.#binary ||= binary;
    return bytes;
  }

  protected flush(): void {
    if (!this.held || this.queued === 0) return;
    const response = this.release()!;
    const { items, callbacks } = this.takeQueued();
    const body = Buffer.concat(items);
    const binary = this.#binary;
    this.#binary = false;
    response.writeHead(200, { 'content-type': binary ? 'application/octet-stream' : 'text/plain; charset=utf-8', 'content-length': body.length });
    response.end(body, () => callbacks.forEach((callback) => callback()));
  }

  /** Ends the connection: what waits still goes to the next poll, the poll after gets 204. */
  protected closing(): void {
    // Nothing waits: a held poll hears 204 now.
    if (this.queued === 0) this.endClosing();
    else this.#giveUp = realSetTimeout(() => this.endClosing(), this.#window);
  }

  /** The client dropped its poll: it is gone. */
  protected dropped(): void {
    this.end(1006, 'the long-polling client went away', 'network');
  }

  /** The connection is over: a held poll hears 204. */
  protected ended(held: ServerResponse | undefined): void {
    if (this.#giveUp) realClearTimeout(this.#giveUp);
    this.#giveUp = undefined;
    if (held && !held.headersSent) held.writeHead(204).end();
  }

  /** No poll for two windows (a client polls again as soon as one is answered): the client is gone. */
  #armIdle(): void {
    this.armIdle(2 * this.#window, () => {
      if (!this.held) this.end(1006, 'the long-polling client stopped polling', 'network');
      else this.#armIdle();
    });
  }

  /** Answers the held poll 200 and empty. */
  #answerEmpty(): void {
    this.release()?.writeHead(200, { 'content-type': 'text/plain', 'content-length': 0 }).end();
  }
}
