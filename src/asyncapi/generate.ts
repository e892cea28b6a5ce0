//
// A payload for a contract message: its first example when it has one (as
// written, even when it fails its own schema: the loader warned about that),
// else one made from its schema, drawing from a SeededRandom so a run repeats.
//
// The generator reads `const`, `enum`, `default` and `examples` first, then
// the type: strings (formats date-time, date, time, uuid, email, uri,
// hostname, ipv4; min/maxLength), numbers and integers (minimum, maximum,
// exclusive bounds, multipleOf), booleans, null, arrays (items, minItems) and
// objects (required properties always, the others near the root). `allOf`
// is merged, `oneOf`/`anyOf` take their first branch. A recursive schema is
// followed until only its required part is left.
//
// What it makes is validated against the schema before it is returned: a rule
// it does not read (`pattern`, `not`, ...) that the value breaks, or a schema
// no value fits (`not: {}`, `false`, a minimum above the maximum), is a
// WSMOCK_ERR_INVALID_CONFIG naming the message and the JSON path, raised when
// a payload is asked for, never at load.
//
import { cannotGenerateMessage } from '../errors/catalogue.js';
import type { SeededRandom } from '../util/random.js';
import type { ContractError, ContractMessage, JsonSchema } from './model.js';
import { jsonPath } from './paths.js';
import { sampleFromPattern } from './pattern.js';
import { isMap } from './values.js';

// Past this depth only required properties and minItems are made.
const OPTIONAL_DEPTH = 3;
// Past this depth the schema requires itself without end.
const MAX_DEPTH = 32;

const DAY_MS = 24 * 60 * 60 * 1000;
const EPOCH_2024 = Date.UTC(2024, 0, 1);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';


function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

/** A schema that any value fits: `{}`, `true`, or only annotations. */
function allowsAnything(schema: unknown): boolean {
  if (schema === true) return true;
  if (!isMap(schema)) return false;
  return Object.keys(schema).every((k) => k === 'description' || k === 'title' || k === '$comment' || k.startsWith('x-'));
}

/** Two schemas as one (for `allOf`, and a `oneOf` branch with its parent): properties merged, `required` joined, `type`s intersected. */
function mergeSchemas(a: Record<string, unknown>, b: unknown): Record<string, unknown> {
  if (!isMap(b)) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    if (key === 'properties' && isMap(mine) && isMap(value)) {
      const properties: Record<string, unknown> = { ...mine };
      for (const [name, schema] of Object.entries(value)) properties[name] = name in properties && properties[name] !== schema ? { allOf: [properties[name], schema] } : schema;
      out.properties = properties;
    } else if (key === 'required' && Array.isArray(mine) && Array.isArray(value)) {
      out.required = [...new Set([...mine, ...value])];
    } else if (key === 'type' && mine !== undefined) {
      const left = Array.isArray(mine) ? mine : [mine];
      const both = (Array.isArray(value) ? value : [value]).filter((t) => left.includes(t) || (t === 'integer' && left.includes('number')));
      out.type = both.length === 1 ? both[0] : both;
    } else if (key === 'allOf' && Array.isArray(mine) && Array.isArray(value)) {
      out.allOf = [...mine, ...value];
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Whether a value has one of the schema's `type`s (no `type`: any value). A default of the wrong type is not used. */
function fitsType(value: unknown, type: unknown): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'null':
        return value === null;
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isMap(value);
      case 'integer':
        return Number.isInteger(value);
      default:
        return typeof value === t;
    }
  });
}

function without(schema: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = schema;
  return rest;
}

/** Makes values for one message's schema. */
class Generator {
  readonly #key: string;
  readonly #random: SeededRandom;
  readonly #ancestors: unknown[] = [];
  // Which branch of every `oneOf`/`anyOf` to take (modulo its length): a first try takes the first.
  readonly #branch: number;

  constructor(key: string, random: SeededRandom, branch = 0) {
    this.#key = key;
    this.#random = random;
    this.#branch = branch;
  }

  #fail(path: readonly (string | number)[], why: string): Error {
    return cannotGenerateMessage(this.#key, jsonPath(path), why);
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#random.next() * (max - min + 1));
  }

