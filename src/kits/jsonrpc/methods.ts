//
// A mock's `methods`, compiled once per mock version: in-process handlers as
// they are, declarative answers with their templates parsed (valueTemplates.ts:
// `"{{params.a}}"` alone keeps the param's type).
//
import { compileValueTemplate, RenderContext, walk, type TemplateScope } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import type { JsonRpcCall } from './JsonRpcCall.js';
import type { JsonRpcErrorObject, JsonRpcOutcome } from './protocol.js';
import type { JsonRpcHandler, JsonRpcMethodSpec } from './types.js';

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

function compileSpec(spec: JsonRpcMethodSpec): CompiledMethod {
  if (spec.manual) return { kind: 'manual' };
  const delay = parseDuration(spec.delay) ?? 0;
  if (spec.error !== undefined) {
    const error = compileValueTemplate(spec.error);
    const constant = { error: spec.error };
    return {
      kind: 'answer',
      delay,
      render: error.constant
        ? () => constant
        : (scope, call) => {
            // The code is a number in the config; the message must stay a string whatever it names.
            const rendered = error.render(new CallRenderContext(scope, call)) as JsonRpcErrorObject;
            return { error: { ...rendered, message: String(rendered.message) } };
          },
    };
  }
  const result = compileValueTemplate(spec.result);
  return {
    kind: 'answer',
    delay,
    render: result.constant ? () => ({ result: spec.result }) : (scope, call) => ({ result: result.render(new CallRenderContext(scope, call)) }),
  };
}

/** Compiles a mock's `methods` (validated already). */
export function compileMethods(methods: Record<string, JsonRpcMethodSpec | JsonRpcHandler> = {}): Map<string, CompiledMethod> {
  const compiled = new Map<string, CompiledMethod>();
  for (const [name, method] of Object.entries(methods)) {
    compiled.set(name, typeof method === 'function' ? { kind: 'handler', handler: method } : compileSpec(method));
  }
  return compiled;
}
