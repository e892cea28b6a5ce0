import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postgresChangesFilter } from '@supabase/realtime-js';
import { parseFilter, recordMatches } from '../src/kits/phoenix/supabase/filter.js';
import { changeMatches, joinSubscriptions, readSubscription, subscriptionId } from '../src/kits/phoenix/supabase/subscriptions.js';

// The postgres_changes filter as Realtime reads it (its parser's documented
// cases) and applies it (is_visible_through_filters / check_equality_op).

const conditions = (filter: string) => {
  const parsed = parseFilter(filter);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.conditions;
};
const matches = (filter: string, row: Record<string, unknown>) => recordMatches(conditions(filter), row);

describe('issue 24: Supabase Realtime filter parsing', () => {
  it('reads the cases Realtime documents', () => {
    expect(parseFilter('subject=eq.hey')).toEqual({ conditions: [{ column: 'subject', op: 'eq', value: 'hey', negate: false }] });
    expect(parseFilter('subject=in.(hidee,ho)')).toEqual({ conditions: [{ column: 'subject', op: 'in', value: ['hidee', 'ho'], negate: false }] });
    expect(parseFilter('subject=not.like.hey%')).toEqual({ conditions: [{ column: 'subject', op: 'like', value: 'hey%', negate: true }] });
    expect(parseFilter('id=gt.0,id=lt.100')).toEqual({
      conditions: [
        { column: 'id', op: 'gt', value: '0', negate: false },
        { column: 'id', op: 'lt', value: '100', negate: false },
      ],
    });
    expect(parseFilter('   ')).toEqual({ conditions: [] });
    expect(parseFilter('name=eq."a,b"')).toEqual({ conditions: [{ column: 'name', op: 'eq', value: 'a,b', negate: false }] });
  });

  it('gives Realtime\'s messages for filters it cannot read', () => {
    expect(parseFilter('subject=foo.hey')).toEqual({ error: 'Error parsing `filter` params: ["foo", "hey"]' });
    expect(parseFilter('undefined')).toEqual({ error: 'Error parsing `filter` params: ["undefined"]' });
    expect(parseFilter('id=eq.1,,id=eq.2')).toEqual({ error: 'Error parsing `filter` params: filter must not contain empty segments (check for extra commas)' });
    expect(parseFilter('id=in.1,2')).toEqual({ error: 'Error parsing `filter` params: `in` filter value must be wrapped by parentheses' });
  });

  it('reads what realtime-js\'s filter builder writes', () => {
    const built = postgresChangesFilter().eq('room', 'a,b').in('status', ['open', 'held']).not('id', 'is', null).build();
    expect(conditions(built)).toEqual([
      { column: 'room', op: 'eq', value: 'a,b', negate: false },
      { column: 'status', op: 'in', value: ['open', 'held'], negate: false },
      { column: 'id', op: 'is', value: 'null', negate: true },
    ]);
  });

  it('never throws, whatever the text (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab=.,()"\\ not.eqinlike%_'.split('')) }), (text) => {
        const parsed = parseFilter(text);
        if ('conditions' in parsed) recordMatches(parsed.conditions, { a: 1, b: 'x', ab: null });
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('issue 24: Supabase Realtime filter matching', () => {
  it('compares numbers as numbers, text as text, booleans as booleans', () => {
    expect(matches('id=eq.2', { id: 2 })).toBe(true);
    expect(matches('id=eq.02', { id: 2 })).toBe(true);
    expect(matches('id=gt.9', { id: 10 })).toBe(true);
    expect(matches('name=gt.9', { name: '10' })).toBe(false);
    expect(matches('id=lte.10,id=gte.10', { id: 10 })).toBe(true);
    expect(matches('id=neq.1', { id: 1 })).toBe(false);
    expect(matches('done=eq.true', { done: true })).toBe(true);
    expect(matches('done=eq.f', { done: false })).toBe(true);
    expect(matches('id=eq.abc', { id: 1 })).toBe(false);
  });

  it('in, like, ilike, match, imatch and not.', () => {
    expect(matches('status=in.(open,held)', { status: 'held' })).toBe(true);
    expect(matches('status=in.(open,held)', { status: 'closed' })).toBe(false);
    expect(matches('status=not.in.(open,held)', { status: 'closed' })).toBe(true);
    expect(matches('id=in.(1,2,3)', { id: 3 })).toBe(true);
    expect(matches('title=like.%foo_', { title: 'a foo!' })).toBe(true);
    expect(matches('title=like.%FOO%', { title: 'a foo!' })).toBe(false);
    expect(matches('title=ilike.%FOO%', { title: 'a foo!' })).toBe(true);
    expect(matches('title=match.^post-\\d+$', { title: 'post-12' })).toBe(true);
    expect(matches('title=imatch.^POST', { title: 'post-12' })).toBe(true);
  });

  it('NULL matches only is and isdistinct, as in SQL; a missing column fails', () => {
    expect(matches('id=eq.1', { id: null })).toBe(false);
    expect(matches('id=neq.1', { id: null })).toBe(false);
    expect(matches('id=not.eq.1', { id: null })).toBe(false);
    expect(matches('id=is.null', { id: null })).toBe(true);
    expect(matches('id=not.is.null', { id: null })).toBe(false);
    expect(matches('id=isdistinct.1', { id: null })).toBe(true);
    expect(matches('id=isdistinct.1', { id: 1 })).toBe(false);
    expect(matches('other=eq.1', { id: 1 })).toBe(false);
  });
});

describe('issue 24: Supabase Realtime subscriptions', () => {
  it('reads schema, table, event and filter as parse_subscription_params does', () => {
    expect(readSubscription({ event: 'insert', schema: 'public', table: 'todos' }, 7)).toMatchObject({ id: 7, action: 'INSERT', schema: 'public', table: 'todos' });
    expect(readSubscription({ event: 'whatever', schema: 'public' }, 1)).toMatchObject({ action: '*', schema: 'public', table: '*' });
    expect(readSubscription({ table: 'todos' }, 1)).toMatchObject({ schema: 'public', table: 'todos' });
    expect(readSubscription({ event: '*' }, 1)).toEqual({ error: 'No subscription params provided. Please provide at least a `schema` or `table` to subscribe to: %{"event" => "*"}' });
    expect(readSubscription({ schema: '*', table: 'a', select: ['id'] }, 1)).toEqual({
      error: 'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.',
    });
  });

  it('gives equal entries the same id, echoes each with it, and fails the channel on one bad entry', () => {
    const a = { event: '*', schema: 'public', table: 'todos', filter: 'id=eq.1' };
    expect(subscriptionId(a)).toBe(subscriptionId({ filter: 'id=eq.1', table: 'todos', schema: 'public', event: '*' }));
    expect(subscriptionId(a)).not.toBe(subscriptionId({ ...a, filter: 'id=eq.2' }));
    const good = joinSubscriptions([a, null]);
    expect(good.reply).toEqual([{ ...a, id: subscriptionId(a) }]);
    expect(good.subscriptions).toHaveLength(1);
    const bad = joinSubscriptions([a, { schema: 'public', table: 't', filter: 'x=foo.1' }]);
    expect(bad.reply).toHaveLength(2);
    expect(bad.subscriptions).toEqual([]);
    expect(bad.error).toBe('Error parsing `filter` params: ["foo", "1"]');
  });

  it('matches a change by event, schema (LIKE, *), table and the new row (the old one for a DELETE)', () => {
    const sub = readSubscription({ event: 'UPDATE', schema: 'public', table: 'todos', filter: 'id=eq.1' }, 1);
    if ('error' in sub) throw new Error(sub.error);
    const change = { schema: 'public', table: 'todos', eventType: 'UPDATE' as const, new: { id: 1 }, old: { id: 1 } };
    expect(changeMatches(sub, change)).toBe(true);
    expect(changeMatches(sub, { ...change, eventType: 'INSERT' })).toBe(false);
    expect(changeMatches(sub, { ...change, table: 'other' })).toBe(false);
    expect(changeMatches(sub, { ...change, new: { id: 2 } })).toBe(false);
    const all = readSubscription({ event: '*', schema: '*' }, 2);
    if ('error' in all) throw new Error(all.error);
    expect(changeMatches(all, { ...change, schema: 'private', table: 'x' })).toBe(true);
    const deletes = readSubscription({ event: 'DELETE', schema: 'public', table: 'todos', filter: 'id=eq.1' }, 3);
    if ('error' in deletes) throw new Error(deletes.error);
    expect(changeMatches(deletes, { ...change, eventType: 'DELETE', new: {}, old: { id: 1 } })).toBe(true);
  });
});
