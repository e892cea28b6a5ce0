import { isDeepStrictEqual } from 'node:util';
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import type { MatchPredicate, MatchSpec } from '../mocks/types.js';
import { compileMatch } from '../behaviour/match.js';
import { contractMessagesOf, findContractMessage } from '../util/contractMessages.js';
import type { ContractMessage } from '../asyncapi/model.js';
import { isAsymmetric, type MatcherContext } from './context.js';
import { messageValue } from './journal.js';

const kMatching = Symbol.for('wsmock.messageMatching');

/** A {@link MatchSpec} or predicate wrapped by {@link messageMatching}, tested against the whole {@link Message}. */
export interface MessageMatching {
  /** The wrapped spec or predicate. */
  readonly spec: MatchSpec | MatchPredicate;
  /** A readable rendering, shown in failure messages. */
  toString(): string;
}

/**
 * What `toReceiveMessage` and `toHaveReceivedMessages` accept:
 * - a string: the text of a text frame, exactly;
 * - a `RegExp`: tested against the text of a text frame;
 * - a `Buffer`/`Uint8Array`: the bytes of a binary frame;
 * - an object, array, number, boolean or null: the parsed JSON, compared with
 *   the runner's `equals`, so `expect.objectContaining(…)` and other asymmetric
 *   matchers work anywhere inside it;
 * - a predicate `(message) => boolean` over the {@link Message};
 * - {@link messageMatching}`(spec)`: a {@link MatchSpec}, as mocks match frames;
 * - `{ messageId }` alone, on a connection of a mock with an AsyncAPI contract:
 *   a frame whose JSON fits that message of the contract (by its key,
 *   `messageId` or `name`). Elsewhere it is compared as JSON, like any object.
 */
export type ExpectedMessage =
  | string
  | RegExp
  | Uint8Array
  | ((message: Message) => boolean)
  | MessageMatching
  | Record<string, unknown>
  | readonly unknown[]
  | number
  | boolean
  | null;

/**
 * Wraps a {@link MatchSpec} (or a predicate) so a matcher tests frames the way
 * a mock's `matchers` do, JSONPath included.
 *
 * @example
 * ```ts
 * await expect(conn).toReceiveMessage(messageMatching({ type: 'json', path: '$.items[0].id', value: 7 }));
 * ```
 */
export function messageMatching(spec: MatchSpec | MatchPredicate): MessageMatching {
  const matching: MessageMatching = {
    spec,
    toString: () => (typeof spec === 'function' ? `messageMatching(${spec.name || 'predicate'})` : `messageMatching(${JSON.stringify(spec)})`),
  };
  Object.defineProperty(matching, kMatching, { value: true });
  return matching;
}

function isMessageMatching(value: unknown): value is MessageMatching {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kMatching] === true;
}

/**
 * Equality used when the runner gives none: deep equality that honours
 * asymmetric matchers anywhere inside the expected value.
 */
