//
// buildMessage: a contract message's payload, from its first example or
// generated from its schema with a SeededRandom (the same seed, the same
// payload), with overrides merged in. Property-based: whatever the seed, a
// generated payload fits its schema, for the fixtures' messages and for
// schemas drawn from the keywords the generator reads.
//
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMessage, generateFromSchema, mergeOverrides } from '../src/asyncapi/generate.js';
import { loadSchemaLibs } from '../src/asyncapi/libs.js';
import type { ContractMessage, JsonSchema } from '../src/asyncapi/model.js';
import { sampleFromPattern } from '../src/asyncapi/pattern.js';
import { ContractValidators } from '../src/asyncapi/validators.js';
import { loadAsyncApi, WsMockError } from '../src/index.js';
import type { AsyncApiContract } from '../src/index.js';
import { SeededRandom } from '../src/util/random.js';
import { root } from './helpers/pack.js';

const fixture = (name: string) => join(root, 'test', 'fixtures', 'asyncapi', 'load', name);

/** The message as if it had no example: buildMessage must generate. */
const withoutExamples = (message: ContractMessage): ContractMessage => ({ ...message, examples: [], validate: (p) => message.validate(p) });

/** Every contract under test/fixtures/asyncapi (the real APIs' and the loader's), not the invalid ones nor the files they refer to. */
function contractFiles(dir = join(root, 'test', 'fixtures', 'asyncapi')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'bad' ? [] : contractFiles(path);
    return /\.(ya?ml|json)$/.test(entry.name) && /^\s*"?asyncapi"?\s*:/m.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

let v2: AsyncApiContract;
let v3: AsyncApiContract;
let all: ContractMessage[];
let validators: ContractValidators;

beforeAll(async () => {
  [v2, v3] = await Promise.all([loadAsyncApi(fixture('chat-2.6.yaml')), loadAsyncApi(fixture('chat-3.0.yaml'))]);
  const contracts = await Promise.all(contractFiles().map((file) => loadAsyncApi(file)));
  all = contracts.flatMap((contract) => [...contract.messages.values()]);
  validators = new ContractValidators(await loadSchemaLibs());
});

describe('issue 26: buildMessage', () => {
  it('returns a copy of the first example, as written even when it fails its schema', () => {
    const pong = v3.message('pong')!;
    const built = buildMessage(pong, new SeededRandom(1));
    expect(built).toEqual({ type: 'pong', id: 'one' });
    expect(built).not.toBe(pong.examples[0]);
    (built as { id: string }).id = 'changed';
    expect(pong.examples[0]).toEqual({ type: 'pong', id: 'one' });
  });

  it('generates from the schema when there is no example: valid, and the same for the same seed', () => {
    const said = v3.message('said')!;
    const first = buildMessage(said, new SeededRandom(7));
    expect(said.validate(first)).toEqual([]);
    expect(buildMessage(said, new SeededRandom(7))).toEqual(first);
    expect(first).toMatchObject({ type: 'said', text: expect.any(String), from: expect.stringMatching(/^user\d+@example\.com$/), seq: expect.any(Number) });
    const others = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(buildMessage(said, new SeededRandom(seed))));
    expect(new Set(others).size).toBeGreaterThan(1);
  });

  it('merges overrides into an object payload: maps deep, arrays and scalars replaced, undefined removes', () => {
    const base = { type: 'said', meta: { a: 1, b: [1, 2] }, gone: true };
    expect(mergeOverrides(base, { meta: { b: [3] }, gone: undefined, extra: 'x' })).toEqual({ type: 'said', meta: { a: 1, b: [3] }, extra: 'x' });
    expect(base).toEqual({ type: 'said', meta: { a: 1, b: [1, 2] }, gone: true });
    expect(mergeOverrides('text', { a: 1 })).toEqual({ a: 1 });
    expect(mergeOverrides({ a: 1 }, 5)).toBe(5);
    const said = buildMessage(v3.message('said')!, new SeededRandom(7), { text: 'hello', seq: 3 });
    expect(said).toMatchObject({ type: 'said', text: 'hello', seq: 3 });
    expect(buildMessage(v3.message('pong')!, new SeededRandom(7), { id: 4 })).toEqual({ type: 'pong', id: 4 });
  });

  it('a recursive schema is generated down to its required part', () => {
    const tree = v2.message('tree')!;
    const value = buildMessage(tree, new SeededRandom(3));
    expect(tree.validate(value)).toEqual([]);
    expect(value).toMatchObject({ name: expect.any(String) });
  });

  it('a schema no value fits (not: {}) loads, and is an error naming the message and the JSON path when a payload is built', async () => {
    const contract = await loadAsyncApi({
      asyncapi: '3.0.0',
      info: { title: 'T', version: '1' },
      channels: {
        c: {
          address: '/c',
          messages: {
            never: { name: 'never', payload: { type: 'object', properties: { reqid: { not: {} } }, required: ['reqid'] } },
            range: { name: 'range', payload: { type: 'object', properties: { n: { type: 'integer', minimum: 5, maximum: 4 } }, required: ['n'] } },
            fixed: { name: 'fixed', payload: { not: {} }, examples: [{ payload: 'given' }] },
          },
        },
      },
    });
    const attempt = (key: string) => {
      try {
        buildMessage(contract.message(key)!, new SeededRandom(1));
      } catch (err) {
        return err as WsMockError;
      }
      throw new Error(`${key} built`);
    };
    const never = attempt('never');
    expect(never).toBeInstanceOf(WsMockError);
    expect(never.code).toBe('WSMOCK_ERR_INVALID_CONFIG');
    expect(never.issues).toEqual([{ path: '$.reqid', message: 'cannot generate a payload: allows no value (not: {}); give the message an example or pass the payload yourself' }]);
    expect(never.message).toContain('message "c.never" of the contract');
    expect(attempt('range').issues![0]).toMatchObject({ path: '$.n', message: expect.stringContaining('has no integer from 5 to 4') });
    expect(() => generateFromSchema({ type: 'object', properties: { a: { type: 'array', items: false, minItems: 1 } }, required: ['a'] }, new SeededRandom(1), 'x')).toThrow(
      expect.objectContaining({ issues: [{ path: '$.a[0]', message: expect.stringContaining('allows no value (false)') }] }),
    );
    // With an example, nothing is generated.
    expect(buildMessage(contract.message('fixed')!, new SeededRandom(1))).toBe('given');
  });

  it('a rule it does not generate for (a lookahead pattern) is named with its keyword', async () => {
    const contract = await loadAsyncApi({
      asyncapi: '2.6.0',
      info: { title: 'T', version: '1' },
      channels: { '/c': { subscribe: { message: { name: 'code', payload: { type: 'string', pattern: '^(?=A)[A-Z]{3}$' } } } } },
    });
    expect(() => buildMessage(contract.message('code')!, new SeededRandom(1))).toThrow(expect.objectContaining({ issues: [{ path: '$', message: expect.stringContaining('(keyword "pattern")') }] }));
  });
});

