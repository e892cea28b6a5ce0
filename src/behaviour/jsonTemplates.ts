//
// JSON responses: every string inside (keys included) may hold a template.
// The value compiles straight into the JSON text it renders to.
//
import { checkTemplate, compileTemplateParts, format, type RenderContext } from './templates.js';

/** A JSON value whose strings may hold templates, compiled to render its JSON text. */
export interface JsonTemplate {
  readonly constant: boolean;
  /** The rendered value as JSON text. */
  text(context: RenderContext): string;
}

type Fragment = string | Variable | ((context: RenderContext) => string);

// Characters JSON.stringify escapes in a string: quote, backslash, controls,
// and (well-formed JSON.stringify) lone surrogates, here any surrogate.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify` for a string, without its per-call set-up in the common
 * case of a string with nothing to escape (measurable at one call per
 * templated string per frame).
 */
export function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

// Variables whose text never holds a character JSON escapes: a UUID, the
// time, counters. Only what a client or a test wrote needs the check.
const SAFE_VARIABLES = new Set(['uuid', 'now', 'timestamp', 'timestampMs', 'connectionCount', 'sequence']);

/** A variable's text as it goes between a JSON string's quotes. */
function escaped(value: unknown): string {
  // Numbers and booleans print as digits, letters, `.`, `-` and `+`.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = format(value);
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/** A variable inside a JSON string: its path, and whether its text can skip the escaping check. */
interface Variable {
  readonly path: readonly string[];
  readonly safe: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Compiles a JSON value whose strings (keys included) may hold templates
 * straight into the JSON text it renders to. Everything constant is
 * serialised once, here; a frame only renders the templated strings and
 * quotes each with `JSON.stringify`, so whatever a variable holds (quotes,
 * newlines, unicode) the frame stays valid JSON, and no intermediate object
 * is built. Only plain objects and arrays are walked; anything else (a Date,
 * a Buffer in-process) is serialised as `JSON.stringify` would.
 */
export function compileJsonTemplate(value: unknown): JsonTemplate {
  const fragments: Fragment[] = [];
  const emit = (fragment: Fragment) => {
    const last = fragments.length - 1;
    if (typeof fragment === 'string' && typeof fragments[last] === 'string') fragments[last] += fragment;
    else fragments.push(fragment);
  };
  const emitString = (source: string) => {
    const { template, parts } = compileTemplateParts(source);
    if (template.constant) return emit(JSON.stringify(source));
    if (!parts) return emit((context) => quote(template.render(context)));
    // Text and variables: the quotes and the text join the constant
    // fragments around them, escaped once here; a frame only adds variables.
    emit('"');
    for (const part of parts) {
      emit(typeof part === 'string' ? JSON.stringify(part).slice(1, -1) : { path: part, safe: part.length === 1 && SAFE_VARIABLES.has(part[0]!) });
    }
    emit('"');
  };
  const walk = (node: unknown): void => {
    if (typeof node === 'string') return emitString(node);
    if (Array.isArray(node)) {
      emit('[');
      node.forEach((item, i) => {
        if (i > 0) emit(',');
        // As JSON.stringify does: holes and values JSON cannot hold become null.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') emit('null');
        else walk(item);
      });
      return emit(']');
    }
    if (isPlainObject(node)) {
      emit('{');
      let first = true;
      for (const [key, item] of Object.entries(node)) {
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (!first) emit(',');
        first = false;
        emitString(key);
        emit(':');
        walk(item);
      }
      return emit('}');
    }
    emit(JSON.stringify(node) ?? 'null');
  };
  walk(value);

  if (fragments.length === 1 && typeof fragments[0] === 'string') {
    const text = fragments[0];
    return { constant: true, text: () => text };
  }
  return {
    constant: false,
    text: (context) => {
      let out = '';
      for (const fragment of fragments) {
        if (typeof fragment === 'string') out += fragment;
        else if (typeof fragment === 'function') out += fragment(context);
        else if (fragment.safe) out += format(context.resolve(fragment.path));
        else out += escaped(context.resolve(fragment.path));
      }
      return out;
    },
  };
}

/** A string that is not a valid template: where it is, and why. */
export interface TemplateProblem {
  /** Its place in the value checked. */
  path: (string | number)[];
  /** What is wrong with it. */
  message: string;
}

/** Every template parse error inside a JSON value, with the path of the string, for config validation. */
export function checkJsonTemplates(value: unknown, path: (string | number)[] = []): TemplateProblem[] {
  if (typeof value === 'string') {
    const problem = checkTemplate(value);
    return problem ? [{ path, message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => checkJsonTemplates(item, [...path, i]));
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    return Object.entries(value).flatMap(([key, item]) => {
      const problem = checkTemplate(key);
      return [...(problem ? [{ path: [...path, key], message: problem }] : []), ...checkJsonTemplates(item, [...path, key])];
    });
  }
  return [];
}
