//
// What keeps a value given in-process from being a tree of JSON: a cycle (a
// config or a payload that contains itself), or, for a value sent as JSON, a
// leaf JSON has no text for. Walked without recursion, like the values it
// guards: `cloneConfig()` and `JSON.stringify()` would overflow the stack on a
// cycle, or throw a TypeError naming no field.
//

/** Where a value stops being a tree (of JSON): the path to the spot (`$.a[0].b`) and what is there. */
export interface TreeProblem {
  /** The JSONPath of the spot: `$` for the value itself. */
  path: string;
  /** What is there, as a message ends: `refers back to an object that contains it (a cycle)`, `is a bigint`. */
  problem: string;
}

/** Plain objects and arrays: what configs and payloads are made of, and exactly what `cloneConfig()` copies. */
function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype);
}

function step(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The first spot where `value` is not a tree: a plain object or array that
 * contains itself. With `json`, also a bigint, a symbol or a function, which
 * JSON cannot write (`undefined` can: it is left out, or `null` in an array).
 */
export function treeProblem(value: unknown, options: { json?: boolean } = {}): TreeProblem | undefined {
  const ancestors = new Set<object>();
  // Each container is entered, its members visited, then left (`exit`): the ancestors are the path to it.
  const todo: ({ value: unknown; path: string } | { exit: object })[] = [{ value, path: '$' }];
  while (todo.length > 0) {
    const item = todo.pop()!;
    if ('exit' in item) {
      ancestors.delete(item.exit);
      continue;
    }
    const { value: current, path } = item;
    if (options.json && (typeof current === 'bigint' || typeof current === 'symbol' || typeof current === 'function')) {
      return { path, problem: `is a ${typeof current}, which JSON cannot write` };
    }
    if (!isContainer(current)) continue;
    if (ancestors.has(current)) return { path, problem: 'refers back to an object that contains it (a cycle)' };
    ancestors.add(current);
    todo.push({ exit: current });
    const members: [string | number, unknown][] = Array.isArray(current) ? current.map((member, i) => [i, member]) : Object.entries(current);
    for (let i = members.length - 1; i >= 0; i--) todo.push({ value: members[i]![1], path: step(path, members[i]![0]) });
  }
  return undefined;
}