describe('issue 26: generated payloads fit their schemas (property-based)', () => {
  it('every message of every fixture contract, whatever the seed, and the same seed gives the same payload', () => {
    expect(all.length).toBeGreaterThanOrEqual(11);
    const messages = all.map(withoutExamples);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(...messages), (seed, message) => {
        const value = buildMessage(message, new SeededRandom(seed));
        expect(message.validate(value)).toEqual([]);
        expect(buildMessage(message, new SeededRandom(seed))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  // Schemas made of the keywords the generator reads.
  const leaf: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.record({ type: fc.constant('string'), format: fc.constantFrom('date-time', 'date', 'time', 'uuid', 'email', 'uri', 'hostname', 'ipv4') }),
    fc.integer({ min: 0, max: 20 }).chain((min) => fc.record({ type: fc.constant('string'), minLength: fc.constant(min), maxLength: fc.integer({ min, max: min + 30 }) }, { requiredKeys: ['type'] })),
    fc.record({ type: fc.constant('string'), pattern: fc.constantFrom('^[A-Z]{3}/[A-Z]{3}$', '[A-Z\\s]+\\/[A-Z\\s]+', '^\\d{4}-\\d{2}$', '^(buy|sell)$', '^[a-f0-9]{8,12}$', '^x?y+z*$') }),
    // Bounds that hold a multiple of multipleOf: a schema no value fits is an error, tested above.
    fc.tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 0, max: 50 }), fc.constantFrom(1, 5, 10)).chain(([low, span, step]) =>
      fc.record(
        { type: fc.constantFrom('integer', 'number'), minimum: fc.constant(low * step), maximum: fc.constant((low + span) * step), multipleOf: fc.constant(step) },
        { requiredKeys: ['type'] },
      ),
    ),
    fc.record({ type: fc.constantFrom('number', 'integer'), exclusiveMinimum: fc.constant(0), exclusiveMaximum: fc.constant(10) }),
    fc.record({ type: fc.constantFrom('boolean', 'null') }),
    fc.record({ enum: fc.uniqueArray(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 4 }) }),
    fc.record({ const: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.constantFrom('x', 'y'), fc.integer(), { noNullPrototype: true })) }),
    fc.record({ type: fc.constant('integer'), default: fc.integer() }),
  );
  const schema = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ type: fc.constant('array'), items: tie('node'), minItems: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: ['type', 'items'] }),
      fc
        .dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), tie('node'), { maxKeys: 4 })
        .chain((properties) => fc.record({ type: fc.constant('object'), properties: fc.constant(properties), required: fc.subarray(Object.keys(properties)) })),
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((branches) => ({ anyOf: branches })),
      fc
        .tuple(fc.dictionary(fc.constantFrom('a', 'b'), leaf, { minKeys: 1, maxKeys: 2 }), fc.dictionary(fc.constantFrom('c', 'd'), leaf, { minKeys: 1, maxKeys: 2 }))
        .map(([one, two]) => ({ allOf: [{ type: 'object', properties: one, required: Object.keys(one) }, { properties: two, required: Object.keys(two) }] })),
    ),
  })).node;

  it('schemas drawn from the keywords it reads (types, formats, bounds, patterns, enum, const, allOf, anyOf, nesting)', () => {
    fc.assert(
      fc.property(schema, fc.integer({ min: 0, max: 0xffff_ffff }), (drawn, seed) => {
        const check = validators.compile(drawn as JsonSchema);
        const value = generateFromSchema(drawn as JsonSchema, new SeededRandom(seed));
        expect(check(value)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('a pattern sample matches its pattern', () => {
    const patterns = ['^[A-Z]{3}/[A-Z]{3}$', '[A-Z\\s]+\\/[A-Z\\s]+', '^\\d{4}-\\d{2}-\\d{2}$', '^(?:buy|sell|hold)$', '^[^a-z]{2,5}$', '^\\w+@\\w+\\.com$', '^v\\d+(\\.\\d+){0,2}$', '^[-+]?[0-9]*\\.?[0-9]+$'];
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.integer({ min: 0, max: 0xffff_ffff }), (pattern, seed) => {
        const random = new SeededRandom(seed);
        const sample = sampleFromPattern(pattern, (min, max) => min + Math.floor(random.next() * (max - min + 1)));
        expect(sample).toBeDefined();
        expect(new RegExp(pattern, 'u').test(sample!)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(sampleFromPattern('^(?=A)B$', () => 0)).toBeUndefined();
    expect(sampleFromPattern('(a)\\1', () => 0)).toBeUndefined();
  });
});
