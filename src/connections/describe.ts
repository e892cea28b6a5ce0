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
