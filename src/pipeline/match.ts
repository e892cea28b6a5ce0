import { isDeepStrictEqual } from 'node:util';
import { JSONPath } from 'jsonpath-plus';
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import type { MatchPredicate, MatchSpec } from '../mocks/types.js';

/** A compiled matcher: the work that does not depend on the frame is done once. */
export type CompiledMatch = (message: Message, connection: Connection | undefined) => boolean;

// `$.a.b`, `$.a[0]`, `$['a b']`: resolved by plain property access. Anything
// else (filters, wildcards, recursive descent) goes to jsonpath-plus.
const SIMPLE_PATH = /^\$((\.[A-Za-z_$][\w$]*)|(\[\d+\])|(\['[^'\\]*'\]))*$/;
const SIMPLE_STEP = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^'\\]*)'\]/g;

function compileSimplePath(path: string): (root: unknown) => { found: boolean; value: unknown } {
  const keys: (string | number)[] = [];
  for (const m of path.slice(1).matchAll(SIMPLE_STEP)) keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
  return (root) => {
    let node = root;
    for (const key of keys) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return { found: false, value: undefined };
      node = (node as Record<string | number, unknown>)[key];
    }
    return { found: true, value: node };
  };
}

/** Compiles the `json` matcher's selection: simple paths by property access, the rest by jsonpath-plus. */
export function compileJsonPath(path: string): (root: unknown) => unknown[] {
  if (SIMPLE_PATH.test(path)) {
    const select = compileSimplePath(path);
    return (root) => {
      const { found, value } = select(root);
      return found ? [value] : [];
    };
  }
  return (root) => {
    if (typeof root !== 'object' || root === null) return [];
    return JSONPath({ path, json: root, wrap: true, eval: 'safe' }) as unknown[];
  };
}

function frameText(message: Message, spec: MatchSpec): string | undefined {
  if (spec.messageType === 'binary') {
    return message.binary ? (message.data as Buffer).toString('utf8') : undefined;
  }
  if (spec.messageType === 'text' || !message.binary) return message.text;
  return undefined;
}

/** Compiles a {@link MatchSpec} or an in-process predicate into a function of the frame. */
export function compileMatch(spec: MatchSpec | MatchPredicate | undefined): CompiledMatch {
  if (spec === undefined) return () => true;
  if (typeof spec === 'function') return (message, connection) => spec(message, connection as Connection) === true;

  const kindOk = (message: Message) =>
    spec.messageType === undefined || (spec.messageType === 'binary') === message.binary;

  if (spec.type === 'json') {
    const select = compileJsonPath(spec.path ?? '$');
    const hasValue = spec.value !== undefined;
    const expected = spec.value;
    return (message) => {
      if (message.binary || !kindOk(message)) return false;
      const json = message.json;
      if (json === undefined) return false;
      const found = select(json);
      if (!hasValue) return found.length > 0;
      return found.some((value) => isDeepStrictEqual(value, expected));
    };
  }

  if (spec.type === 'regex') {
    const re = spec.value instanceof RegExp ? new RegExp(spec.value.source, spec.value.flags.replace(/[gy]/g, '')) : new RegExp(String(spec.value));
    return (message) => {
      if (!kindOk(message)) return false;
      const text = frameText(message, spec);
      return text !== undefined && re.test(text);
    };
  }

  const value = String(spec.value);
  const test =
    spec.type === 'exact'
      ? (t: string) => t === value
      : spec.type === 'contains'
        ? (t: string) => t.includes(value)
        : spec.type === 'prefix'
          ? (t: string) => t.startsWith(value)
          : (t: string) => t.endsWith(value);
  return (message) => {
    if (!kindOk(message)) return false;
    const text = frameText(message, spec);
    return text !== undefined && test(text);
  };
}
