//
// What corrupt and truncate do to a payload, drawing from the given stream.
// Text stays valid UTF-8: characters are replaced or cut whole, never bytes.
//
import type { SeededRandom } from '../util/random.js';

/** A frame's payload: text or bytes. */
export type Payload = string | Buffer;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A character replaced by another letter or digit: the text stays valid UTF-8. */
export function corruptText(text: string, random: SeededRandom): { payload: string; detail: Record<string, unknown> } {
  const chars = Array.from(text);
  const position = Math.floor(random.next() * chars.length);
  let to = ALPHABET[Math.floor(random.next() * ALPHABET.length)]!;
  if (to === chars[position]) to = to === 'a' ? 'b' : 'a';
  const from = chars[position]!;
  chars[position] = to;
  return { payload: chars.join(''), detail: { position, from, to } };
}

/** A byte flipped (XOR with a non-zero mask). */
export function corruptBytes(bytes: Buffer, random: SeededRandom): { payload: Buffer; detail: Record<string, unknown> } {
  const position = Math.floor(random.next() * bytes.length);
  const mask = 1 + Math.floor(random.next() * 255);
  const copy = Buffer.from(bytes);
  copy[position] = copy[position]! ^ mask;
  return { payload: copy, detail: { position, mask } };
}

/** Cut short: text by whole characters, bytes by bytes; at least one unit goes. */
export function truncate(payload: Payload, random: SeededRandom): { payload: Payload; detail: Record<string, unknown> } {
  if (typeof payload === 'string') {
    const chars = Array.from(payload);
    const length = Math.floor(random.next() * chars.length);
    return { payload: chars.slice(0, length).join(''), detail: { from: chars.length, to: length } };
  }
  const length = Math.floor(random.next() * payload.length);
  return { payload: payload.subarray(0, length), detail: { from: payload.length, to: length } };
}

/** Whether there is nothing to corrupt or cut. */
export function isEmpty(payload: Payload): boolean {
  return payload.length === 0;
}
