//
// Templated values for protocol kits: a JSON value whose strings may hold
// templates, rendered to a value rather than to JSON text (jsonTemplates.ts),
// because the kit puts it inside its own envelope. A string that is one
// variable and nothing else (`"{{params.a}}"`) renders to the variable's value
// with its type, so numbers stay numbers and objects stay objects; any other
// templated string renders as text. Templates are parsed once, at compile time.
//
import { compileTemplate, type RenderContext } from './templates.js';

/** A compiled value; `constant` when nothing in it is templated (`render` then returns the value itself). */
export interface ValueTemplate {
  /** True when nothing in it is templated: `render()` returns the value as is. */
  readonly constant: boolean;
  /** The value, its templated strings rendered against `context`. */
  render(context: RenderContext): unknown;
}

// `{{name}}` or `{{{name}}}` and nothing else.
const LONE_VARIABLE = /^\{\{\{?\s*([^\s{}#^/!>&=]+)\s*\}?\}\}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Compiles a JSON value whose strings (keys included) may hold templates.
 * Plain objects and arrays are walked; anything else is kept as it is.
 */
export function compileValueTemplate(value: unknown): ValueTemplate {
  const constant: ValueTemplate = { constant: true, render: () => value };
  if (typeof value === 'string') {
    const lone = LONE_VARIABLE.exec(value);
    if (lone) {
      const name = lone[1]!;
      return { constant: false, render: (context) => context.lookup(name) };
    }
    const template = compileTemplate(value);
    return template.constant ? constant : { constant: false, render: (context) => template.render(context) };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileValueTemplate);
    if (items.every((item) => item.constant)) return constant;
    return { constant: false, render: (context) => items.map((item) => item.render(context)) };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => [compileTemplate(key), compileValueTemplate(item)] as const);
    if (entries.every(([key, item]) => key.constant && item.constant)) return constant;
    return {
      constant: false,
      render: (context) => {
        const out: Record<string, unknown> = {};
        for (const [key, item] of entries) {
          const name = key.render(context);
          // Assigning "__proto__" would set the prototype (or do nothing) and
          // lose the pair; JSON.parse makes it an own property, and so do we.
          if (name === '__proto__') Object.defineProperty(out, name, { value: item.render(context), enumerable: true, writable: true, configurable: true });
          else out[name] = item.render(context);
        }
        return out;
      },
    };
  }
  return constant;
}
