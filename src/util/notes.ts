//
// What a failure message about a server, or one of its mocks, ends with: the
// chaos seed while chaos is on. Kept off the public objects, keyed weakly.
//
const notes = new WeakMap<object, () => string | undefined>();

/** Registers how to read `owner`'s note. */
export function setNote(owner: object, note: () => string | undefined): void {
  notes.set(owner, note);
}

/** `owner`'s note now, if it has one. */
export function noteOf(owner: unknown): string | undefined {
  return typeof owner === 'object' && owner !== null ? notes.get(owner)?.() : undefined;
}

/** `message` ending with `note` (on a line of its own), unless it already does. */
export function appendNote(message: string, note: string | undefined): string {
  return note === undefined || message.endsWith(note) ? message : `${message}\n${note}`;
}
