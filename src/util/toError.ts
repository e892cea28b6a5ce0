/** Wraps a thrown value in an Error, so user code that throws a string still reports an Error. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
