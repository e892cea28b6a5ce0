// Matching a path against a template of `/`-separated segments, where a
// segment `:name` takes any non-empty segment. The mock router (client URLs)
// and the admin router (API routes) differ only in how they decode what a
// parameter took, so that is left to them.

/**
 * The params of a path without `:name` segments, and the query of a URL
 * without one: one frozen object shared by every connection that has none
 * (an idle connection is mostly such objects, see the idle-memory benchmark).
 */
export const NO_VALUES: Readonly<Record<string, string>> = Object.freeze({});

/** Drops one trailing slash so `/ws/` and `/ws` are the same path. */
export function normalizePath(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/**
 * The raw (still percent-encoded) segment each `:name` of `pattern` takes in
 * `parts`, or undefined when the segments do not match.
 */
export function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const raw: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]!;
    const part = parts[i]!;
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      raw[segment.slice(1)] = part;
    } else if (segment !== part) {
      return undefined;
    }
  }
  return raw;
}
