//
// `toReceiveEvent`: the Socket.IO kit's matcher, on a socket handle
// (`await io.waitForConnection()`), written against the matcher context
// Vitest, Jest and Playwright share. It only calls the socket's public
// `waitForEvent` and `events`.
//
import { WsMockError, WsMockErrorCode } from '../errors.js';
import type { SocketIoEvent, SocketIoSocket } from '../kits/socketio/SocketIoSocket.js';
import type { MatcherContext, MatcherResult } from './context.js';
import { fallbackEquals } from './expected.js';
import { compact } from './journal.js';
import { assertSocket } from './subject.js';
import { DEFAULT_WITHIN } from './types.js';

const kEventOptions = Symbol.for('wsmock.eventOptions');

/** Options of `toReceiveEvent`, made with {@link eventOptions}. */
export interface ReceiveEventOptions {
  /** How long to wait for the event, in ms (default: the server's `timeout`; in Playwright, the `expect` timeout). */
  timeout?: number;
  /** With `.not`: how long no such event may arrive, in ms on the real clock (default 100). */
  within?: number;
}

/** Options marked as such, so they are never taken for an expected argument. */
export interface EventOptions extends ReceiveEventOptions {
  /** The mark {@link eventOptions} puts on them. */
  readonly [kEventOptions]: true;
}

/**
 * Options for `toReceiveEvent`, passed as its last argument: expected event
 * arguments can be any value, so options carry a mark that tells them apart.
 *
 * @example
 * ```ts
 * await expect(socket).toReceiveEvent('join', 'general', eventOptions({ timeout: 500 }));
 * await expect(socket).not.toReceiveEvent('kick', eventOptions({ within: 200 }));
 * ```
 */
export function eventOptions(options: ReceiveEventOptions): EventOptions {
  return Object.assign(Object.create(null) as object, options, { [kEventOptions]: true as const }) as EventOptions;
}

function isEventOptions(value: unknown): value is EventOptions {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kEventOptions] === true;
}

function eventsJournal(socket: SocketIoSocket): string {
  const events = socket.events;
  if (events.length === 0) return `Socket ${socket.id} (${socket.namespace}) has emitted no event.`;
  const shown = events.slice(-10).map((e) => `  ${compact([e.event, ...e.args])}`);
  return `Events from socket ${socket.id} (${socket.namespace}), ${events.length} in all${events.length > 10 ? ', the last 10' : ''}:\n${shown.join('\n')}`;
}

/**
 * `await expect(socket).toReceiveEvent(event, ...args)`: takes the socket's
 * next event named `event` not yet returned by a wait (waiting for it if
 * needed) and, when `args` are given, compares its arguments with them
 * (asymmetric matchers work inside).
 *
 * `await expect(socket).not.toReceiveEvent(event, ...args)`: passes when no
 * such event arrives within the window (`eventOptions({ within })`, default 100 ms).
 */
export async function toReceiveEvent(this: MatcherContext, received: unknown, event: string, ...rest: unknown[]): Promise<MatcherResult> {
  const hint = this.utils.matcherHint('toReceiveEvent', 'received', 'event', { isNot: this.isNot, promise: this.promise ?? '', secondArgument: '...args' });
  assertSocket(this, 'toReceiveEvent', received);
  if (typeof event !== 'string') throw new Error(`${hint}\n\ntoReceiveEvent() takes the event name first.\nReceived: ${this.utils.printReceived(event)}`);
  const socket = received as SocketIoSocket;
  const options = isEventOptions(rest.at(-1)) ? (rest.pop() as EventOptions) : undefined;
  const checkArgs = rest.length > 0;
  const equals = (a: unknown, b: unknown) => (this.equals ? this.equals(a, b, this.customTesters ?? []) : fallbackEquals(a, b));
  const wanted = checkArgs ? compact([event, ...rest]) : `"${event}"`;
  if (this.isNot) {
    const within = options?.within ?? options?.timeout ?? DEFAULT_WITHIN;
    let arrival: SocketIoEvent;
    try {
      // The window passes (a timeout) unless a matching event comes; others stay for later waits.
      arrival = await socket.waitForEvent(event, { timeout: within, filter: (e) => !checkArgs || equals(e.args, rest) });
    } catch (err) {
      if (!(err instanceof WsMockError) || (err.code !== WsMockErrorCode.TIMEOUT && err.code !== WsMockErrorCode.CONNECTION_CLOSED)) throw err;
      return { pass: false, message: () => `${hint}\n\nExpected the event ${wanted}; none arrived within ${within} ms.\n\n${eventsJournal(socket)}` };
    }
    return {
      pass: true,
      message: () => `${hint}\n\nExpected no event ${wanted} on socket ${socket.id} within ${within} ms\nReceived: ${compact([arrival.event, ...arrival.args])}\n\n${eventsJournal(socket)}`,
    };
  }
  const timeout = options?.timeout ?? this.timeout;
  let arrival: SocketIoEvent;
  try {
    arrival = await socket.waitForEvent(event, timeout !== undefined ? { timeout } : {});
  } catch (err) {
    if (!(err instanceof WsMockError) || ![WsMockErrorCode.TIMEOUT, WsMockErrorCode.CONNECTION_CLOSED, WsMockErrorCode.SERVER_CLOSED, WsMockErrorCode.MOCK_NOT_FOUND].includes(err.code as never)) throw err;
    return { pass: false, message: () => `${hint}\n\nExpected: the event ${wanted}\nReceived: nothing. ${err.message}\n\n${eventsJournal(socket)}` };
  }
  const pass = !checkArgs || equals(arrival.args, rest);
  return {
    pass,
    message: () => {
      if (pass) return `${hint}\n\nThe next "${event}" on socket ${socket.id} was: ${compact([arrival.event, ...arrival.args])}\n\n${eventsJournal(socket)}`;
      const diff = this.utils.diff(rest, arrival.args);
      const shown = diff && !diff.includes('Compared values have no visual difference') ? diff : `Expected: ${this.utils.printExpected(rest)}\nReceived: ${this.utils.printReceived(arrival.args)}`;
      return `${hint}\n\nThe next "${event}" on socket ${socket.id} has other arguments.\n\n${shown}\n\n${eventsJournal(socket)}`;
    },
  };
}
