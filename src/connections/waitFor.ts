import pWaitFor from 'p-wait-for';
import { WsMockError, waitTimedOut } from '../errors.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { appendNote } from '../util/notes.js';
import { quietWait } from '../util/promise.js';

/** A set of wake-up callbacks: whoever produces arrivals calls `notify()`. */
export class Waiters {
  #callbacks = new Set<() => void>();

  add(callback: () => void): () => void {
    this.#callbacks.add(callback);
    return () => this.#callbacks.delete(callback);
  }

  notify(): void {
    for (const callback of [...this.#callbacks]) callback();
  }

  get size(): number {
    return this.#callbacks.size;
  }
}

/** Aborts pending waits when their owner (a server, a mock, a connection) goes away. */
export class WaitRegistry {
  #pending = new Set<AbortController>();
  /** What a failure of a wait owned here ends with (the server's chaos seed while chaos is on). */
  readonly note: (() => string | undefined) | undefined;

  constructor(note?: () => string | undefined) {
    this.note = note;
  }

  track(controller: AbortController): () => void {
    this.#pending.add(controller);
    return () => this.#pending.delete(controller);
  }

  abortAll(reason: WsMockError): void {
    for (const controller of [...this.#pending]) controller.abort(reason);
    this.#pending.clear();
  }
}

/** `message` followed by the first owner's note, on a line of its own. */
export function withNote(message: string, owners: readonly WaitRegistry[]): string {
  for (const owner of owners) {
    const note = owner.note?.();
    if (note) return appendNote(message, note);
  }
  return message;
}

/** The same error with the owners' note at the end of its message. */
function noted(error: WsMockError, owners: readonly WaitRegistry[]): WsMockError {
  const message = withNote(error.message, owners);
  if (message !== error.message) error.message = message;
  return error;
}

/** What a wait needs to know to run and to explain itself on timeout. */
export interface WaitSpec<T> {
  /** Returns the awaited value once it is there; called now and after every wake-up. */
  find: () => T | undefined;
  /** Where arrivals are announced. */
  waiters: Waiters;
  /** Owners whose end aborts the wait (server, mock, connection). */
  owners: WaitRegistry[];
  /** Milliseconds on the real clock. */
  timeout: number;
  /** What is awaited, e.g. `a connection on mock "chat"`. */
  what: string;
  /** What did arrive meanwhile, for the timeout message. */
  seen: () => string;
  /** Fails the wait early (e.g. the connection closed), with the error to throw. */
  failure?: () => WsMockError | undefined;
}

/**
 * Resolves with the first value `find()` returns, checking now (so arrivals
 * before the call count) and after every wake-up: event-driven, no polling.
 * Timeouts run on the real clock and say what arrived instead. The promise is
 * marked handled: a wait nobody awaits, aborted by `reset()` or `close()`, is
 * not an unhandled rejection (see {@link quietWait}).
 */
export function waitFor<T>(spec: WaitSpec<T>): Promise<T> {
  return quietWait(() => run(spec));
}

async function run<T>(spec: WaitSpec<T>): Promise<T> {
  const controller = new AbortController();
  const { signal } = controller;
  const untrack = spec.owners.map((owner) => owner.track(controller));
  const timer = realSetTimeout(() => {
    controller.abort(noted(waitTimedOut(spec.timeout, spec.what, spec.seen()), spec.owners));
  }, spec.timeout);

  try {
    return await pWaitFor(
      () =>
        new Promise<ReturnType<typeof pWaitFor.resolveWith<T>>>((resolve, reject) => {
          let remove = () => {};
          const onAbort = () => {
            remove();
            reject(signal.reason);
          };
          const check = () => {
            const value = spec.find();
            if (value === undefined) {
              const failure = spec.failure?.();
              if (failure) controller.abort(noted(failure, spec.owners));
              return;
            }
            remove();
            signal.removeEventListener('abort', onAbort);
            resolve(pWaitFor.resolveWith(value));
          };
          signal.addEventListener('abort', onAbort, { once: true });
          remove = spec.waiters.add(check);
          check();
        }),
      { signal },
    );
  } finally {
    realClearTimeout(timer);
    for (const remove of untrack) remove();
  }
}
