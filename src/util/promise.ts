/** Whether `value` is a promise or any thenable: user code may answer either way, or synchronously. */
export function isPromiseLike<T = unknown>(value: unknown): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<T>).then === 'function';
}
