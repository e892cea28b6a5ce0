//
// The jsonpath-plus adapter (src/behaviour/jsonPath.ts), and what jsonpath-plus
// itself does with the inputs wsmock relies on. An upgrade of jsonpath-plus
// that changes one of these fails here, not in a user's mock.
//
import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { checkExpression, compileQuery } from '../src/behaviour/jsonPath.js';

const select = (path: string, root: unknown) => compileQuery(path)(root);

describe('compileQuery', () => {
  it('selects with filters, wildcards, recursive descent, slices and scripts, in document order', () => {
    const doc = { items: [{ n: 1, name: 'a' }, { n: 5, name: 'b' }, { n: 9, name: 'c' }], deep: { x: { n: 7 } } };
    expect(select('$.items[?(@.n > 2)].name', doc)).toEqual(['b', 'c']);
    expect(select('$.items[*].n', doc)).toEqual([1, 5, 9]);
    expect(select('$..n', doc)).toEqual([1, 5, 9, 7]);
    expect(select('$.items[-1:].name', doc)).toEqual(['c']);
    expect(select('$.items[(@.length-1)].name', doc)).toEqual(['c']);
    expect(select('$.missing[*]', doc)).toEqual([]);
  });

  it('@root is the frame being evaluated, with one query used on many frames', () => {
    const query = compileQuery('$.items[?(@ === @root.want)]');
    expect(query({ want: 2, items: [1, 2, 3] })).toEqual([2]);
    expect(query({ want: 3, items: [1, 2, 3] })).toEqual([3]);
    // Why compileQuery does not reuse one evaluator for it: jsonpath-plus's own
    // evaluator keeps the document it was made with as @root.
    const reused = JSONPath({ path: '$.items[?(@ === @root.want)]', json: { want: 1 }, autostart: false, eval: 'safe', ignoreEvalErrors: true });
    expect(reused.evaluate('$.items[?(@ === @root.want)]', { want: 2, items: [1, 2, 3] }, undefined, undefined)).toEqual([1]);
  });

  it('a filter that throws on one item skips that item, not the frame', () => {
    expect(select('$[?(@.a.b == 1)]', [{}, { a: { b: 1 } }, { a: null }])).toEqual([{ a: { b: 1 } }]);
  });

  it('filters may use the @-variables jsonpath-plus documents', () => {
    const doc = { a: { keep: 1, drop: 2 } };
    expect(select('$.a[?(@property === "keep")]', doc)).toEqual([1]);
    expect(select('$.a[?(@parentProperty === "a" && @ > 1)]', doc)).toEqual([2]);
    expect(select('$.a[?(@ === @root.a.keep)]', doc)).toEqual([1]);
    expect(select('$.a[?(@path === "$[\'a\'][\'drop\']")]', doc)).toEqual([2]);
  });

  it('filters run in safe mode: globals are not defined, so they select nothing', () => {
    expect(select('$[?(process.exit(1))]', [1, 2])).toEqual([]);
    expect(select('$[?(typeof require === "function")]', [1, 2])).toEqual([]);
  });

  it('a document that is not an object or an array selects nothing', () => {
    for (const root of [null, undefined, 0, 7, '', 'text', true]) expect(select('$..a', root)).toEqual([]);
  });

  it('a document deep enough to overflow jsonpath-plus\'s recursion selects nothing instead of throwing', () => {
    let deep: unknown = { n: 1 };
    for (let i = 0; i < 20_000; i++) deep = { n: deep };
    expect(() => JSONPath({ path: '$..n', json: deep as object, eval: 'safe' })).toThrow(RangeError);
    expect(select('$..n', deep)).toEqual([]);
  });

  it('a filter that does not parse throws on every frame, ignoreEvalErrors or not, and the query selects nothing', () => {
    expect(() => JSONPath({ path: '$[?(@.n >)]', json: [{ n: 1 }], eval: 'safe', ignoreEvalErrors: true })).toThrow(/Expected expression/);
    expect(select('$[?(@.n >)]', [{ n: 1 }])).toEqual([]);
  });

  it('jsonpath-plus accepts malformed paths silently, which is why checkJsonPath checks their shape', () => {
    for (const path of ['$.a[0', '$.a]', '$[', "$['a"]) {
      expect(() => JSONPath({ path, json: { a: [1] }, eval: 'safe' })).not.toThrow();
    }
  });
});

