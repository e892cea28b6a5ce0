/**
 * A copy of `value` without the keys in `ignore`, at any depth: how a replay
 * compares client frames under `match.ignore`, and how a failed replay's diff
 * shows them.
 *
 * @example
 * ```ts
 * withoutFields({ id: 'a1', meta: { ts: 1, n: 2 } }, new Set(['id', 'ts'])); // { meta: { n: 2 } }
 * ```
 */
export function withoutFields(value: unknown, ignore: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutFields(v, ignore));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!ignore.has(k)) out[k] = withoutFields(v, ignore);
  return out;
}
