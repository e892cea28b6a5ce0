//
// describeOperation: the operation type and name read from a document
// without graphql, as the mock needs them.
//
import { describe, expect, it } from 'vitest';
import { describeOperation } from '../src/kits/graphql/document.js';

describe('describeOperation', () => {
  it.each([
    ['subscription OnPrice { price }', null, { type: 'subscription', name: 'OnPrice' }],
    ['mutation Save($a: Int = 1) { save(a: $a) }', undefined, { type: 'mutation', name: 'Save' }],
    ['{ user { id } }', undefined, { type: 'query', name: undefined }],
    ['query { a }', undefined, { type: 'query', name: undefined }],
    ['query A { a } subscription B { b }', 'B', { type: 'subscription', name: 'B' }],
    ['fragment F on User { id }\nquery GetUser { user { ...F } }', undefined, { type: 'query', name: 'GetUser' }],
    ['# subscription Commented { x }\nmutation Real { r }', undefined, { type: 'mutation', name: 'Real' }],
    ['subscription S($s: String = "} query Fake {") { s(x: """ { """) }', undefined, { type: 'subscription', name: 'S' }],
    ['subscription\n  Spaced\n{ s }', undefined, { type: 'subscription', name: 'Spaced' }],
  ] as const)('reads %j (operationName %s)', (query, operationName, expected) => {
    expect(describeOperation(query, operationName)).toEqual(expected);
  });

  it('keeps the request operationName even when the document does not define it, and reads unparseable text as a query', () => {
    expect(describeOperation('query A { a }', 'Missing')).toEqual({ type: 'query', name: 'Missing' });
    expect(describeOperation('', undefined)).toEqual({ type: 'query', name: undefined });
    expect(describeOperation('query A { a } query B { b }', undefined)).toEqual({ type: 'query', name: undefined });
  });
});
