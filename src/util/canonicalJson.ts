/**
 * JSON text of `value` with every object's keys sorted (by UTF-16 code
 * units, as `Array.prototype.sort` orders strings) and no white space: two
 * equal values give the same text whatever the order their keys were written
 * in. `mapString`, when given, rewrites every string, keys included, before it
 * is written (and keys are sorted after it). `undefined`, a function or a
 * symbol is written as `null`, in an array as in an object.
 *
 * @note Written with a stack of its own rather than by recursion: the value is
 * often a frame a client sent, and `JSON.parse` takes nesting far deeper than
 * the call stack (a 200 KB frame of `[[[…]]]` is 100,000 levels).
 */
export function canonicalJson(value: unknown, mapString?: (text: string) => string): string {
  const out: string[] = [];
  // Work still to do, last first: a value to write, or text to write as it is.
  const todo: ({ value: unknown } | string)[] = [{ value }];
  while (todo.length > 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const current = item.value;
    if (typeof current === 'string') {
      out.push(JSON.stringify(mapString ? mapString(current) : current));
    } else if (Array.isArray(current)) {
      todo.push(']');
      for (let i = current.length - 1; i >= 0; i--) {
        todo.push({ value: current[i] });
        if (i > 0) todo.push(',');
      }
      out.push('[');
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current).map(([key, member]) => [mapString ? mapString(key) : key, member] as const);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      todo.push('}');
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i]!;
        todo.push({ value: member }, `${JSON.stringify(key)}:`);
        if (i > 0) todo.push(',');
      }
      out.push('{');
    } else {
      out.push(JSON.stringify(current) ?? 'null');
    }
  }
  return out.join('');
}
