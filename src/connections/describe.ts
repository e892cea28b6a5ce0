// How waits describe what they waited for and what arrived instead, in their timeout messages.
import type { MatchSpec } from '../behaviour/types.js';
import { describeMessage, type Message } from './Message.js';

/** The last five messages of `messages`, one line each, for a timeout message. */
export function summarize(messages: readonly Message[]): string {
  if (messages.length === 0) return 'No message arrived.';
  const last = messages.slice(-5).map((m) => `  - ${describeMessage(m)}`);
  const more = messages.length > 5 ? ` (last 5 of ${messages.length})` : '';
  return `Received meanwhile${more}:\n${last.join('\n')}`;
}

/** A short description of a matcher for messages. */
export function describeMatcher(matcher: MatchSpec | ((...args: never[]) => unknown)): string {
  if (typeof matcher === 'function') return `predicate ${matcher.name || '(anonymous)'}`;
  const parts: string[] = [matcher.type];
  if (matcher.path !== undefined) parts.push(matcher.path);
  if (matcher.value !== undefined) parts.push(JSON.stringify(matcher.value instanceof RegExp ? String(matcher.value) : matcher.value));
  if (matcher.messageType) parts.push(`(${matcher.messageType})`);
  return parts.join(' ');
}

/**
 * The warning that waits and matchers counting connections add when some of
 * the connections they counted may be an earlier test's clients that came
 * back after `reset()` (`info.afterReset`); empty when none may be. Reads
 * only the public snapshot, so it works on connections of another copy of
 * the package.
 */
export function afterResetWarning(infos: Iterable<{ id: string; afterReset?: boolean }>): string {
  const ids = [...infos].filter((info) => info.afterReset === true).map((info) => info.id);
  if (ids.length === 0) return '';
  return (
    `\nWarning: ${ids.join(', ')} arrived just after server.reset() from a client like one that reset() closed ` +
    `(conn.info.afterReset): it may be an earlier test's client reconnecting, since reset() closes with 1012 ("come back"). ` +
    `Close the app's client before server.reset() in afterEach.`
  );
}
