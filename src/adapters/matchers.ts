//
// The wsmock matchers, written once against the matcher context that Vitest,
// Jest and Playwright share (see context.ts). The runner entries only register
// them and declare their types. The core ones are here (and toHaveReplayed);
// the kits' matchers are listed once in kitMatchers.ts and gathered here into
// `wsmockMatchers`.
//
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import { WsMockErrorCode } from '../errors.js';
import type { WebSocketMock } from '../mocks/WebSocketMock.js';
import type { MockServer } from '../server/MockServer.js';
import { hasBrand } from '../util/brand.js';
import { appendNote, noteOf } from '../util/notes.js';
import { afterResetWarning } from '../connections/describe.js';
import type { ConnectionInfo } from '../connections/types.js';
import type { MatcherContext, MatcherResult } from './context.js';
import { compareMessage, contractExpectation, contractMessageKeys, printableExpected, type ExpectedMessage } from './expected.js';
import { compact, connectionJournal, formatJournal, messageValue } from './journal.js';
import { assertConnection, assertMockOrServer, withRemoteSubject } from './subject.js';
import { wrapKitMatchers, type KitMatcherFunctions } from './kitMatchers.js';
import { toHaveReplayed } from './toHaveReplayed.js';
import { DEFAULT_WITHIN, type ClosedOptions, type ConnectionsOptions, type ReceiveOptions, type ReplayedOptions, type WsMockMatchers } from './types.js';
import { diffSection, hint, isCode, timeoutOf } from './verdict.js';

export { DEFAULT_WITHIN };

/**
 * `await expect(conn).toReceiveMessage(expected?, { timeout? })`: takes the
 * connection's next unconsumed inbound message (waiting for it if needed) and
 * compares it with `expected` (see {@link ExpectedMessage}).
 *
 * `await expect(conn).not.toReceiveMessage(expected?, { within? })`: passes when
 * no unconsumed message matching `expected` (any message, without one) arrives
 * within the window; messages that do not match are left for later waits.
 */
export async function toReceiveMessage(
  this: MatcherContext,
  received: unknown,
  expected?: ExpectedMessage,
  options: ReceiveOptions = {},
): Promise<MatcherResult> {
  assertConnection(this, 'toReceiveMessage', received);
  refuseSse(this, 'toReceiveMessage', received);
  refuseUnknownMessageId(this, 'toReceiveMessage', received, [expected]);
  return this.isNot ? receiveNothing(this, received, expected, options) : receiveNext(this, received, expected, options);
}

async function receiveNext(ctx: MatcherContext, conn: Connection, expected: unknown, options: ReceiveOptions): Promise<MatcherResult> {
  const shown = printableExpected(expected);
  const head = hint(ctx, 'toReceiveMessage', 'expected', 'options');
  let message: Message;
  try {
    message = await conn.waitForMessage(undefined, { timeout: timeoutOf(ctx, options.timeout) });
  } catch (err) {
    if (!isCode(err, WsMockErrorCode.TIMEOUT, WsMockErrorCode.CONNECTION_CLOSED, WsMockErrorCode.SERVER_CLOSED)) throw err;
    return {
      pass: false,
      message: () =>
        `${head}\n\nExpected: ${expected === undefined ? 'a message' : ctx.utils.printExpected(shown)}\nReceived: nothing. ${err.message}\n\n${connectionJournal(conn)}`,
    };
  }
  const { pass, actual, why } = compareMessage(ctx, message, expected, conn);
  return {
    pass,
    message: () =>
      pass
        ? `${head}\n\nThe next message on ${conn.id} was: ${compact(actual)}\n\n${connectionJournal(conn)}`
        : `${head}\n\nThe next message on ${conn.id} is not the expected one.${why ? ` ${why}` : ''}\n\n${diffSection(ctx, shown, actual)}\n\n${connectionJournal(conn)}`,
  };
}

