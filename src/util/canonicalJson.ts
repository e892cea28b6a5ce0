/**
 * JSON text of `value` with every object's keys sorted (by UTF-16 code
 * units, as `Array.prototype.sort` orders strings) and no white space: two
 * equal values give the same text whatever the order their keys were written
 * in. `mapString`, when given, rewrites every string, keys included, before it
 * is written (and keys are sorted after it). `undefined`, a function or a
 * symbol is written as `null`, in an array as in an object.
 */
export function canonicalJson(value: unknown, mapString?: (text: string) => string): string {
  if (typeof value === 'string') return JSON.stringify(mapString ? mapString(value) : value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, mapString)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [mapString ? mapString(key) : key, item] as const);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, mapString)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
