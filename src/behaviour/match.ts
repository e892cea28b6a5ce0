import { isDeepStrictEqual } from 'node:util';
import type { Message } from '../connections/Message.js';
import { checkExpression, compileQuery } from './jsonPath.js';
import type { MatchSpec } from './types.js';

/**
 * A compiled matcher: the work that does not depend on the frame is done
 * once. `C` is the connection type an in-process predicate receives (generic
 * so that matching does not depend on the connection module).
 */
export type CompiledMatch<C = unknown> = (message: Message, connection: C) => boolean;

/** An in-process predicate. */
type Predicate<C> = (message: Message, connection: C) => boolean;

// `$.a.b`, `$.a[0]`, `$['a b']`: resolved by plain property access. Anything
// else (filters, wildcards, recursive descent) goes to jsonpath-plus.
const SIMPLE_PATH = /^\$((\.[A-Za-z_$][\w$]*)|(\[\d+\])|(\['[^'\\]*'\]))*$/;
const SIMPLE_STEP = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^'\\]*)'\]/g;

/** What a simple path selects when the frame does not have it. */
export const MISSING: unique symbol = Symbol('missing');

/**
 * Resolves a simple path by property access, returning {@link MISSING} when
 * it is absent. Runs for every json matcher on every frame, so it allocates
 * nothing and the one-key case (`$.type`) is a single property read.
 */
function compileSimplePath(path: string): (root: unknown) => unknown {
  const keys: (string | number)[] = [];
  for (const m of path.slice(1).matchAll(SIMPLE_STEP)) keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
  if (keys.length === 0) return (root) => (root === undefined ? MISSING : root);
  if (keys.length === 1) {
    const [key] = keys as [string | number];
    return (root) =>
      typeof root === 'object' && root !== null && Object.hasOwn(root, key) ? (root as Record<string | number, unknown>)[key] : MISSING;
  }
  return (root) => {
    let node = root;
    for (const key of keys) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return MISSING;
      node = (node as Record<string | number, unknown>)[key];
    }
    return node;
  };
}

/** Compiles the `json` matcher's selection: simple paths by property access, the rest by jsonpath-plus. */
export function compileJsonPath(path: string): (root: unknown) => unknown[] {
  if (SIMPLE_PATH.test(path)) {
    const select = compileSimplePath(path);
    return (root) => {
      const value = select(root);
      return value === MISSING ? [] : [value];
    };
  }
  return compileQuery(path);
}

const CLOSER: Record<string, string> = { '[': ']', '(': ')' };

/**
 * Checks a JSONPath expression; returns what is wrong with it, or undefined.
 * jsonpath-plus accepts almost anything (an unbalanced `[` selects nothing,
 * silently), so configs are checked here: the root `$`, balanced brackets,
 * parentheses and quotes, a name after every `.`, and filter (`?(…)`) and
 * script (`(…)`) expressions that jsonpath-plus parses (see {@link checkExpression}).
 */
export function checkJsonPath(path: string): string | undefined {
  if (!path.startsWith('$')) return 'must be a JSONPath starting with "$", such as "$.type"';
  let i = 1;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      const descent = path[i + 1] === '.';
      i += descent ? 2 : 1;
      if (descent && path[i] === '[') continue;
      const name = /^[^.[\]()'"]+/.exec(path.slice(i))?.[0];
      if (!name) return `expects a property name or "*" after "${descent ? '..' : '.'}" at character ${i}`;
      i += name.length;
    } else if (c === '[') {
      const end = closingBracket(path, i);
      if (typeof end === 'string') return end;
      const inner = path.slice(i + 1, end).trim();
      if (inner === '') return `has an empty "[]" at character ${i}`;
      if (/^\??\(.*\)$/su.test(inner)) {
        const problem = checkExpression(inner);
        if (problem !== undefined) return `has an expression that does not parse at character ${i}: ${problem}`;
      } else if (inner.startsWith('?') || inner.startsWith('(')) {
        return `has a filter at character ${i} that is not of the form "?(…)"`;
      }
      i = end + 1;
    } else {
      return `has an unexpected "${c}" at character ${i}`;
    }
  }
  return undefined;
}

/** The index of the `]` closing the `[` at `start`, or what is unbalanced. */
function closingBracket(path: string, start: number): number | string {
  const stack: string[] = [];
  for (let i = start; i < path.length; i++) {
    const c = path[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < path.length && path[j] !== c) j += path[j] === '\\' ? 2 : 1;
      if (j >= path.length) return `has an unterminated string starting at character ${i}`;
      i = j;
    } else if (c === '[' || c === '(') {
      stack.push(CLOSER[c]!);
    } else if (c === ']' || c === ')') {
      if (stack.pop() !== c) return `has an unbalanced "${c}" at character ${i}`;
      if (stack.length === 0) return i;
    }
  }
  return `has an unclosed "[" at character ${start}`;
}

/** A `json` matcher that compares one simple path with a primitive: what a dispatch table can index. */
export interface JsonEquality {
  /** Selects the path from the parsed frame, or {@link MISSING}. */
  readonly select: (json: unknown) => unknown;
  /** The path, so matchers on the same path can share one selection. */
  readonly path: string;
  /** The primitive the selected value must be (`Object.is`). */
  readonly value: string | number | boolean | null;
}

/**
 * Recognises `{ type: 'json', path: '$.type', value: 'join' }`: a simple
 * path and a primitive value, on text frames. The matchers stage turns a run
 * of these into one lookup per frame instead of one test per matcher.
 */
export function jsonEquality(spec: MatchSpec | Predicate<never> | undefined): JsonEquality | undefined {
  if (typeof spec !== 'object' || spec.type !== 'json' || spec.messageType === 'binary') return undefined;
  const { path, value } = spec;
  if (path === undefined || !SIMPLE_PATH.test(path)) return undefined;
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  return { select: compileSimplePath(path), path, value };
}

function frameText(message: Message, spec: MatchSpec): string | undefined {
  if (spec.messageType === 'binary') {
    return message.binary ? (message.data as Buffer).toString('utf8') : undefined;
  }
  if (spec.messageType === 'text' || !message.binary) return message.text;
  return undefined;
}

/** Compiles a {@link MatchSpec} or an in-process predicate into a function of the frame. */
export function compileMatch<C>(spec: MatchSpec | Predicate<C> | undefined): CompiledMatch<C> {
  if (spec === undefined) return () => true;
  if (typeof spec === 'function') return (message, connection) => spec(message, connection) === true;

  const kindOk = (message: Message) =>
    spec.messageType === undefined || (spec.messageType === 'binary') === message.binary;

  if (spec.type === 'json') {
    const path = spec.path ?? '$';
    const hasValue = spec.value !== undefined;
    const expected = spec.value;
    const primitive = expected === null || typeof expected !== 'object';
    if (SIMPLE_PATH.test(path)) {
      // The common case (`$.type` equals "join"), with no array per frame.
      const select = compileSimplePath(path);
      const wantsBinary = spec.messageType === 'binary';
      return (message) => {
        if (message.binary || wantsBinary) return false;
        const value = select(message.json);
        if (value === MISSING) return false;
        if (!hasValue) return true;
        return primitive ? Object.is(value, expected) : isDeepStrictEqual(value, expected);
      };
    }
    const select = compileJsonPath(path);
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