async function receiveNothing(ctx: MatcherContext, conn: Connection, expected: unknown, options: ReceiveOptions): Promise<MatcherResult> {
  const within = options.within ?? options.timeout ?? DEFAULT_WITHIN;
  const shown = printableExpected(expected);
  const what = expected === undefined ? 'no message' : `no message matching ${compact(shown)}`;
  const head = hint(ctx, 'toReceiveMessage', expected === undefined ? '' : 'expected', 'options');
  let message: Message;
  try {
    // A timeout here is the passing case: the window (real clock) went by and
    // nothing matched. The cursor only moves when something does match.
    message = await conn.waitForMessage((m) => compareMessage(ctx, m, expected, conn).pass, { timeout: within });
  } catch (err) {
    if (!isCode(err, WsMockErrorCode.TIMEOUT, WsMockErrorCode.CONNECTION_CLOSED, WsMockErrorCode.SERVER_CLOSED)) throw err;
    return {
      pass: false,
      message: () => `${head}\n\nExpected a message${expected === undefined ? '' : ` matching ${compact(shown)}`}, none arrived within ${within} ms.\n\n${connectionJournal(conn)}`,
    };
  }
  const actual = messageValue(message);
  return {
    pass: true,
    message: () => `${head}\n\nExpected ${what} on ${conn.id} within ${within} ms\nReceived: ${compact(actual)}\n\n${connectionJournal(conn)}`,
  };
}

/**
 * `expect(conn).toHaveReceivedMessages([a, b])`: every expectation matches some
 * message the client has sent so far (in any order; nothing is consumed).
 */
export function toHaveReceivedMessages(this: MatcherContext, received: unknown, expected: readonly ExpectedMessage[]): MatcherResult {
  assertConnection(this, 'toHaveReceivedMessages', received);
  refuseSse(this, 'toHaveReceivedMessages', received);
  if (!Array.isArray(expected)) {
    throw new Error(`${hint(this, 'toHaveReceivedMessages', 'expected')}\n\ntoHaveReceivedMessages() takes an array of expected messages.\nReceived: ${this.utils.printReceived(expected)}`);
  }
  refuseUnknownMessageId(this, 'toHaveReceivedMessages', received, expected);
  const conn = received;
  const inbound = conn.received;
  const missing = expected.filter((e) => !inbound.some((m) => compareMessage(this, m, e, conn).pass));
  const actual = inbound.map(messageValue);
  const shown = expected.map(printableExpected);
  const head = hint(this, 'toHaveReceivedMessages', 'expected');
  return {
    pass: missing.length === 0,
    message: () =>
      missing.length === 0
        ? `${head}\n\nExpected ${conn.id} not to have received all of: ${compact(shown)}\nReceived: ${compact(actual)}\n\n${connectionJournal(conn)}`
        : `${head}\n\n${missing.length} of ${expected.length} expected message(s) never arrived on ${conn.id}:\n${missing
            .map((m) => `  ${compact(printableExpected(m))}`)
            .join('\n')}\n\n${diffSection(this, shown, actual)}\n\n${connectionJournal(conn)}`,
  };
}

function openCount(subject: WebSocketMock | MockServer): number {
  return hasBrand(subject, 'mock') ? (subject as WebSocketMock).connections.length : (subject as MockServer).connections.list().length;
}

function openInfos(subject: WebSocketMock | MockServer): ConnectionInfo[] {
  return hasBrand(subject, 'mock') ? (subject as WebSocketMock).connections.map((c) => c.info) : (subject as MockServer).connections.list();
}

function subjectName(subject: WebSocketMock | MockServer): string {
  return hasBrand(subject, 'mock') ? `mock "${(subject as WebSocketMock).id}" (${(subject as WebSocketMock).path})` : `server ${(subject as MockServer).url}`;
}

function subjectJournal(subject: WebSocketMock | MockServer): string {
  if (hasBrand(subject, 'mock')) return formatJournal(`Recent messages on ${subjectName(subject)}`, (subject as WebSocketMock).messages);
  const open = (subject as MockServer).connections.list();
  return open.length === 0 ? 'No open connections.' : `Open connections:\n${open.map((c) => `  ${c.id} ${c.url}`).join('\n')}`;
}

/**
 * `await expect(mock).toHaveConnections(n, { timeout? })` (a mock or a server):
 * waits until exactly `n` connections are open. With `.not`, checks now.
 */
