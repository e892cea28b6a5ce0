//
// `toReceiveCall`: the JSON-RPC kit's matcher, on a connection handle
// (`await mock.waitForConnection()`) or on a JSON-RPC mock (any of its
// connections). It only calls the subject's public `waitForCall` and `calls`.
//
import { WsMockError, WsMockErrorCode } from '../errors.js';
import type { JsonRpcCall } from '../kits/jsonrpc/JsonRpcCall.js';
import type { JsonRpcConnection } from '../kits/jsonrpc/JsonRpcConnection.js';
import type { JsonRpcMock } from '../kits/jsonrpc/JsonRpcMock.js';
import { hasBrand } from '../util/brand.js';
import type { MatcherContext, MatcherResult } from './context.js';
import { fallbackEquals } from './expected.js';
import { compact } from './journal.js';
import { assertCallSubject } from './subject.js';
import { DEFAULT_WITHIN, type ReceiveOptions } from './types.js';

type CallSubject = JsonRpcConnection | JsonRpcMock;

function subjectName(subject: CallSubject): string {
  return hasBrand(subject, 'mock') ? `mock "${(subject as JsonRpcMock).id}"` : (subject as JsonRpcConnection).id;
}

/** The last calls of the subject, one per line, for failure messages. */
function recentCalls(subject: CallSubject): string {
  const calls = subject.calls;
  if (calls.length === 0) return `No calls on ${subjectName(subject)} yet.`;
  const tail = calls.slice(-5);
  const which = calls.length > tail.length ? ` (last ${tail.length} of ${calls.length})` : '';
  return `Calls on ${subjectName(subject)}${which}:\n${tail.map((c) => `  ${c.method} ${compact(c.params ?? null)}${c.id === undefined ? ' (notification)' : ''}`).join('\n')}`;
}

function isWaitFailure(err: unknown): err is WsMockError {
  return err instanceof WsMockError && ([WsMockErrorCode.TIMEOUT, WsMockErrorCode.CONNECTION_CLOSED, WsMockErrorCode.SERVER_CLOSED, WsMockErrorCode.MOCK_NOT_FOUND] as string[]).includes(err.code);
}

/**
 * `await expect(rpc).toReceiveCall(method, params?, { timeout? })`: takes the
 * next call to `method` not yet returned by `waitForCall` (waiting for it if
 * needed) and, when `params` is given, compares its params with the runner's
 * equality (asymmetric matchers work inside).
 *
 * `await expect(rpc).not.toReceiveCall(method, params?, { within? })`: passes
 * when no call to `method` (with those params, when given) arrives within the
 * window; other calls stay for later waits.
 */
export async function toReceiveCall(
  this: MatcherContext,
  received: unknown,
  method: string,
  params?: unknown,
  options: ReceiveOptions = {},
): Promise<MatcherResult> {
  assertCallSubject(this, 'toReceiveCall', received);
  const subject = received;
  const ctx = this;
  const equals = (a: unknown, b: unknown) => (ctx.equals ? ctx.equals(a, b, ctx.customTesters ?? []) : fallbackEquals(a, b));
  const expected = params === undefined ? `a call "${method}"` : `a call "${method}" with params ${compact(params)}`;
  const head = ctx.utils.matcherHint('toReceiveCall', 'received', 'method', {
    isNot: ctx.isNot,
    promise: ctx.promise ?? '',
    ...(params !== undefined ? { secondArgument: 'params' } : {}),
  });

  if (ctx.isNot) {
    const within = options.within ?? options.timeout ?? DEFAULT_WITHIN;
    let call: JsonRpcCall;
    try {
      // The window passing with nothing matching is the passing case; calls that do not match stay.
      call = await subject.waitForCall((c) => c.method === method && (params === undefined || equals(c.params, params)), { timeout: within });
    } catch (err) {
      if (!isWaitFailure(err)) throw err;
      return { pass: false, message: () => `${head}\n\nExpected ${expected}, none arrived within ${within} ms.\n\n${recentCalls(subject)}` };
    }
    return {
      pass: true,
      message: () => `${head}\n\nExpected no ${expected.slice(2)} on ${subjectName(subject)} within ${within} ms\nReceived: ${method} ${compact(call.params ?? null)}\n\n${recentCalls(subject)}`,
    };
  }

  let call: JsonRpcCall;
  try {
    call = await subject.waitForCall(method, { timeout: options.timeout ?? ctx.timeout });
  } catch (err) {
    if (!isWaitFailure(err)) throw err;
    return { pass: false, message: () => `${head}\n\nExpected: ${expected}\nReceived: nothing. ${err.message}\n\n${recentCalls(subject)}` };
  }
  const pass = params === undefined || equals(call.params, params);
  return {
    pass,
    message: () => {
      if (pass) return `${head}\n\n${subjectName(subject)} received ${expected}: ${compact(call.params ?? null)}\n\n${recentCalls(subject)}`;
      const diff = ctx.utils.diff(params, call.params);
      const shown = diff && !diff.includes('Compared values have no visual difference') ? diff : `Expected: ${ctx.utils.printExpected(params)}\nReceived: ${ctx.utils.printReceived(call.params)}`;
      return `${head}\n\nThe next call "${method}" on ${subjectName(subject)} has other params.\n\n${shown}\n\n${recentCalls(subject)}`;
    },
  };
}
