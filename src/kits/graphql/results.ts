//
// Declarative results: what an `operations` entry sends. Strings in results
// are templates, compiled once with the mock (`compileValueTemplate`: a
// string that is one tag and nothing else, `"{{variables.id}}"`, keeps the
// variable's type).
//
import { compileValueTemplate, randomOf, RenderContext, walk, type TemplateScope } from '../../kit/index.js';
import { parseDuration } from '../../util/duration.js';
import type { GraphQLOperation } from './GraphQLOperation.js';
import { toResult, type ExecutionResult, type GraphQLFormattedError } from './protocol.js';
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
        return walk(op.variables, path, 1);
      case 'extensions':
        return walk(op.extensions, path, 1);
      case 'operationName':
        return path.length === 1 ? op.operationName : undefined;
      case 'id':
        return path.length === 1 ? op.id : undefined;
      default:
        return super.resolve(path);
    }
  }
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
  const compiled = items.map(compileValueTemplate);
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
