/** Whether `value` is a promise or any thenable: user code may answer either way, or synchronously. */
export function isPromiseLike<T = unknown>(value: unknown): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<T>).then === 'function';
}

/**
 * Runs `run` and returns its promise already marked handled (a no-op catch),
 * a synchronous throw becoming a rejection. A `waitFor*` that the test never
 * awaited, rejected later by `reset()`, `close()` or a timeout, then does not
 * surface as an unhandled rejection that the runner blames on a later test;
 * whoever awaits the promise still gets the error.
 */
export function quietWait<T>(run: () => Promise<T>): Promise<T> {
  const promise = new Promise<T>((resolve) => resolve(run()));
  promise.catch(() => {});
  return promise;
}
