//
// The HTTP side of a remote handle: every call to the admin API goes through
// here, with the token, JSON in and out, and the admin API's errors turned
// back into the catalogue's (`validation_error` → WSMOCK_ERR_INVALID_CONFIG,
// 404 → not found, …). A request the network broke is tried again when trying
// again is safe (reads, waits); a server that stays unreachable is
// WSMOCK_ERR_CONNECTION_CLOSED naming the URL, never a hang.
//
import { WsMockError, WsMockErrorCode, invalidArgument, remoteHandleClosed, remoteNotWsmock, remoteRefused, remoteUnauthorized, remoteUnreachable, type ConfigIssue } from '../errors.js';
import { WSMOCK_VERSION } from '../util/version.js';
import { kindOf } from '../util/argument.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';

/** Pauses between the tries of a request the network broke, ms: three tries, then the error. */
const RETRY_DELAYS = [50, 250];
/** The pause between further tries of a wait whose connection keeps breaking (not refused), until its deadline, ms. */
const WAIT_RETRY_DELAY = 500;
/** How long a request may go unanswered beyond what the server may hold it (a wait), ms, unless told. */
export const DEFAULT_ANSWER_TIMEOUT = 15_000;
/** Errors that say nobody listens there any more: the server is gone, not the network slow. */
const GONE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** A request's answer: its status and parsed JSON body. */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** What a call may ask for beyond method and path. */
export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Statuses answered rather than thrown (408 for a wait that ran out). */
  accept?: readonly number[];
  /** Safe to send again when the network broke it (a read, a wait that takes nothing unless answered). */
  retry?: boolean;
  /**
   * For a wait: its deadline (ms since the epoch). A request the network
   * breaks without refusing it (a reset, a cut) is tried again until then,
   * however often; a refused one (the server gone) fails after three tries.
   */
  until?: number;
  /** How long the server may hold the request before answering (a wait's `wait` or `timeout`), ms; 0 unless told. */
  hold?: number;
  /** What is called, for error messages: `waitForMessage on conn-3`. */
  what: string;
  /** The catalogue code of a 404 (a mock, a connection). */
  notFound?: WsMockErrorCode;
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** Why fetch failed, as the socket said it: `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`. */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (err as Error).message;
}

function parseBody(text: string, url: string, status: number): Record<string, unknown> {
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw remoteNotWsmock(url, `it answered HTTP ${status} with a body that is not JSON`, WSMOCK_VERSION);
  }
  // Every answer of the admin API is an object: null, a number or a list is another server's.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw remoteNotWsmock(url, `it answered HTTP ${status} with JSON that is not an object (${kindOf(body)})`, WSMOCK_VERSION);
  }
  return body as Record<string, unknown>;
}

/** The catalogue code an admin API error maps back to (admin/httpErrors.ts maps the other way). */
function codeOf(status: number, error: string, notFound: WsMockErrorCode | undefined): WsMockErrorCode {
  if (status === 404) return notFound ?? WsMockErrorCode.CONNECTION_NOT_FOUND;
  if (status === 409) return error === 'path_conflict' ? WsMockErrorCode.PATH_CONFLICT : WsMockErrorCode.DUPLICATE_ID;
  if (status === 503) return WsMockErrorCode.SERVER_CLOSED;
  if (error === 'unsupported') return WsMockErrorCode.UNSUPPORTED;
  return WsMockErrorCode.INVALID_ARGUMENT;
}

/** The admin API of one server, as a remote handle calls it. */
export class RemoteHttp {
  /** The admin API's URL, without a trailing slash. */
  readonly url: string;
  readonly #headers: Record<string, string>;
  // Every request in flight, so that `close()` ends the waits.
  readonly #inFlight = new Set<AbortController>();
  #closed = false;

  readonly #answerTimeout: number;

  /** `answerTimeout`: how long past its hold a request may go unanswered before the server counts as gone. */
  constructor(url: string, token: string | undefined, answerTimeout = DEFAULT_ANSWER_TIMEOUT) {
    this.url = url.replace(/\/+$/, '');
    this.#headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
    this.#answerTimeout = answerTimeout;
  }

  /** Calls `method path`; resolves with the answer for 2xx and `accept`ed statuses, else throws the catalogue's error. */
  async call(method: string, path: string, options: CallOptions): Promise<HttpAnswer> {
    // Written once, before any try: a value JSON cannot carry (a BigInt, a cycle) is the caller's
    // argument to fix, not a network failure to try again.
    let payload: string | undefined;
    try {
      payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    } catch (err) {
      throw invalidArgument(`Cannot ${options.what}: what it sends cannot be written as JSON (${(err as Error).message.split('\n')[0]})`);
    }
    for (let attempt = 0; ; attempt++) {
      if (this.#closed) throw remoteHandleClosed(options.what, this.url);
      let response: Response;
      const controller = new AbortController();
      this.#inFlight.add(controller);
      // A server that takes the request and never answers (stopped in a debugger, another
      // program on the port) is gone for this call: no retry, no fetch-long hang.
      const limit = (options.hold ?? 0) + this.#answerTimeout;
      let unanswered = false;
      const timer = realSetTimeout(() => {
        unanswered = true;
        controller.abort();
      }, limit);
      try {
        response = await fetch(`${this.url}${path}`, {
          method,
          headers: payload === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
          ...(payload === undefined ? {} : { body: payload }),
          signal: controller.signal,
        });
        const text = await response.text();
        const body = parseBody(text, this.url, response.status);
        if (response.ok || options.accept?.includes(response.status)) return { status: response.status, body };
        throw this.#failure(response.status, body, options);
      } catch (err) {
        if (err instanceof WsMockError) throw err;
        if (this.#closed) throw remoteHandleClosed(options.what, this.url);
        if (unanswered) throw remoteUnreachable(options.what, this.url, `no answer within ${limit} ms`, err);
        const why = networkCause(err);
        const delay = options.retry ? (RETRY_DELAYS[attempt] ?? this.#waitRetry(why, options.until)) : undefined;
        if (delay === undefined) throw remoteUnreachable(options.what, this.url, why, err);
        await wait(delay);
      } finally {
        realClearTimeout(timer);
        this.#inFlight.delete(controller);
      }
    }
  }

  /** The pause before another try of a wait the network broke, or undefined when the server is gone or the deadline near. */
  #waitRetry(why: string, until: number | undefined): number | undefined {
    if (until === undefined || GONE.has(why) || Date.now() + WAIT_RETRY_DELAY >= until) return undefined;
    return WAIT_RETRY_DELAY;
  }

  #failure(status: number, body: Record<string, unknown>, options: CallOptions): WsMockError {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    const error = typeof body.error === 'string' ? body.error : '';
    if (status === 401) return remoteUnauthorized(this.url);
    if (error === 'validation_error') return remoteRefused(WsMockErrorCode.INVALID_CONFIG, options.what, this.url, message, (body.details as ConfigIssue[] | undefined) ?? []);
    return remoteRefused(codeOf(status, error, options.notFound), options.what, this.url, `${message} (HTTP ${status}${error ? ` ${error}` : ''})`);
  }

  /** Ends every request in flight (their waits reject WSMOCK_ERR_CONNECTION_CLOSED); later calls are refused. */
  close(): void {
    this.#closed = true;
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
  }
}
