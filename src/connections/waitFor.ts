import pWaitFor from 'p-wait-for';
import { WsMockError, WsMockErrorCode } from '../errors.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';

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

  track(controller: AbortController): () => void {
    this.#pending.add(controller);
    return () => this.#pending.delete(controller);
  }

  abortAll(reason: WsMockError): void {
    for (const controller of [...this.#pending]) controller.abort(reason);
    this.#pending.clear();
  }
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
 * Timeouts run on the real clock and say what arrived instead.
 */
export async function waitFor<T>(spec: WaitSpec<T>): Promise<T> {
  const controller = new AbortController();
  const { signal } = controller;
  const untrack = spec.owners.map((owner) => owner.track(controller));
  const timer = realSetTimeout(() => {
    controller.abort(
      new WsMockError(
        WsMockErrorCode.TIMEOUT,
        `Timed out after ${spec.timeout} ms waiting for ${spec.what}. ${spec.seen()}`,
      ),
    );
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
              if (failure) controller.abort(failure);
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
