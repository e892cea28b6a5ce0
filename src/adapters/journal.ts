import type { Connection } from '../connections/Connection.js';
import { describeMessage, type Message } from '../connections/Message.js';
import { isAsymmetric, type AsymmetricMatcher } from './context.js';

const ARROWS: Record<Message['direction'], string> = { in: '← in ', out: '→ out', 'upstream-in': '⇠ upstream', 'upstream-out': '⇢ upstream' };

/** How many journal entries a failure message shows. */
export const JOURNAL_TAIL = 5;

/**
 * The last few frames of a connection or mock, both directions, one per line:
 * `← in` for what the client sent, `→ out` for what the server sent; on a proxy
 * mock `⇠ upstream` for what the upstream sent and `⇢ upstream` for what went to it.
 */
export function formatJournal(title: string, messages: readonly Message[]): string {
  if (messages.length === 0) return `${title}: no messages yet.`;
  const tail = messages.slice(-JOURNAL_TAIL);
  const which = messages.length > JOURNAL_TAIL ? ` (last ${JOURNAL_TAIL} of ${messages.length})` : '';
  const lines = tail.map((m) => `  ${ARROWS[m.direction]} ${describeMessage(m)}`);
  return `${title}${which}:\n${lines.join('\n')}`;
}

/** The journal section of a failure message about a connection. */
export function connectionJournal(connection: Connection): string {
  return formatJournal(`Recent messages on ${connection.id} (${connection.url})`, connection.messages);
}

/** The value a message is compared as and shown as: its JSON, else its text, else its bytes. */
export function messageValue(message: Message): unknown {
  if (message.binary) return message.data;
  return message.json !== undefined ? message.json : message.text;
}

/** `ObjectContaining {"type":"error"}`, `Any<String>`, `StringContaining "abc"`. */
function asymmetric(value: AsymmetricMatcher): string {
  const name = value.toAsymmetricMatcher?.() ?? String(value);
  if (name.includes(' ') || value.sample === undefined || typeof value.sample === 'function') return name;
  return `${name} ${compact(value.sample)}`;
}

/**
 * A one-line rendering of an expected or received value for lists in failure
 * messages (the runner's printers spread objects over several lines).
 */
export function compact(value: unknown, max = 120): string {
  const text = (() => {
    if (typeof value === 'string') return JSON.stringify(value);
    if (value instanceof Uint8Array) return `<binary ${value.byteLength} bytes>`;
    if (value instanceof RegExp) return String(value);
    if (typeof value === 'function') return `[predicate ${value.name || '(anonymous)'}]`;
    if (isAsymmetric(value)) return asymmetric(value);
    try {
      return JSON.stringify(value, (_key, v: unknown) => (isAsymmetric(v) ? asymmetric(v) : v)) ?? String(value);
    } catch {
      return String(value);
    }
  })();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