describe('checkExpression', () => {
  it('accepts filters and scripts jsonpath-plus can run', () => {
    for (const expression of [
      '?(@.price < 10)',
      '?(@.b == "x]")',
      "?(@['a b'] == 1)",
      '?(@.id)',
      '?()',
      '?(@.a ? 1 : 2)',
      '?(@property > 1 && @parent && @parentProperty && @root && @path)',
      '?(/ab+c/i.test(@.name))',
      '(@.length-1)',
      '("x")',
    ]) {
      expect(checkExpression(expression), expression).toBeUndefined();
    }
  });

  it('reports the parser\'s message for one that does not parse', () => {
    expect(checkExpression('?(@.price <)')).toMatch(/^Expected expression after < at character \d+$/);
    expect(checkExpression('(@.length -)')).toMatch(/^Expected expression after - at character \d+$/);
    expect(checkExpression('?(@.a ==)')).toMatch(/Expected expression/);
    expect(checkExpression('?(1.1.1)')).toBeTypeOf('string');
  });

  it('errors while running an expression are not held against it: they depend on the frame', () => {
    for (const expression of ['?(@.a.b.c.d)', '?(process.exit(1))', '?(@.constructor)', '?(@.a.__proto__)', '?(@.toString())', '?(@.push(1))', '?(undefinedName)']) {
      expect(checkExpression(expression), expression).toBeUndefined();
    }
  });

  it('jsonpath-plus rewrites @ only before ".", "[", ")" or a space: a trailing @ does not parse (and never matches a frame)', () => {
    expect(checkExpression('?(@)')).toMatch(/Unexpected "@"/);
    expect(checkExpression('?(1 == @)')).toMatch(/Expected expression/);
    expect(checkExpression('?(@ == 1)')).toBeUndefined();
    expect(select('$[?(@)]', [1, 2])).toEqual([]);
    expect(select('$[?(@ == 1)]', [1, 2])).toEqual([1]);
  });

  it('checks the inner expression of a filter nested in a filter, which jsonpath-plus runs on its own', () => {
    expect(checkExpression('?(@.items[?(@.n > 1)])')).toBeUndefined();
    expect(checkExpression('?(@.items[?(@.n >)])')).toMatch(/Expected expression after >/);
    expect(select('$[?(@.items[?(@.n > 1)])].id', [{ id: 'a', items: [{ n: 2 }] }, { id: 'b', items: [{ n: 0 }] }])).toEqual(['a']);
  });

  it('a script nested in a filter may name a property the probe lacks: that is the frame\'s business', () => {
    expect(checkExpression('?(@.a[(@.length-2)])')).toBeUndefined();
    expect(checkExpression('?(@.a[(@.x)])')).toBeUndefined();
    // What jsonpath-plus does with it on a frame: a TypeError out of its walk, not a parse error.
    expect(() => JSONPath({ path: '$[?(@.a[(@.x)])]', json: [{ a: [1] }], eval: 'safe', ignoreEvalErrors: true })).toThrow(TypeError);
  });

  it('a parse error is a plain Error, not a TypeError or RangeError (how the two are told apart)', () => {
    let thrown: unknown;
    try {
      JSONPath({ path: '$[?(@.n >)]', json: [{ n: 1 }], eval: 'safe', ignoreEvalErrors: true });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(TypeError);
    expect(thrown).not.toBeInstanceOf(RangeError);
  });

  it('never throws, whatever the text', () => {
    for (const expression of ['?(', '(', '?((((', '?(@.a[?(@.b[?(@.c', "?('", '?(`)', '?(@..x)', '?(@.a[(@.b[(@.c)])])', '?(\u0000)']) {
      expect(() => checkExpression(expression), expression).not.toThrow();
    }
  });
});
