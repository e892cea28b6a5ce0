//
// `toHaveSent`: the SSE kit's matcher, on a stream (`await sse.waitForConnection()`).
// It reads the stream's public `events` (what the server wrote, read back
// from the journal) and waits for nothing: what the test or the mock sent is
// written by the time `send()` resolves.
//
import type { SseConnection } from '../kits/sse/SseConnection.js';
import type { SseSentEvent } from '../kits/sse/types.js';
import { isEventInit } from '../kits/sse/wire.js';
import { hasBrand } from '../util/brand.js';
import type { MatcherContext, MatcherResult } from './context.js';
import { fallbackEquals } from './expected.js';
import { compact } from './journal.js';
import { hint } from './verdict.js';

/** What `toHaveSent` looks for: fields of an event (each one given must match), or its data alone. */
export interface ExpectedSseEvent {
  /** The event's data: a string is compared with the data's text, anything else with its JSON. */
  data?: unknown;
  /** The `event:` field. */
  event?: string;
  /** The `id:` field. */
  id?: string;
  /** The `retry:` field. */
  retry?: number;
}

function wrongSubject(ctx: MatcherContext, value: unknown): Error {
  const head = ctx.utils.matcherHint('toHaveSent', 'received', 'expected', { isNot: ctx.isNot, promise: ctx.promise ?? '' });
  return new Error(`${head}\n\ntoHaveSent() works on an SSE stream (from sse.waitForConnection()).\nReceived: ${hasBrand(value, 'connection') ? 'a WebSocket connection (use toReceiveMessage on what a client sends, conn.messages for what was sent)' : typeof value}`);
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * `expect(stream).toHaveSent(expected)`: some event sent on the SSE stream so
 * far matches `expected` (`{ data?, event?, id?, retry? }`, each given field
 * compared; or the data alone). Data that is not a string is compared with
 * the event's data parsed as JSON; asymmetric matchers work inside.
 */
export function toHaveSent(this: MatcherContext, received: unknown, expected: ExpectedSseEvent | unknown): MatcherResult {
  if (!hasBrand(received, 'connection') || (received as { type?: unknown }).type !== 'sse') throw wrongSubject(this, received);
  const stream = received as SseConnection;
  const want: ExpectedSseEvent = isEventInit(expected) || isEventFields(expected) ? (expected as ExpectedSseEvent) : { data: expected };
  const equals = (a: unknown, b: unknown) => (this.equals ? this.equals(a, b, this.customTesters ?? []) : fallbackEquals(a, b));
  const matches = (sent: SseSentEvent) =>
    sent.comment === undefined &&
    (want.event === undefined || sent.event === want.event) &&
    (want.id === undefined || sent.id === want.id) &&
    (want.retry === undefined || sent.retry === want.retry) &&
    (want.data === undefined || (typeof want.data === 'string' ? sent.data === want.data : equals(parsed(sent.data), want.data) || equals(sent.data, want.data)));
  const events = stream.events;
  const pass = events.some(matches);
  const head = hint(this, 'toHaveSent', 'expected');
  const list = events.filter((e) => e.comment === undefined).map((e) => `  ${compact({ event: e.event, id: e.id, retry: e.retry, data: e.data })}`);
  const sent = list.length === 0 ? 'No events were sent.' : `Events sent on ${stream.id}:\n${list.join('\n')}`;
  return {
    pass,
    message: () =>
      pass
        ? `${head}\n\nExpected ${stream.id} not to have sent ${compact(want)}, it did.\n\n${sent}`
        : `${head}\n\nExpected ${stream.id} to have sent ${compact(want)}.\n\n${sent}`,
  };
}

/** `{ event: 'x' }` without data is a partial event too. */
function isEventFields(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === 'event' || key === 'id' || key === 'retry' || key === 'data');
}
