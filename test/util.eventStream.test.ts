import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { formatComment, formatEvent } from '../src/util/eventStream.js';

/** Parses wire text with the parser the `eventsource` client uses. */
function parse(wire: string): { events: EventSourceMessage[]; comments: string[]; retries: number[] } {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onComment: (comment) => comments.push(comment),
    onRetry: (retry) => retries.push(retry),
  });
  parser.feed(wire);
  return { events, comments, retries };
}

describe('the event stream wire format', () => {
  it('writes every field, and a real parser reads them back', () => {
    const wire = formatEvent({ data: '{"a":1}', event: 'tick', id: '7', retry: 2500 });
    expect(wire).toBe('event: tick\nid: 7\nretry: 2500\ndata: {"a":1}\n\n');
    expect(parse(wire)).toEqual({ events: [{ data: '{"a":1}', event: 'tick', id: '7' }], comments: [], retries: [2500] });
  });

  it('splits multi-line data at CRLF, CR and LF, and the client joins it with LF', () => {
    const wire = formatEvent({ data: 'one\r\ntwo\rthree\nfour' });
    expect(wire).toBe('data: one\ndata: two\ndata: three\ndata: four\n\n');
    expect(parse(wire).events[0]?.data).toBe('one\ntwo\nthree\nfour');
  });

  it('sends empty data as one empty data line, which still dispatches', () => {
    expect(parse(formatEvent({ data: '' })).events).toEqual([{ data: '', event: undefined, id: undefined }]);
  });

  it('refuses an event or id with a line break, a NUL id and a negative retry', () => {
    expect(() => formatEvent({ data: 'x', event: 'a\nb' })).toThrow('event must be a single line (no CR or LF)');
    expect(() => formatEvent({ data: 'x', id: 'a\rb' })).toThrow('id must be a single line (no CR or LF)');
    expect(() => formatEvent({ data: 'x', id: 'a\0' })).toThrow('id must not contain a NUL character');
    expect(() => formatEvent({ data: 'x', retry: -1 })).toThrow('retry must be an integer >= 0');
  });

  it('writes comments that the client ignores', () => {
    const wire = formatComment('keep-alive\nsecond') + formatEvent({ data: 'after' });
    const parsed = parse(wire);
    expect(parsed.comments).toEqual(['keep-alive', 'second']);
    expect(parsed.events.map((e) => e.data)).toEqual(['after']);
  });
});
