//
// SockJS's framing (protocol 0.3.3), the same on every transport: `o` opens
// the session, `h` is the server's heartbeat, `a["…","…"]` carries messages
// (JSON strings), `c[code,"reason"]` closes. A client sends a JSON array of
// strings (a lone JSON string is read as one message, as SockJS servers do).
//

/** The open frame. */
export const OPEN_FRAME = 'o';
/** The heartbeat frame. */
export const HEARTBEAT_FRAME = 'h';

/** The frame carrying `messages`. */
export function messageFrame(messages: readonly string[]): string {
  return `a${JSON.stringify(messages)}`;
}

/** The close frame. */
export function closeFrame(code: number, reason: string): string {
  return `c${JSON.stringify([code, reason])}`;
}

/** The messages of what a client sent, or an error saying why they are not. */
export function parseMessages(text: string): string[] | { error: string } {
  if (text === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'Broken JSON encoding.' };
  }
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return { error: 'Broken JSON encoding.' };
  return value as string[];
}