export async function toHaveConnections(
  this: MatcherContext,
  received: unknown,
  count: number,
  options: ConnectionsOptions = {},
): Promise<MatcherResult> {
  assertMockOrServer(this, 'toHaveConnections', received);
  const subject = received;
  const head = hint(this, 'toHaveConnections', 'count', 'options');
  if (this.isNot) {
    const now = openCount(subject);
    return {
      pass: now === count,
      message: () =>
        `${head}\n\nExpected ${subjectName(subject)} not to have ${this.utils.printExpected(count)} open connection(s), it has.${afterResetWarning(openInfos(subject))}\n\n${subjectJournal(subject)}`,
    };
  }
  try {
    await subject.waitForConnectionCount(count, { timeout: timeoutOf(this, options.timeout) });
    return { pass: true, message: () => `${head}\n\n${subjectName(subject)} has ${count} open connection(s).` };
  } catch (err) {
    if (!isCode(err, WsMockErrorCode.TIMEOUT, WsMockErrorCode.SERVER_CLOSED, WsMockErrorCode.MOCK_NOT_FOUND)) throw err;
    const now = openCount(subject);
    return {
      pass: false,
      message: () =>
        `${head}\n\nExpected: ${this.utils.printExpected(count)} open connection(s) on ${subjectName(subject)}\nReceived: ${this.utils.printReceived(now)}. ${err.message}\n\n${subjectJournal(subject)}`,
    };
  }
}

/**
 * `await expect(conn).toBeClosed({ code?, reason?, timeout? })`: waits for the
 * connection to close, then checks the code and reason when given. With `.not`,
 * checks now that it is not closed.
 */
export async function toBeClosed(this: MatcherContext, received: unknown, options: ClosedOptions = {}): Promise<MatcherResult> {
  assertConnection(this, 'toBeClosed', received);
  const conn = received;
  const expected: Record<string, unknown> = {};
  if (options.code !== undefined) expected.code = options.code;
  if (options.reason !== undefined) expected.reason = options.reason;
  const head = hint(this, 'toBeClosed', Object.keys(expected).length ? 'expected' : '');
  if (this.isNot) {
    const info = conn.closeInfo;
    return {
      pass: info !== undefined,
      message: () =>
        `${head}\n\nExpected ${conn.id} not to be closed, it closed with code ${this.utils.printReceived(info?.code)}${info?.reason ? ` (${this.utils.printReceived(info.reason)})` : ''}.\n\n${connectionJournal(conn)}`,
    };
  }
  let info;
  try {
    info = await conn.waitForClose({ timeout: timeoutOf(this, options.timeout) });
  } catch (err) {
    if (!isCode(err, WsMockErrorCode.TIMEOUT, WsMockErrorCode.SERVER_CLOSED)) throw err;
    return {
      pass: false,
      message: () => `${head}\n\nExpected ${conn.id} to close${Object.keys(expected).length ? ` with ${compact(expected)}` : ''}. ${err.message}\n\n${connectionJournal(conn)}`,
    };
  }
  const actual = { code: info.code, reason: info.reason };
  const pass = (options.code === undefined || info.code === options.code) && (options.reason === undefined || info.reason === options.reason);
  const compared = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k as keyof typeof actual]]));
  return {
    pass,
    message: () => `${head}\n\n${conn.id} closed, but not as expected.\n\n${diffSection(this, expected, compared)}\n\n${connectionJournal(conn)}`,
  };
}

// A type alias, not an interface: runners' expect.extend() wants an object with an index signature.
/** The wsmock matchers as `expect.extend()` receives them; {@link WsMockMatchers} documents their use. */
export type WsMockMatcherFunctions = KitMatcherFunctions & {
  /** `await expect(conn).toReceiveMessage(expected?, { timeout? })`, `.not` with `{ within? }`. */
  toReceiveMessage(this: MatcherContext, received: unknown, expected?: ExpectedMessage, options?: ReceiveOptions): Promise<MatcherResult>;
  /** `expect(conn).toHaveReceivedMessages([…])`. */
  toHaveReceivedMessages(this: MatcherContext, received: unknown, expected: readonly ExpectedMessage[]): MatcherResult;
  /** `await expect(mockOrServer).toHaveConnections(n, { timeout? })`. */
  toHaveConnections(this: MatcherContext, received: unknown, count: number, options?: ConnectionsOptions): Promise<MatcherResult>;
  /** `await expect(conn).toBeClosed({ code?, reason?, timeout? })`. */
  toBeClosed(this: MatcherContext, received: unknown, options?: ClosedOptions): Promise<MatcherResult>;
  /** `await expect(conn).toHaveReplayed({ timeout? })`. */
  toHaveReplayed(this: MatcherContext, received: unknown, options?: ReplayedOptions): Promise<MatcherResult>;
};

