//
// Brands of the Phoenix handles: `instanceof` holds for a handle made by
// another copy of wsmock (the ESM and CommonJS builds), as Symbol.for keys are
// shared where classes are not.
//

/** What a Phoenix handle is. */
export type PhoenixBrand = 'mock' | 'socket' | 'channel' | 'push' | 'presence';

/** Marks `target`; called once, in its constructor. */
export function brandAs(target: object, kind: PhoenixBrand): void {
  Object.defineProperty(target, Symbol.for(`wsmock.phoenix-${kind}`), { value: true });
}

/** Whether `value` carries the brand. */
export function isBranded(value: unknown, kind: PhoenixBrand): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[Symbol.for(`wsmock.phoenix-${kind}`)] === true;
}
