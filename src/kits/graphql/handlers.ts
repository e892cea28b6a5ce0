//
// Runs what the mock's `operations` say for an operation: a declarative
// result, or an in-process function's value, promise or async iterable. An
// operation with neither is left to the test (`mock.waitForOperation()`).
//
import { realClearTimeout, realSetTimeout } from '../../util/clock.js';
import { toError } from '../../util/toError.js';
import type { GraphQLOperation, OperationRun } from './GraphQLOperation.js';
import { scopeOf, type CompiledSpec } from './results.js';
import type { OperationHandler } from './types.js';
import { isPromiseLike } from '../../util/promise.js';

/** What an `operations` entry compiles to. */
export type CompiledOperation = CompiledSpec | OperationHandler;

/** Where a failing handler is reported (the server's `error` event). */
export type ReportError = (error: Error) => void;

/**
 * Sends a declarative entry's results, `interval` apart, then completes (or
 * fails the operation). A template that fails to render, or a result JSON
 * cannot carry (a variable nested deeper than the stack allows), fails the
 * operation with an `error` and is reported: nothing is left unhandled.
 */
function runSpec(run: OperationRun, spec: CompiledSpec, connectionCount: () => number, report: ReportError): void {
  const operation = run.handle;
  if (spec.error) {
    void operation.error(spec.error);
    return;
  }
  let results: ReturnType<CompiledSpec['results']>;
  try {
    results = spec.results(operation, scopeOf(operation, connectionCount));
  } catch (err) {
    fail(operation, err, report);
    return;
  }
  let index = 0;
  let timer: NodeJS.Timeout | undefined;
  const step = (): void => {
    timer = undefined;
    if (operation.completed) return;
    if (index < results.length) {
      // Serialised here, on this stack, so a failure ends the operation before `complete` could go.
      let payload: string;
      try {
        payload = JSON.stringify(results[index++]);
      } catch (err) {
        fail(operation, err, report);
        return;
      }
      run.nextJson(payload);
      if (index < results.length && spec.interval > 0) {
        timer = realSetTimeout(step, spec.interval);
        return;
      }
      step();
      return;
    }
    if (spec.complete) void operation.complete();
  };
  operation.signal.addEventListener('abort', () => timer && realClearTimeout(timer), { once: true });
  step();
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** Reports what failed and fails the operation with its message (nothing, once the operation has ended). */
function fail(operation: GraphQLOperation, err: unknown, report: ReportError): void {
  const error = toError(err);
  report(error);
  void operation.error({ message: error.message });
}

/** Each value a `next`, then `complete`; the iterator is returned as soon as the operation ends. */
async function iterate(operation: GraphQLOperation, iterable: AsyncIterable<unknown>, report: ReportError): Promise<void> {
  const iterator = iterable[Symbol.asyncIterator]();
  const stop = () => void Promise.resolve(iterator.return?.()).catch(() => undefined);
  operation.signal.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done || operation.completed) break;
      await operation.next(step.value);
    }
    await operation.complete();
  } catch (err) {
    if (!operation.completed) fail(operation, err, report);
  } finally {
    operation.signal.removeEventListener('abort', stop);
  }
}

/** Answers with what a function returned: nothing (left to the test), a result, or a stream of them. */
async function answer(operation: GraphQLOperation, value: unknown, report: ReportError): Promise<void> {
  if (isPromiseLike(value)) value = await value;
  if (value === undefined) return;
  if (isAsyncIterable(value)) return iterate(operation, value, report);
  await operation.next(value);
  await operation.complete();
}

/** Starts the operation's entry, if the mock has one for its name. */
export function runOperation(run: OperationRun, entry: CompiledOperation | undefined, connectionCount: () => number, report: ReportError): void {
  if (entry === undefined) return;
  if (typeof entry !== 'function') {
    runSpec(run, entry, connectionCount, report);
    return;
  }
  const operation = run.handle;
  let value: unknown;
  try {
    value = entry(operation);
  } catch (err) {
    fail(operation, err, report);
    return;
  }
  answer(operation, value, report).catch((err: unknown) => fail(operation, err, report));
}
