/** Quoted values joined for a message: `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function orList(values: readonly string[]): string {
  const quoted = values.map((value) => `"${value}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
