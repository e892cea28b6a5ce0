/**
 * Deep-copies plain objects and arrays; functions, Buffers, RegExps and other
 * class instances are kept by reference. Configs may hold in-process functions,
 * which `structuredClone` refuses.
 */
export function cloneConfig<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneConfig) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneConfig(v);
    return out as T;
  }
  return value;
}