export function fallbackEquals(received: unknown, expected: unknown): boolean {
  if (isAsymmetric(expected)) return expected.asymmetricMatch(received);
  if (Array.isArray(expected)) {
    return Array.isArray(received) && received.length === expected.length && expected.every((e, i) => fallbackEquals(received[i], e));
  }
  if (typeof expected === 'object' && expected !== null && Object.getPrototypeOf(expected) === Object.prototype) {
    if (typeof received !== 'object' || received === null || Array.isArray(received)) return false;
    const keys = Object.keys(expected);
    if (keys.length !== Object.keys(received).length) return false;
    return keys.every((k) => Object.hasOwn(received, k) && fallbackEquals((received as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return isDeepStrictEqual(received, expected);
}

/** The outcome of comparing one message with what was expected. */
export interface Comparison {
  /** Whether the message is what was expected. */
  pass: boolean;
  /** What the message is, in the form it was compared in (for the diff). */
  actual: unknown;
  /** Why it is not, when a diff cannot say it (a contract message's schema errors). */
  why?: string;
}

/** `{ messageId: 'subscribe' }` and nothing else: the one shape read as a contract message. */
function messageIdOf(expected: unknown): string | undefined {
  if (typeof expected !== 'object' || expected === null || Object.getPrototypeOf(expected) !== Object.prototype) return undefined;
  const keys = Object.keys(expected);
  const id = (expected as { messageId?: unknown }).messageId;
  return keys.length === 1 && typeof id === 'string' ? id : undefined;
}

/**
 * The contract message `expected` names, when it is `{ messageId }` on a
 * connection whose mock has a contract; `null` when the contract has no such
 * message; `undefined` when `expected` is to be compared as JSON.
 */
export function contractExpectation(expected: unknown, connection: unknown): ContractMessage | null | undefined {
  const id = messageIdOf(expected);
  if (id === undefined) return undefined;
  const messages = contractMessagesOf(connection);
  if (messages === undefined) return undefined;
  return findContractMessage(messages, id) ?? null;
}

/** The keys of the contract messages `connection` may carry, for an error naming an unknown one. */
export function contractMessageKeys(connection: unknown): string[] {
  return (contractMessagesOf(connection) ?? []).map((m) => m.key);
}

function compareContract(message: Message, contract: ContractMessage): Comparison {
  const actual = messageValue(message);
  if (message.json === undefined) return { pass: false, actual, why: `It is not JSON, so it is no "${contract.key}" of the contract.` };
  const errors = contract.validate(message.json);
  if (errors.length === 0) return { pass: true, actual };
  return { pass: false, actual, why: `It is no "${contract.key}" of the contract:\n${errors.map((e) => `  ${e.path} ${e.message}`).join('\n')}` };
}

/**
 * Compares one message with what was expected, in the form the expectation
 * asks for (see {@link ExpectedMessage}).
 */
export function compareMessage(ctx: MatcherContext, message: Message, expected: unknown, connection?: Connection): Comparison {
  const equals = (a: unknown, b: unknown) => (ctx.equals ? ctx.equals(a, b, ctx.customTesters ?? []) : fallbackEquals(a, b));
  if (expected === undefined) return { pass: true, actual: messageValue(message) };
  if (typeof expected === 'string') return { pass: message.text === expected, actual: message.text ?? message.data };
  if (expected instanceof RegExp) {
    const re = new RegExp(expected.source, expected.flags.replace(/[gy]/g, ''));
    return { pass: message.text !== undefined && re.test(message.text), actual: message.text ?? message.data };
  }
  if (expected instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(message.data) ? message.data : Buffer.from(message.data);
    return { pass: message.binary && Buffer.compare(bytes, Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)) === 0, actual: message.data };
  }
  if (typeof expected === 'function') {
    return { pass: (expected as (m: Message) => unknown)(message) === true, actual: messageValue(message) };
  }
  if (isMessageMatching(expected)) {
    return { pass: compileMatch<Connection>(expected.spec)(message, connection as Connection), actual: messageValue(message) };
  }
  const contract = contractExpectation(expected, connection);
  if (contract !== undefined) {
    return contract === null ? { pass: false, actual: messageValue(message) } : compareContract(message, contract);
  }
  if (isAsymmetric(expected)) {
    // `expect.stringContaining('x')` is about the text; `expect.objectContaining`
    // about the JSON. Either reading of the frame may satisfy it.
    const pass = (message.text !== undefined && equals(message.text, expected)) || (message.json !== undefined && equals(message.json, expected));
    return { pass, actual: messageValue(message) };
  }
  return { pass: message.json !== undefined && equals(message.json, expected), actual: messageValue(message) };
}

/** A printable form of an expectation: wrapped specs as `messageMatching(…)`, the rest as given. */
export function printableExpected(expected: unknown): unknown {
  if (isMessageMatching(expected)) return expected.toString();
  return expected;
}
