//
// Declarative results: what an `operations` entry sends. Strings in results
// are templates, compiled once with the mock. A string that is one tag and
// nothing else (`"{{variables.id}}"`) becomes the variable's value with its
// type, so numbers stay numbers; any other string renders as text.
//
import { RenderContext, compileTemplate, type TemplateScope } from '../../behaviour/templates.js';
import { randomOf } from '../../connections/Connection.js';
import { parseDuration } from '../../util/duration.js';
import type { GraphQLOperation } from './GraphQLOperation.js';
import { isObject, toResult, type ExecutionResult, type GraphQLFormattedError } from './protocol.js';
import type { OperationSpec } from './fields.js';

/** What a template renders against, besides the response variables: the operation. */
class OperationContext extends RenderContext {
  readonly #operation: GraphQLOperation;

  constructor(scope: TemplateScope, operation: GraphQLOperation) {
    super(scope);
    this.#operation = operation;
  }

  override resolve(path: readonly string[]): unknown {
    const op = this.#operation;
    switch (path[0]) {
      case 'variables':
        return walk(op.variables, path);
      case 'extensions':
        return walk(op.extensions, path);
      case 'operationName':
        return path.length === 1 ? op.operationName : undefined;
      case 'id':
        return path.length === 1 ? op.id : undefined;
      default:
        return super.resolve(path);
    }
  }
}

function walk(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (let i = 1; i < path.length; i++) {
    if (!isObject(node) || !Object.hasOwn(node, path[i]!)) return undefined;
    node = node[path[i]!];
  }
  return node;
}

type Render = (context: RenderContext) => unknown;

const WHOLE_TAG = /^\{\{\s*([^{}#^/!>&=\s]+)\s*\}\}$/;

/** Compiles a JSON value whose strings may hold templates; constant parts are kept as they are. */
function compileValue(value: unknown): { constant: boolean; render: Render } {
  if (typeof value === 'string') {
    const whole = WHOLE_TAG.exec(value);
    if (whole) {
      const path = whole[1] === '.' ? ['.'] : whole[1]!.split('.');
      return { constant: false, render: (context) => context.resolve(path) };
    }
    const template = compileTemplate(value);
    return template.constant ? { constant: true, render: () => value } : { constant: false, render: (context) => template.render(context) };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileValue);
    if (items.every((item) => item.constant)) return { constant: true, render: () => value };
    return { constant: false, render: (context) => items.map((item) => item.render(context)) };
  }
  if (isObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([key, item]) => [key, compileValue(item)] as const);
    if (entries.every(([, item]) => item.constant)) return { constant: true, render: () => value };
    return { constant: false, render: (context) => Object.fromEntries(entries.map(([key, item]) => [key, item.render(context)])) };
  }
  return { constant: true, render: () => value };
}

/** What a compiled `operations` entry does to an operation. */
export interface CompiledSpec {
  /** The results to send, rendered for this operation. */
  results(operation: GraphQLOperation, scope: Omit<TemplateScope, 'sequence'>): ExecutionResult[];
  /** Errors to fail the operation with instead of results. */
  readonly error: GraphQLFormattedError[] | undefined;
  /** Milliseconds between two results. */
  readonly interval: number;
  readonly complete: boolean;
}

/** Compiles an `operations` entry once, with the mock. */
export function compileSpec(spec: OperationSpec): CompiledSpec {
  const single = spec.data !== undefined || spec.errors !== undefined;
  const items = single ? [{ ...(spec.data !== undefined ? { data: spec.data } : {}), ...(spec.errors ? { errors: spec.errors } : {}) }] : (spec.next ?? []);
  const compiled = items.map(compileValue);
  return {
    results: (operation, scope) =>
      compiled.map((item, i) => toResult(item.render(new OperationContext({ ...scope, sequence: i + 1 }, operation)))),
    error: spec.error,
    interval: parseDuration(spec.interval) ?? 0,
    complete: spec.complete !== false,
  };
}

/** The scope templates of `operation` render in (the subscribe frame is `{{message}}`). */
export function scopeOf(operation: GraphQLOperation, connectionCount: () => number): Omit<TemplateScope, 'sequence'> {
  const connection = operation.connection.connection;
  return { connection, message: operation.message, connectionCount, uuid: () => randomOf(connection).uuid() };
}