/** A client sends nothing on an SSE stream: a matcher about what it sent is a mistake, said as such. */
function refuseSse(ctx: MatcherContext, matcher: string, conn: Connection): void {
  if (conn.type !== 'sse') return;
  const head = ctx.utils.matcherHint(matcher, 'received', '', { isNot: ctx.isNot, promise: ctx.promise ?? '' });
  throw new Error(
    `${head}\n\n${matcher}() does not apply to an SSE stream (${conn.id}): an EventSource client sends nothing on it. Check what the server sent with expect(stream).toHaveSent(event) or stream.events.`,
  );
}

/**
 * `{ messageId: 'x' }` on a connection with a contract that has no message `x`
 * is a mistake in the test: thrown, naming the messages it does have, so that
 * `.not` cannot pass on it.
 */
function refuseUnknownMessageId(ctx: MatcherContext, matcher: string, conn: Connection, expected: readonly unknown[]): void {
  const unknown = expected.filter((e) => contractExpectation(e, conn) === null);
  if (unknown.length === 0) return;
  const names = unknown.map((e) => `"${(e as { messageId: string }).messageId}"`).join(', ');
  throw new Error(`${hint(ctx, matcher, 'expected')}\n\nThe contract of ${conn.id} has no message ${names}.\nIts messages: ${contractMessageKeys(conn).join(', ')}`);
}

/** What a failure about `subject` ends with: its server's chaos seed while chaos is on. */
function chaosNote(subject: unknown): string | undefined {
  // A kit's handle reaches its connection: a Socket.IO socket or a JSON-RPC
  // connection directly, a GraphQL operation through its GraphQLConnection.
  let handle = subject;
  for (let depth = 0; depth < 3 && typeof handle === 'object' && handle !== null; depth++) {
    const note = noteOf(handle);
    if (note !== undefined) return note;
    handle = (handle as { connection?: unknown }).connection;
  }
  return undefined;
}

/**
 * A matcher whose failure messages end with the chaos seed while chaos is on,
 * written once here rather than in every message. Sync matchers stay sync.
 */
function withChaosNote<F extends (this: MatcherContext, received: unknown, ...rest: never[]) => MatcherResult | Promise<MatcherResult>>(matcher: F): F {
  const noted = (received: unknown, result: MatcherResult): MatcherResult => {
    const note = chaosNote(received);
    return note === undefined ? result : { ...result, message: () => appendNote(result.message(), note) };
  };
  return function (this: MatcherContext, received: unknown, ...rest: never[]) {
    const result = matcher.call(this, received, ...rest);
    return result instanceof Promise ? result.then((r) => noted(received, r)) : noted(received, result);
  } as F;
}

/**
 * Every wsmock matcher, ready for `expect.extend(wsmockMatchers)`.
 *
 * @example
 * ```ts
 * expect.extend(wsmockMatchers);
 * await expect(conn).toReceiveMessage({ type: 'hello' });
 * ```
 */
export const wsmockMatchers: WsMockMatcherFunctions = {
  toReceiveMessage: withChaosNote(withRemoteSubject(toReceiveMessage)),
  toHaveReceivedMessages: withChaosNote(withRemoteSubject(toHaveReceivedMessages)),
  toHaveConnections: withChaosNote(withRemoteSubject(toHaveConnections)),
  toBeClosed: withChaosNote(withRemoteSubject(toBeClosed)),
  ...wrapKitMatchers((matcher) => withChaosNote(withRemoteSubject(matcher))),
  toHaveReplayed: withChaosNote(withRemoteSubject(toHaveReplayed)),
};
