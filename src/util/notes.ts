//
// What a failure message about a server, one of its mocks or a connection
// ends with: the chaos seed while chaos is on. Read through a `Symbol.for`
// key, never a module's own WeakMap or a `#private` field, so the matchers of
// one copy of wsmock read it from objects another copy made (the ESM build
// and the CommonJS matchers, two installs in a monorepo).
//
const kNote = Symbol.for('wsmock.note');

/** The key of the method that returns an object's note: a server's, a mock's, a connection's (on its prototype). */
export { kNote };

/** Registers how to read `owner`'s note (a non-enumerable own property, off the public surface). */
export function setNote(owner: object, note: () => string | undefined): void {
  Object.defineProperty(owner, kNote, { value: note });
}

/** `owner`'s note now, if it has one, whichever copy of wsmock made it. */
export function noteOf(owner: unknown): string | undefined {
  if (typeof owner !== 'object' || owner === null) return undefined;
  const note = (owner as Record<symbol, unknown>)[kNote];
  return typeof note === 'function' ? (note as () => string | undefined).call(owner) : undefined;
}

/** `message` ending with `note` (on a line of its own), unless it already does. */
export function appendNote(message: string, note: string | undefined): string {
  return note === undefined || message.endsWith(note) ? message : `${message}\n${note}`;
}
