//
// jsonpath-plus, behind the three things wsmock asks of it: select the values a
// JSONPath names in a frame, replace them (a transcript's `redact`), and tell
// whether a filter (`?(…)`) or script (`(…)`) expression is one it can run.
//
// Why a module of its own: the check used to construct jsonpath-plus's
// private expression parser and copy its private rewriting of `@` variables,
// which any release could change without notice. The calls here use only
// the package's documented API (the `JSONPath` function, its options, its
// `all` result type's `parent` and `parentProperty`, and `evaluate`), and test/behaviour.jsonPath.test.ts pins what we rely on, so
// an upgrade that changes it fails a test instead of a user's mock. Nothing
// else in wsmock imports jsonpath-plus.
//
import { JSONPath } from 'jsonpath-plus';

/**
 * Compiles a JSONPath into a function returning every value it selects in a
 * document, in jsonpath-plus's order. It never throws: a filter that fails on
 * some item (a property of undefined) skips that item, and a document that is
 * not an object or an array, or one nested deeply enough to overflow
 * jsonpath-plus's recursive walk, selects nothing.
 */
export function compileQuery(path: string): (root: unknown) => unknown[] {
  // One evaluator per expression, made when the mock is compiled; jsonpath-plus
  // caches the parsed path and filter scripts itself. Its `@root` is the
  // document the evaluator was made with, not the one given to `evaluate`, so
  // a path using it gets an evaluator per frame.
  const evaluator = JSONPath({ path, json: null, autostart: false, wrap: true, eval: 'safe', ignoreEvalErrors: true });
  const usesRoot = path.includes('@root');
  return (root) => {
    // jsonpath-plus takes a falsy document for "none given"; primitives hold nothing to select.
    if (typeof root !== 'object' || root === null) return [];
    try {
      const found = usesRoot
        ? (JSONPath({ path, json: root, wrap: true, eval: 'safe', ignoreEvalErrors: true }) as unknown[] | undefined)
        : (evaluator.evaluate(path, root, undefined, undefined) as unknown[] | undefined);
      return found ?? [];
    } catch {
      // A frame nested a few thousand levels deep (it fits in maxMessageSize)
      // overflows the stack; an expression that does not parse throws on
      // every frame. Either way the frame selects nothing.
      return [];
    }
  };
}

/**
 * Compiles a JSONPath into a function that replaces every value it selects in
 * a document with `replacement`, in place, and returns the document (or the
 * replacement, when the path selects the root). Like {@link compileQuery} it
 * never throws: a document it cannot walk is returned unchanged.
 */
export function compileReplace(path: string): (root: unknown, replacement: unknown) => unknown {
  return (root, replacement) => {
    if (typeof root !== 'object' || root === null) return path === '$' ? replacement : root;
    let found: { parent: unknown; parentProperty: string | number | null }[] | undefined;
    try {
      found = JSONPath({ path, json: root, resultType: 'all', wrap: true, eval: 'safe', ignoreEvalErrors: true }) as typeof found;
    } catch {
      return root;
    }
    for (const { parent, parentProperty } of found ?? []) {
      if (parent === null || parentProperty === null) return replacement;
      (parent as Record<string | number, unknown>)[parentProperty] = replacement;
    }
    return root;
  };
}

// A document every filter is applied to: the root is a list of one item, and
// every property of that item, whatever its name, is that list again, so a
// filter nested in a filter (`?(@.items[?(@.n > 1)])`) reaches its inner
// expression too. Frozen: an expression may call methods on what it reads.
const probeItem: object = new Proxy(Object.freeze(Object.create(null) as object), {
  get: (_target, key) => (typeof key === 'string' ? probeList : undefined),
});
const probeList: readonly object[] = Object.freeze([probeItem]);

/**
 * What jsonpath-plus reports about a filter or script expression, given as
 * the whole content of its brackets (`?(@.price < 10)`, `(@.length-1)`), or
 * undefined when it can run it. jsonpath-plus parses an expression the first
 * time it applies it and throws when it does not parse (`ignoreEvalErrors`
 * covers only errors while running it), so the expression is applied, alone
 * and in safe mode, to a probe document it is sure to visit. A script is
 * probed as a filter over the same text: its value would become a property
 * name, and what jsonpath-plus does with an odd one depends on the frame.
 * Either way jsonpath-plus parses exactly the text it parses at run time.
 */
export function checkExpression(expression: string): string | undefined {
  const path = expression.startsWith('?') ? `$[${expression}]` : `$[?(${expression})]`;
  try {
    JSONPath({ path, json: probeList as object[], wrap: true, eval: 'safe', ignoreEvalErrors: true });
    return undefined;
  } catch (err) {
    // A script nested in a filter (`?(@.a[(@.length-2)])`) names a property
    // by its value, and jsonpath-plus's walk fails (a TypeError: `indexOf` of
    // undefined) when that property is missing. On a real frame that depends
    // on the frame (which then selects nothing), so it is not held against
    // the expression; what the parser throws is a plain Error.
    if (err instanceof TypeError || err instanceof RangeError) return undefined;
    return err instanceof Error ? err.message : String(err);
  }
}
