//
// One client of Phoenix's long-poll transport, as a Transport: what the
// server writes waits in a queue for the client's next GET (one held at a
// time, answered 204 after the poll window), each POST brings frames. The
// client knows the session by its token; once the session ends, its token
// is answered 410 and the client reconnects.
//
import type { ServerResponse } from 'node:http';
import { LongPollTransport } from '../../kit/index.js';

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
export class LongPollSession extends LongPollTransport<string> {
  readonly token: string;
  readonly #timings: LongPollTimings;

  /** `forget` takes the session out of its mock's table once it ends. */
  constructor(token: string, remoteAddress: string, timings: LongPollTimings, forget: () => void) {
    super({ remoteAddress, forget, closedError: SESSION_CLOSED });
    this.token = token;
    this.#timings = timings;
    this.#armIdle(timings.timeout);
  }

  /** A GET with this session's token: answered with what is queued, else held for the window. */
  poll(response: ServerResponse): void {
    if (this.state === 'closed') {
      answer(response, { status: 410 });
      return;
    }
    // A second poll while one is held: the older one is answered empty.
    this.#answerEmpty();
    if (this.state === 'closing' && this.queued === 0) {
      answer(response, { status: 410 });
      this.endClosing();
      return;
    }
    if (this.state === 'open') this.#armIdle(this.#timings.timeout);
    this.hold(response);
    this.holdTimer(this.#timings.window, () => this.#answerEmpty());
    if (this.queued > 0) this.flush();
  }

  /** The frames of a POST, in order (ndjson lines; a line that is not JSON is a binary push in base64). */
  post(lines: readonly string[]): void {
    for (const line of lines) {
      if (this.state !== 'open') return;
      if (line === '') continue;
      const first = line.trimStart()[0];
      if (first === '[' || first === '{') this.fromClient(Buffer.from(line, 'utf8'), false);
      else this.fromClient(Buffer.from(line, 'base64'), true);
    }
  }

  /** The client's LongPoll reads every message as text: bytes go base64-encoded. */
  protected encode(bytes: Buffer, binary: boolean): string {
    return binary ? bytes.toString('base64') : bytes.toString('utf8');
  }

  protected flush(): void {
    if (!this.held || this.queued === 0) return;
    const response = this.release()!;
    const { items, callbacks } = this.takeQueued();
    answer(response, { status: 200, token: this.token, messages: items }, (err) => {
      for (const callback of callbacks) callback(err);
    });
  }

  /**
   * Ends the session: what is queued still goes to the next poll, the poll
   * after gets 410 (the client's cue to reconnect). A client that never
   * polls again is given up after one window.
   */
  protected closing(): void {
    this.#armIdle(this.#timings.window);
    // Nothing left to tell the client: its poll (held now, or its next) gets 410 and the session is over.
    if (this.queued === 0) this.endClosing();
  }

  /**
   * The client dropped the poll it had open: it disconnected (or gave up and
   * starts a new session). Either way this session has no client any more.
   */
  protected dropped(): void {
    if (this.state === 'closing') this.endClosing();
    else this.end(CLIENT_LEFT.code, CLIENT_LEFT.reason, 'client');
  }

  /** The session is gone: a held poll hears 410. */
  protected ended(held: ServerResponse | undefined): void {
    if (held) answer(held, { status: 410 });
  }

  /** Ends the session when no poll comes (reset by each GET); on close, ends it if the client never comes back. */
  #armIdle(ms: number): void {
    this.armIdle(ms, () => {
      this.held?.destroy();
      if (this.state === 'closing') this.endClosing();
      else this.end(1006, 'long-poll session timed out', 'network');
    });
  }

  /** Answers the held poll 204: nothing yet. */
  #answerEmpty(): void {
    const held = this.release();
    if (held) answer(held, { status: 204, token: this.token, messages: [] });
  }
}
