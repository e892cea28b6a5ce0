//
// `toBeCompleted`: the GraphQL kit's matcher, on an operation handle
// (`await gql.waitForOperation()`). It only calls the operation's public
// `waitForComplete`.
//
import { WsMockErrorCode } from '../errors.js';
import type { MatcherContext, MatcherResult } from './context.js';
import { connectionJournal } from './journal.js';
import { assertOperation } from './subject.js';
import { DEFAULT_WITHIN, type CompletedOptions } from './types.js';
import { hint, isCode, timeoutOf } from './verdict.js';

/**
 * `await expect(operation).toBeCompleted({ by?, timeout? })`: waits for the
 * GraphQL operation to end, then checks how it ended when `by` is given.
 * With `.not`, passes when it is still active after `within` (default 100 ms).
 */
export async function toBeCompleted(this: MatcherContext, received: unknown, options: CompletedOptions = {}): Promise<MatcherResult> {
  assertOperation(this, 'toBeCompleted', received);
  const op = received;
  const head = hint(this, 'toBeCompleted', options.by === undefined ? '' : 'expected');
  const journal = () => connectionJournal(op.connection.connection);
  const wanted = options.by === undefined ? '' : ` by ${this.utils.printExpected(options.by)}`;
  if (this.isNot) {
    const within = options.within ?? options.timeout ?? DEFAULT_WITHIN;
    try {
      const end = await op.waitForComplete({ timeout: within });
      return {
        pass: options.by === undefined || end === options.by,
        message: () => `${head}\n\nExpected operation ${op} not to end${wanted} within ${within} ms; it ended by ${this.utils.printReceived(end)}.\n\n${journal()}`,
      };
    } catch (err) {
      if (!isCode(err, WsMockErrorCode.TIMEOUT, WsMockErrorCode.SERVER_CLOSED, WsMockErrorCode.MOCK_NOT_FOUND)) throw err;
      return { pass: false, message: () => `${head}\n\nOperation ${op} did not end within ${within} ms.` };
    }
  }
  let end;
  try {
    end = await op.waitForComplete({ timeout: timeoutOf(this, options.timeout) });
  } catch (err) {
    if (!isCode(err, WsMockErrorCode.TIMEOUT, WsMockErrorCode.SERVER_CLOSED, WsMockErrorCode.MOCK_NOT_FOUND)) throw err;
    return { pass: false, message: () => `${head}\n\nExpected operation ${op} to end${wanted}. ${err.message}\n\n${journal()}` };
  }
  const pass = options.by === undefined || end === options.by;
  return {
    pass,
    message: () =>
      pass
        ? `${head}\n\nOperation ${op} ended by ${this.utils.printReceived(end)}.`
        : `${head}\n\nOperation ${op} ended, but not as expected.\n\nExpected: ended by ${this.utils.printExpected(options.by)}\nReceived: ended by ${this.utils.printReceived(end)}\n\n${journal()}`,
  };
}
