//
// A mock's `methods`, compiled once per mock version: in-process handlers as
// they are, declarative answers with their templates parsed. A templated
// result renders to a value, not to text: a string that is one variable and
// nothing else takes the variable's value (so `"{{params.a}}"` stays a
// number), other templated strings render as text.
//
import { compileTemplate, RenderContext, walk, type TemplateScope } from '../../behaviour/templates.js';
import { parseDuration } from '../../util/duration.js';
import type { JsonRpcCall } from './JsonRpcCall.js';
import type { JsonRpcErrorObject, JsonRpcOutcome } from './protocol.js';
import type { JsonRpcMethodSpec } from '../../mocks/types.js';
import type { JsonRpcHandler } from './types.js';

/** A compiled method. */
export type CompiledMethod =
  | { readonly kind: 'handler'; readonly handler: JsonRpcHandler }
  | { readonly kind: 'manual' }
  | { readonly kind: 'answer'; readonly delay: number; render(scope: TemplateScope, call: JsonRpcCall): JsonRpcOutcome };

/** `params[0].name` → `params`, `0`, `name`. */
function segments(path: readonly string[]): string[] {
  return path.flatMap((segment) => segment.split(/[[\]]/).filter((part) => part !== ''));
}

/** The variables of a templated answer: the call's `params`, `method` and `id`, then those of every response. */
class CallRenderContext extends RenderContext {
  readonly #call: JsonRpcCall;

  constructor(scope: TemplateScope, call: JsonRpcCall) {
    super(scope);
    this.#call = call;
  }

  override resolve(path: readonly string[]): unknown {
    const parts = segments(path);
    switch (parts[0]) {
      case 'params':
        return walk(this.#call.params, parts, 1);
      case 'method':
        return parts.length === 1 ? this.#call.method : undefined;
      case 'id':
        return parts.length === 1 ? this.#call.id : undefined;
      default:
        return super.resolve(parts.length > 0 ? parts : path);
    }
  }
}

type Render = (context: CallRenderContext) => unknown;

// `{{name}}` or `{{{name}}}` and nothing else: the value keeps its type.
const LONE_VARIABLE = /^\{\{\{?\s*([^\s{}#^/!>&=]+)\s*\}?\}\}$/;

/** Compiles a JSON value whose strings may hold templates; `undefined` when it has none (sent as it is). */
function compileValue(value: unknown): Render | undefined {
  if (typeof value === 'string') {
    const lone = LONE_VARIABLE.exec(value);
    if (lone) {
      const name = lone[1]!;
      return (context) => context.lookup(name) ?? null;
    }
    const template = compileTemplate(value);
    return template.constant ? undefined : (context) => template.render(context);
  }
  if (Array.isArray(value)) {
    const items = value.map(compileValue);
    if (items.every((item) => item === undefined)) return undefined;
    return (context) => value.map((item, i) => (items[i] ? items[i](context) : item));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [key, compileTemplate(key), item, compileValue(item)] as const);
    if (entries.every(([, key, , item]) => key.constant && item === undefined)) return undefined;
    return (context) => {
      const out: Record<string, unknown> = {};
      for (const [key, keyTemplate, item, render] of entries) out[keyTemplate.constant ? key : keyTemplate.render(context)] = render ? render(context) : item;
      return out;
    };
  }
  return undefined;
}

function compileSpec(spec: JsonRpcMethodSpec): CompiledMethod {
  if (spec.manual) return { kind: 'manual' };
  const delay = parseDuration(spec.delay) ?? 0;
  if (spec.error !== undefined) {
    const error = spec.error;
    const render = compileValue(error);
    return {
      kind: 'answer',
      delay,
      render: render
        ? (scope, call) => {
            // The code is a number in the config; the message must stay a string whatever it names.
            const rendered = render(new CallRenderContext(scope, call)) as JsonRpcErrorObject;
            return { error: { ...rendered, message: String(rendered.message) } };
          }
        : () => ({ error }),
    };
  }
  const result = spec.result;
  const render = compileValue(result);
  return { kind: 'answer', delay, render: render ? (scope, call) => ({ result: render(new CallRenderContext(scope, call)) }) : () => ({ result }) };
}

/** Compiles a mock's `methods` (validated already). */
export function compileMethods(methods: Record<string, JsonRpcMethodSpec | JsonRpcHandler> = {}): Map<string, CompiledMethod> {
  const compiled = new Map<string, CompiledMethod>();
  for (const [name, method] of Object.entries(methods)) {
    compiled.set(name, typeof method === 'function' ? { kind: 'handler', handler: method } : compileSpec(method));
  }
  return compiled;
}
