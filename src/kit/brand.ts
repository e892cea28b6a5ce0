//
// Brands for a kit's handle classes: `instanceof` holds for a handle made by
// another copy of wsmock (the ESM and CommonJS builds, two installs in one
// project), as `Symbol.for` keys are shared where classes are not.
//

/**
 * Marks the objects of one kind and recognises them from any copy of wsmock.
 * A handle class marks itself in its constructor and answers `instanceof`
 * with `test`.
 *
 * @example
 * ```ts
 * const brand = handleBrand('line.connection');
 * class LineConnection {
 *   constructor() { brand.mark(this); }
 *   static [Symbol.hasInstance](value: unknown) { return brand.test(value); }
 * }
 * ```
 *
 * @beta
 */
export interface HandleBrand {
  /** Marks `target` as one of the kind (once, in its constructor). */
  mark(target: object): void;
  /** Whether `value` was marked as one of the kind, by this copy of wsmock or another. */
  test(value: unknown): boolean;
}

/**
 * The brand of the objects of one kind: `name` is global to the process
 * (`Symbol.for('wsmock.' + name)`), so a kit names its kinds after itself
 * (`mqtt.connection`).
 *
 * @beta
 */
export function handleBrand(name: string): HandleBrand {
  const key = Symbol.for(`wsmock.${name}`);
  return {
    mark(target) {
      Object.defineProperty(target, key, { value: true });
    },
    test(value) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key] === true;
    },
  };
}
