//
// A mock's `methods`, compiled once per mock version: a function to call,
// `manual` (the test answers), or a declarative answer whose templates are
// parsed here. Templates see the invocation (`{{arguments.0}}`,
// `{{target}}`, `{{connectionId}}`) and the variables of every response.
//
import { compileTemplate, compileValueTemplate, RenderContext, walk, type TemplateScope } from '../../kit/index.js';
import type { SignalRMethod, SignalRMethodHandler, SignalRMethodSpec, SignalRSendSpec } from './types.js';

/** What a template of a method renders against. */
export interface InvocationView {
  readonly target: string;
  readonly arguments: readonly unknown[];
  readonly connectionId: string;
}

class InvocationRenderContext extends RenderContext {
  readonly #view: InvocationView;

  constructor(scope: TemplateScope, view: InvocationView) {
    super(scope);
    this.#view = view;
  }

  override resolve(path: readonly string[]): unknown {
    switch (path[0]) {
      case 'arguments':
        return walk(this.#view.arguments, path, 1);
      case 'target':
      case 'connectionId':
        return path.length === 1 ? this.#view[path[0]] : undefined;
      default:
        return super.resolve(path);
    }
  }
}

/** A message a declarative method sends, rendered. */
export interface RenderedSend {
  readonly target: string;
  readonly args: unknown[];
  readonly to: 'all' | 'caller' | 'others';
  readonly group: string | undefined;
}

/** What a declarative method does for one invocation, rendered. */
export interface RenderedAnswer {
  readonly sends: RenderedSend[];
  readonly outcome: { readonly kind: 'result'; readonly value: unknown } | { readonly kind: 'error'; readonly message: string } | { readonly kind: 'stream'; readonly items: unknown[] };
}

/** A compiled method. */
export type CompiledMethod =
  | { readonly kind: 'function'; readonly handler: SignalRMethodHandler }
  | { readonly kind: 'manual' }
  | { readonly kind: 'spec'; render(scope: TemplateScope, view: InvocationView): RenderedAnswer };

function compileSend(spec: SignalRSendSpec): (context: RenderContext) => RenderedSend {
  const target = compileTemplate(spec.target);
  const args = compileValueTemplate(spec.args ?? []);
  const group = spec.group === undefined ? undefined : compileTemplate(spec.group);
  const to = spec.to ?? 'all';
  return (context) => ({ target: target.render(context), args: args.render(context) as unknown[], to, group: group?.render(context) });
}

function compileSpec(spec: SignalRMethodSpec): CompiledMethod {
  const sends = (spec.send === undefined ? [] : Array.isArray(spec.send) ? spec.send : [spec.send]).map(compileSend);
  const result = compileValueTemplate(spec.result);
  const error = spec.error === undefined ? undefined : compileTemplate(spec.error);
  const stream = spec.stream === undefined ? undefined : compileValueTemplate(spec.stream);
  return {
    kind: 'spec',
    render(scope, view) {
      const context = new InvocationRenderContext(scope, view);
      const outcome: RenderedAnswer['outcome'] = error
        ? { kind: 'error', message: error.render(context) }
        : stream
          ? { kind: 'stream', items: stream.render(context) as unknown[] }
          : { kind: 'result', value: result.render(context) };
      return { sends: sends.map((send) => send(context)), outcome };
    },
  };
}

function compileMethod(method: SignalRMethod | SignalRMethodHandler): CompiledMethod {
  if (typeof method === 'function') return { kind: 'function', handler: method };
  if (method === 'manual') return { kind: 'manual' };
  return compileSpec(method);
}

/** Compiles a mock's `methods` (validated already) into the lookup of a method by name, `*` answering the rest. */
export function compileMethods(methods: Record<string, SignalRMethod | SignalRMethodHandler> | undefined): (target: string) => CompiledMethod | undefined {
  const compiled = new Map(Object.entries(methods ?? {}).map(([name, method]) => [name, compileMethod(method)]));
  const fallback = compiled.get('*');
  return (target) => compiled.get(target) ?? fallback;
}
