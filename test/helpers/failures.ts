import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, expect } from 'vitest';
import { WsMockError, type ConfigIssue } from '../../src/index.js';

/**
 * The failure message of an assertion that must fail, without colours. Takes
 * the assertion's promise, or a function returning it.
 */
export async function failure(assertion: unknown): Promise<string> {
  try {
    await (typeof assertion === 'function' ? assertion() : assertion);
  } catch (err) {
    return stripVTControlCharacters((err as Error).message);
  }
  throw new Error('expected the assertion to fail, it passed');
}

/** What a promise that must reject rejected with. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, got a value');
}

/** What a promise that must reject with a wsmock error rejected with (checked to be one). */
export async function wsMockRejection(promise: Promise<unknown>): Promise<WsMockError> {
  const error: unknown = await rejection(promise);
  expect(error).toBeInstanceOf(WsMockError);
  return error as WsMockError;
}

/**
 * Fails each test of the file during which a promise rejection went
 * unhandled (listened for on `process` while the test runs). Call it at the
 * top of the file, after the server helpers.
 */
export function noUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', listener);
  });
  afterEach(() => {
    process.off('unhandledRejection', listener);
    expect(seen, 'promise rejections nobody handled').toEqual([]);
  });
}

/** The issues of the `WSMOCK_ERR_INVALID_CONFIG` that `define` must throw. */
export function issuesOf(define: () => unknown): ConfigIssue[] {
  try {
    define();
  } catch (err) {
    expect(err).toBeInstanceOf(WsMockError);
    expect((err as WsMockError).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    return (err as WsMockError).issues!;
  }
  throw new Error('expected WSMOCK_ERR_INVALID_CONFIG');
}