  value(schema: unknown, path: (string | number)[]): unknown {
    if (path.length > MAX_DEPTH) throw this.#fail(path, `requires itself more than ${MAX_DEPTH} levels deep`);
    if (schema === undefined || schema === true) return {};
    if (schema === false) throw this.#fail(path, 'allows no value (false)');
    if (!isMap(schema)) return {};
    if ('not' in schema && allowsAnything(schema.not)) throw this.#fail(path, 'allows no value (not: {})');
    if ('const' in schema) return clone(schema.const);
    if (Array.isArray(schema.enum)) {
      const allowed = schema.enum.filter((v) => fitsType(v, schema.type));
      if (allowed.length === 0) throw this.#fail(path, schema.enum.length === 0 ? 'allows no value (enum: [])' : `allows no value (no value of its enum is of type ${JSON.stringify(schema.type)})`);
      return clone(allowed[this.#int(0, allowed.length - 1)]);
    }
    if ('default' in schema && fitsType(schema.default, schema.type)) return clone(schema.default);
    const example = Array.isArray(schema.examples) ? schema.examples.find((v) => fitsType(v, schema.type)) : undefined;
    if (example !== undefined) return clone(example);
    if (Array.isArray(schema.allOf)) return this.value(schema.allOf.reduce<Record<string, unknown>>(mergeSchemas, without(schema, 'allOf')), path);
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) {
        if (branches.length === 0) throw this.#fail(path, `allows no value (${key}: [])`);
        return this.value(mergeSchemas(without(schema, key), branches[this.#branch % branches.length]), path);
      }
    }
    this.#ancestors.push(schema);
    try {
      return this.#typed(schema, path);
    } finally {
      this.#ancestors.pop();
    }
  }

  #typeOf(schema: Record<string, unknown>): string | undefined {
    const type = schema.type;
    if (typeof type === 'string') return type;
    if (Array.isArray(type)) return (type.find((t) => t !== 'null') ?? type[0]) as string | undefined;
    if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema) return 'object';
    if ('items' in schema || 'minItems' in schema) return 'array';
    if ('minLength' in schema || 'maxLength' in schema || 'pattern' in schema || 'format' in schema) return 'string';
    if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return 'number';
    return undefined;
  }

  #typed(schema: Record<string, unknown>, path: (string | number)[]): unknown {
    switch (this.#typeOf(schema)) {
      case 'string':
        return this.#string(schema);
      case 'integer':
        return this.#number(schema, path, true);
      case 'number':
        return this.#number(schema, path, false);
      case 'boolean':
        return this.#random.next() < 0.5;
      case 'null':
        return null;
      case 'array':
        return this.#array(schema, path);
      case 'object':
        return this.#object(schema, path);
      case undefined:
        return {};
      default:
        throw this.#fail(path, `has an unknown type ${JSON.stringify(schema.type)}`);
    }
  }

