//
// What a check of a caller's argument says about it: the kind of value it got
// in place of an object, and the first option it does not know (a misspelt
// option would otherwise be ignored, and the call do what the caller did not
// ask).
//

/** The kind of a value, as a message says what it got: `null`, `an array`, or its `typeof`. */
export function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** The first own key of `options` that is none of `known`, or undefined when every key is an option. */
export function unknownOption(options: object, known: Iterable<string>): string | undefined {
  const names = new Set(known);
  return Object.keys(options).find((key) => !names.has(key));
}
