//
// jest-websocket-mock's matchers on a `WS`: `toReceiveMessage` and
// `toHaveReceivedMessages`, with the original's semantics and failure messages
// (which users compare as inline snapshots). Given a wsmock handle instead of a
// `WS`, they run wsmock's own matchers of the same name, so both sets can be
// registered in one project.
//
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import type { MatcherContext, MatcherResult } from '../../adapters/context.js';
import { wsmockMatchers } from '../../adapters/matchers.js';
import { hasBrand } from '../../util/brand.js';
import { isWS, kTake } from './WS.js';

/** Options of `toReceiveMessage`. */
export interface ReceiveMessageOptions {
  /** How long to wait for the next message, in ms on the real clock (default 1000). */
  timeout?: number;
}

/** The matcher context as Jest and Vitest give it (`expand` is Jest's `--expand`). */
export interface MatcherThis extends MatcherContext {
  /** Jest's `--expand`: show whole values in diffs. */
  expand?: boolean;
  /** The runner's recursive equality (asymmetric matchers work inside it). */
  equals: (a: unknown, b: unknown) => boolean;
}

const WAIT_DELAY = 1000;
const TIMEOUT = Symbol('timeout');

function isWsmockHandle(value: unknown): boolean {
  return hasBrand(value, 'connection') || hasBrand(value, 'mock') || hasBrand(value, 'server');
}

function notAWS(ctx: MatcherThis, received: unknown, matcher: string): MatcherResult {
  return {
    pass: ctx.isNot, // fails with and without .not
    message: () =>
      `${ctx.utils.matcherHint(ctx.isNot ? `.not.${matcher}` : `.${matcher}`, 'WS', 'expected')}\n\n` +
      'Expected the websocket object to be a valid WS mock.\n' +
      `Received: ${typeof received}\n` +
      `  ${ctx.utils.printReceived(received)}`,
  };
}

async function toReceiveMessage(this: MatcherThis, ws: unknown, expected?: unknown, options?: ReceiveMessageOptions): Promise<MatcherResult> {
  if (!isWS(ws)) {
    if (isWsmockHandle(ws)) return wsmockMatchers.toReceiveMessage.call(this, ws, expected as never, options);
    return notAWS(this, ws, 'toReceiveMessage');
  }
  const waitDelay = options?.timeout ?? WAIT_DELAY;
  let timer: NodeJS.Timeout | undefined;
  const next = ws[kTake]();
  const received = await Promise.race([next.message, new Promise<typeof TIMEOUT>((resolve) => (timer = realSetTimeout(() => resolve(TIMEOUT), waitDelay)))]);
  realClearTimeout(timer);
  if (received === TIMEOUT) {
    next.cancel(); // a message arriving later stays for the next assertion
    return {
      pass: this.isNot, // fails with and without .not
      message: () =>
        `${this.utils.matcherHint(this.isNot ? '.not.toReceiveMessage' : '.toReceiveMessage', 'WS', 'expected')}\n\n` +
        'Expected the websocket server to receive a message,\n' +
        `but it didn't receive anything in ${waitDelay}ms.`,
    };
  }
  const pass = this.equals(received, expected);
  const message = pass
    ? () =>
        `${this.utils.matcherHint('.not.toReceiveMessage', 'WS', 'expected')}\n\n` +
        'Expected the next received message to not equal:\n' +
        `  ${this.utils.printExpected(expected)}\n` +
        'Received:\n' +
        `  ${this.utils.printReceived(received)}`
    : () =>
        `${this.utils.matcherHint('.toReceiveMessage', 'WS', 'expected')}\n\n` +
        'Expected the next received message to equal:\n' +
        `  ${this.utils.printExpected(expected)}\n` +
        'Received:\n' +
        `  ${this.utils.printReceived(received)}\n\n` +
        `Difference:\n\n${(this.utils.diff as (a: unknown, b: unknown, o?: object) => string | null)(expected, received, { expand: this.expand }) ?? ''}`;
  return { actual: received, expected, message, pass };
}

function toHaveReceivedMessages(this: MatcherThis, ws: unknown, messages: readonly unknown[]): MatcherResult {
  if (!isWS(ws)) {
    if (isWsmockHandle(ws)) return wsmockMatchers.toHaveReceivedMessages.call(this, ws, messages as never);
    return notAWS(this, ws, 'toHaveReceivedMessages');
  }
  // Each expectation must equal some message received (objects compare as JSON protocols need).
  const found = messages.map((expected) => ws.messages.some((actual) => this.equals(actual, expected)));
  // As in the original: with .not, it "passes" (and so fails) when any one was received.
  const pass = this.isNot ? found.some(Boolean) : found.every(Boolean);
  const message = pass
    ? () =>
        `${this.utils.matcherHint('.not.toHaveReceivedMessages', 'WS', 'expected')}\n\n` +
        'Expected the WS server to not have received the following messages:\n' +
        `  ${this.utils.printExpected(messages)}\n` +
        'But it received:\n' +
        `  ${this.utils.printReceived(ws.messages)}`
    : () =>
        `${this.utils.matcherHint('.toHaveReceivedMessages', 'WS', 'expected')}\n\n` +
        'Expected the WS server to have received the following messages:\n' +
        `  ${this.utils.printExpected(messages)}\n` +
        'Received:\n' +
        `  ${this.utils.printReceived(ws.messages)}\n\n`;
  return { actual: ws.messages, expected: messages, message, pass };
}

/**
 * jest-websocket-mock's matchers, for `expect.extend()`. Importing
 * `wsmock/jest-websocket-mock` registers them on the global `expect` already;
 * with Vitest without `globals`, call `expect.extend(matchers)` yourself.
 */
export const matchers: {
  /** The next message the `WS` receives (waiting up to `timeout`, default 1000 ms) equals `expected`. */
  toReceiveMessage: (this: MatcherThis, ws: unknown, expected?: unknown, options?: ReceiveMessageOptions) => Promise<MatcherResult>;
  /** Every one of `messages` equals some message the `WS` has received. */
  toHaveReceivedMessages: (this: MatcherThis, ws: unknown, messages: readonly unknown[]) => MatcherResult;
} = {
  toReceiveMessage,
  toHaveReceivedMessages,
};