  #string(schema: Record<string, unknown>): string {
    const n = this.#int(1, 9999);
    if (typeof schema.pattern === 'string') {
      const sample = sampleFromPattern(schema.pattern, (min, max) => this.#int(min, max));
      if (sample !== undefined) return sample;
    }
    switch (schema.format) {
      case 'date-time':
        return new Date(EPOCH_2024 + this.#int(0, 365 * 24 * 3600) * 1000).toISOString();
      case 'date':
        return new Date(EPOCH_2024 + this.#int(0, 365) * DAY_MS).toISOString().slice(0, 10);
      case 'time':
        return `${new Date(EPOCH_2024 + this.#int(0, 24 * 3600 - 1) * 1000).toISOString().slice(11, 19)}Z`;
      case 'uuid':
        return this.#random.uuid();
      case 'email':
        return `user${n}@example.com`;
      case 'uri':
      case 'url':
      case 'iri':
        return `https://example.com/item/${n}`;
      case 'uri-reference':
      case 'iri-reference':
        return `/item/${n}`;
      case 'hostname':
        return `host${n}.example.com`;
      case 'ipv4':
        return `10.${this.#int(0, 255)}.${this.#int(0, 255)}.${this.#int(1, 254)}`;
      case 'ipv6':
        return `fd00::${n.toString(16)}`;
    }
    const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(min, 12);
    const length = Math.min(max, Math.max(min, this.#int(Math.min(6, max), Math.min(10, max))));
    let out = '';
    for (let i = 0; i < length; i++) out += LETTERS[this.#int(0, LETTERS.length - 1)];
    return out;
  }

  #number(schema: Record<string, unknown>, path: (string | number)[], integer: boolean): number {
    const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
    const step = integer ? 1 : 0.01;
    let min = num('minimum') ?? (num('exclusiveMinimum') !== undefined ? num('exclusiveMinimum')! + step : undefined);
    let max = num('maximum') ?? (num('exclusiveMaximum') !== undefined ? num('exclusiveMaximum')! - step : undefined);
    min ??= max !== undefined ? Math.min(0, max - 1000) : 0;
    max ??= min + 1000;
    const multipleOf = num('multipleOf') ?? (integer ? 1 : undefined);
    if (multipleOf !== undefined && multipleOf > 0) {
      const low = Math.ceil(min / multipleOf);
      const high = Math.floor(max / multipleOf);
      if (low > high) throw this.#fail(path, `has no ${integer ? 'integer' : 'number'} from ${min} to ${max}${num('multipleOf') !== undefined ? ` that is a multiple of ${multipleOf}` : ''}`);
      const k = this.#int(low, high);
      return Number.isInteger(multipleOf) ? k * multipleOf : Number((k * multipleOf).toPrecision(12));
    }
    if (min > max) throw this.#fail(path, `has no number from ${min} to ${max}`);
    const value = Math.round((min + this.#random.next() * (max - min)) * 100) / 100;
    return Math.min(max, Math.max(min, value));
  }

  #array(schema: Record<string, unknown>, path: (string | number)[]): unknown[] {
    const items = schema.items;
    if (Array.isArray(items)) return items.map((item, i) => this.value(item, [...path, i]));
    const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Number.POSITIVE_INFINITY;
    const recursive = this.#ancestors.includes(items);
    const length = Math.min(maxItems, Math.max(minItems, path.length < OPTIONAL_DEPTH && !recursive ? 1 : 0));
    return Array.from({ length }, (_, i) => this.value(items, [...path, i]));
  }

  #object(schema: Record<string, unknown>, path: (string | number)[]): Record<string, unknown> {
    const properties = isMap(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
    const out: Record<string, unknown> = {};
    for (const [name, sub] of Object.entries(properties)) {
      const optional = !required.has(name);
      if (optional && (path.length >= OPTIONAL_DEPTH || this.#ancestors.includes(sub))) continue;
      out[name] = this.value(sub, [...path, name]);
    }
    for (const name of required) {
      if (name in out) continue;
      const extra = schema.additionalProperties;
      out[name] = this.value(isMap(extra) ? extra : {}, [...path, name]);
    }
    return out;
  }
}

/** `overrides` merged into `base`: maps merged key by key (an `undefined` value removes the key), anything else replaced. */
export function mergeOverrides(base: unknown, overrides: unknown): unknown {
  if (overrides === undefined) return base;
  if (!isMap(base) || !isMap(overrides)) return clone(overrides);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else out[key] = mergeOverrides(base[key], value);
  }
  return out;
}

/** A value made from `schema` for message `key` (no example read, nothing validated), taking branch `branch` of each `oneOf`/`anyOf`. */
export function generateFromSchema(schema: JsonSchema | undefined, random: SeededRandom, key = 'payload', branch = 0): unknown {
  return new Generator(key, random, branch).value(schema, []);
}

// A `oneOf` whose first branch also fits another fails; the next tries take other branches.
const BRANCH_TRIES = 4;

/**
 * A payload of `message`: a copy of its first example, else one generated from
 * its schema with `random` (the same seed gives the same payload), with
 * `overrides` deep-merged into it (maps merged, anything else replaced).
 * Throws `WSMOCK_ERR_INVALID_CONFIG` naming the message and the JSON path when
 * its schema cannot give a value.
 */
export function buildMessage(message: ContractMessage, random: SeededRandom, overrides?: unknown): unknown {
  let base: unknown;
  if (message.examples.length > 0) {
    base = clone(message.examples[0]);
  } else {
    let errors: readonly ContractError[] = [];
    for (let branch = 0; branch < BRANCH_TRIES; branch++) {
      base = generateFromSchema(message.payload, random, message.key, branch);
      errors = message.validate(base);
      if (errors.length === 0) break;
    }
    if (errors.length > 0) {
      const first = errors[0]!;
      throw cannotGenerateMessage(message.key, first.path, `the value made for it ${first.message} (keyword "${first.keyword}"), a rule wsmock does not generate for`);
    }
  }
  return mergeOverrides(base, overrides);
}
