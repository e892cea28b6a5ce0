//
// The payload validators of one contract: one Ajv instance, every message
// schema compiled into it once, at load; a frame then costs one call of a
// compiled function.
//
// The loader hands over schemas whose `$ref`s are already replaced by their
// targets, so a recursive schema is a cyclic object graph. Ajv wants trees:
// each object that closes a cycle is added to the instance once under an id
// of its own, and every way back to it becomes a `$ref` to that id.
//
import type { ContractError, JsonSchema } from './model.js';
import type { AjvInstance, ErrorObject, SchemaLibs } from './libs.js';
import { jsonPath, pointerSegments } from './paths.js';
import { isObject } from './values.js';

/** A compiled payload check: the payload's errors, empty when it fits. */
export type PayloadCheck = (payload: unknown) => readonly ContractError[];

const NONE: readonly ContractError[] = Object.freeze([]);

// Keywords that only say "one of my branches failed": noise next to the
// branches' own errors, kept only when nothing more precise was reported.
const SUMMARY_KEYWORDS = new Set(['oneOf', 'anyOf', 'if']);

// Schema maps whose keys are names an author chose, not keywords.
const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies', 'dependentSchemas']);

// Values that are data, copied as they are.
const LITERALS = new Set(['const', 'enum', 'default', 'example', 'examples']);

// Keywords dropped from a schema before it is compiled: ids would clash when
// one schema is used by two messages, and `$schema` would make Ajv look for a
// meta-schema by URL.
const DROPPED = new Set(['$id', 'id', '$schema']);


function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Ajv's errors in wsmock's words: a JSON path per error (a missing property's own path), summary errors left out, duplicates merged. */
export function toContractErrors(errors: readonly ErrorObject[]): ContractError[] {
  const precise = errors.some((e) => !SUMMARY_KEYWORDS.has(e.keyword)) ? errors.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword)) : errors;
  const seen = new Set<string>();
  const out: ContractError[] = [];
  for (const error of precise) {
    const segments = pointerSegments(error.instancePath);
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? `must pass "${error.keyword}"`;
    if (error.keyword === 'required') {
      segments.push(String(params.missingProperty));
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      segments.push(String(params.additionalProperty));
      message = 'is not allowed (additionalProperties)';
    } else if (error.keyword === 'const') {
      message = `must be ${show(params.allowedValue)}`;
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(params.allowedValues as unknown[]).map(show).join(', ')}`;
    }
    const error2 = { path: jsonPath(segments), message, keyword: error.keyword };
    const key = `${error2.path}\u0000${error2.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(error2);
  }
  return out;
}

/** A payload schema that is not a valid JSON Schema: Ajv's errors, with places in the schema. */
export class InvalidSchema extends Error {
  /** Ajv's errors, `instancePath` being the place in the schema. */
  readonly errors: readonly ErrorObject[];

  constructor(errors: readonly ErrorObject[]) {
    super(errors[0]?.message ?? 'is not a valid JSON Schema');
    this.errors = errors;
  }
}

/** The payload validators of one contract: one Ajv instance, schemas compiled once. */
export class ContractValidators {
  readonly #ajv: AjvInstance;
  // Objects that close a cycle, by the id they were added under.
  readonly #cycles = new Map<object, string>();

  constructor(libs: SchemaLibs) {
    this.#ajv = libs.newAjv({ allErrors: true, strict: false, logger: false });
  }

  /** Compiles a payload schema (undefined: any payload). Throws Ajv's error when the schema itself is invalid. */
  compile(schema: JsonSchema | undefined): PayloadCheck {
    if (schema === undefined || schema === true) return () => NONE;
    const tree = this.#tree(schema, schema);
    if (!this.#ajv.validateSchema(tree)) throw new InvalidSchema(this.#ajv.errors ?? []);
    const validate = this.#ajv.compile(tree);
    return (payload) => {
      try {
        return validate(payload) ? NONE : toContractErrors(validate.errors ?? []);
      } catch (err) {
        // Ajv's deep-equal (for `const`, `enum`, `uniqueItems` on objects) calls a payload's own `valueOf`/`toString`:
        // a frame such as {"toString": 0} must be a violation, never a crash of the check.
        return [{ path: '$', message: `cannot be checked: ${(err as Error).message}`, keyword: 'exception' }];
      }
    };
  }

  /** A tree Ajv can compile from a possibly cyclic schema graph. */
  #tree(root: JsonSchema, node: JsonSchema): JsonSchema {
    const targets = cycleTargets(root);
    return this.#emit(node, targets, undefined, true) as JsonSchema;
  }

  #emit(node: unknown, targets: Set<object>, body: object | undefined, keywords: boolean): unknown {
    if (!isObject(node)) return node;
    if (targets.has(node) && node !== body) return { $ref: this.#register(node, targets) };
    if (Array.isArray(node)) return node.map((item) => this.#emit(item, targets, undefined, true));
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (keywords && DROPPED.has(key)) continue;
      out[key] = keywords && LITERALS.has(key) ? value : this.#emit(value, targets, undefined, !(keywords && NAME_MAPS.has(key)));
    }
    return out;
  }

  /** The id a cycle-closing object is added under, adding it the first time. */
  #register(node: object, targets: Set<object>): string {
    let id = this.#cycles.get(node);
    if (id === undefined) {
      id = `wsmock:schema:${this.#cycles.size + 1}`;
      this.#cycles.set(node, id);
      this.#ajv.addSchema(this.#emit(node, targets, node, true) as object, id);
    }
    return id;
  }
}

/** The objects of a graph that a path leads back to (a depth-first walk's back edges). */
function cycleTargets(root: unknown): Set<object> {
  const targets = new Set<object>();
  const onPath = new Set<object>();
  const done = new Set<object>();
  const walk = (node: unknown): void => {
    if (!isObject(node)) return;
    if (onPath.has(node)) {
      targets.add(node);
      return;
    }
    if (done.has(node)) return;
    onPath.add(node);
    for (const value of Object.values(node)) walk(value);
    onPath.delete(node);
    done.add(node);
  };
  walk(root);
  return targets;
}
