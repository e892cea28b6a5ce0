import Mustache from 'mustache';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseSpec } from '../src/index.js';
import { quote } from '../src/behaviour/jsonTemplates.js';
import { compileTemplate } from '../src/behaviour/templates.js';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(() => {
  vi.restoreAllMocks();
});

/** A mock on `path` that answers every frame with `response`. */
function answering(response: ResponseSpec, path = '/t') {
  return server.websocket(path, { matchers: [{ response }] });
}
const text = (value: string): ResponseSpec => ({ type: 'text', value });

describe('message variables', () => {
  it('{{message}} is the received text, {{message.a.b}} a field of its JSON', async () => {
    const mock = answering(text('[{{message}}] type={{message.type}} deep={{message.a.b}} item={{message.items.1.id}}'));
    const client = await connect(mock.url);
    expect(await client.ask('plain')).toBe('[plain] type= deep= item=');
    expect(await client.ask({ type: 'x', a: { b: 7 }, items: [{ id: 'i0' }, { id: 'i1' }] })).toBe(
      '[{"type":"x","a":{"b":7},"items":[{"id":"i0"},{"id":"i1"}]}] type=x deep=7 item=i1',
    );
  });

  it('an object or array field renders as JSON, booleans and null as text or nothing', async () => {
    const mock = answering(text('{{message.obj}} {{message.arr}} {{message.t}} [{{message.n}}]'));
    const client = await connect(mock.url);
    expect(await client.ask({ obj: { k: 'v' }, arr: [1, 2], t: false, n: null })).toBe('{"k":"v"} [1,2] false []');
  });

  it('{{request.rawBody}} and {{request.body.x}} are aliases of {{message}} and {{message.x}}', async () => {
    const mock = answering(text('{{request.rawBody}} | {{request.body.user.name}} | {{request.other}}'));
    const client = await connect(mock.url);
    expect(await client.ask({ user: { name: 'ann' } })).toBe('{"user":{"name":"ann"}} | ann | ');
  });

  it('a binary frame renders {{message}} as its UTF-8 text', async () => {
    const mock = answering(text('got {{message}}'));
    const client = await connect(mock.url);
    expect(await client.ask(Buffer.from('bytes'))).toBe('got bytes');
  });

  it('never escapes HTML', async () => {
    const mock = answering(text('{{message}} {{{message}}} {{&message}}'));
    const client = await connect(mock.url);
    expect(await client.ask(`<b>&"'</b>`)).toBe(`<b>&"'</b> <b>&"'</b> <b>&"'</b>`);
  });

  it('sections iterate over JSON fields', async () => {
    const mock = answering(text('{{#message.items}}{{name}}@{{connection.path}};{{/message.items}}{{^message.none}}empty{{/message.none}}'));
    const client = await connect(mock.url);
    expect(await client.ask({ items: [{ name: 'a' }, { name: 'b' }] })).toBe('a@/t;b@/t;empty');
  });
});

describe('generated values', () => {
  it('{{now}}, {{timestamp}}, {{timestampMs}} are the current time', async () => {
    const mock = answering({ type: 'json', value: { now: '{{now}}', ts: '{{timestamp}}', ms: '{{timestampMs}}' } });
    const client = await connect(mock.url);
    const before = Date.now();
    const reply = await client.askJson<{ now: string; ts: string; ms: string }>('x');
    const after = Date.now();
    expect(reply.now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(reply.now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(reply.now)).toBeLessThanOrEqual(after);
    expect(Number(reply.ts)).toBe(Math.floor(Number(reply.ms) / 1000));
    expect(Number(reply.ms)).toBeGreaterThanOrEqual(before);
    expect(Number(reply.ms)).toBeLessThanOrEqual(after);
  });

  it('{{uuid}} is a v4 UUID, the same within one response and new for the next', async () => {
    const mock = answering({ type: 'json', value: { a: '{{uuid}}', b: '{{uuid}}' } });
    const client = await connect(mock.url);
    const first = await client.askJson<{ a: string; b: string }>('x');
    const second = await client.askJson<{ a: string; b: string }>('x');
    expect(first.a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.b).toBe(first.a);
    expect(second.a).not.toBe(first.a);
  });
});

describe('connection variables', () => {
  it('{{connection.id}}, {{connection.path}}, {{connection.params.x}}, {{connection.query.x}}', async () => {
    const mock = server.websocket('/rooms/:room', {
      matchers: [{ response: text('{{connection.id}}|{{connection.path}}|{{connection.params.room}}|{{connection.query.user}}|{{connection.query.none}}') }],
    });
    const client = await connect(`${server.url}/rooms/blue?user=ann&x=1`);
    const conn = await mock.waitForConnection();
    expect(await client.ask('x')).toBe(`${conn.id}|/rooms/:room|blue|ann|`);
  });

  it('{{connectionCount}} is the number of open connections on the mock', async () => {
    const mock = answering(text('{{connectionCount}}'));
    server.websocket('/other');
    const a = await connect(mock.url);
    await connect(`${server.url}/other`);
    expect(await a.ask('x')).toBe('1');
    const b = await connect(mock.url);
    expect(await b.ask('x')).toBe('2');
    await b.close();
    await vi.waitFor(() => expect(mock.connections).toHaveLength(1));
    expect(await a.ask('x')).toBe('1');
  });

  it('{{sequence}} counts the responses sent on the connection, scenario sends included', async () => {
    const mock = server.websocket('/s', {
      scenario: { steps: [{ type: 'send', message: text('hello #{{sequence}}') }] },
      matchers: [{ responses: [text('a #{{sequence}}'), text('b #{{sequence}}')] }],
    });
    const client = await connect(mock.url);
    expect(await client.next()).toBe('hello #1');
    client.send('x');
    expect([await client.next(), await client.next()]).toEqual(['a #2', 'b #3']);
    const other = await connect(mock.url);
    expect(await other.next()).toBe('hello #1');
  });
});

describe('JSON responses', () => {
  it('stay valid JSON whatever the message holds: quotes, newlines, backslashes, unicode', async () => {
    const mock = answering({ type: 'json', value: { echo: '{{message}}', nested: ['{{message.q}}', { deep: 'x{{message.q}}x' }], n: 1, ok: true } });
    const client = await connect(mock.url);
    const nasty = 'say "hi"\n\tback\\slash ü 🎉 </script> {{uuid}}';
    expect(await client.askJson(nasty)).toEqual({ echo: nasty, nested: ['', { deep: 'xx' }], n: 1, ok: true });
    const obj = { q: nasty };
    expect(await client.askJson(obj)).toEqual({ echo: JSON.stringify(obj), nested: [nasty, { deep: `x${nasty}x` }], n: 1, ok: true });
  });

  it('text around a variable is escaped once, and every variable that may need it is escaped', async () => {
    const mock = answering({ type: 'json', value: { a: 'say "{{message.v}}"\n#{{sequence}}', b: ['{{now}}', '{{uuid}}'], '"{{message.v}}"': 1 } });
    const client = await connect(mock.url);
    for (const [i, v] of [7, -1.5e21, true, 'plain', 'q"\\\n\u0001\ud83c', { o: 'x"y' }].entries()) {
      const reply = (await client.askJson({ v })) as { a: string; b: string[] };
      const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
      expect(reply.a).toBe(`say "${text}"\n#${i + 1}`);
      expect(reply).toHaveProperty([`"${text}"`], 1);
      expect(reply.b[0]).toBe(new Date(reply.b[0]!).toISOString());
      expect(reply.b[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('templates in keys render too', async () => {
    const mock = answering({ type: 'json', value: { '{{message.key}}': 'value' } });
    const client = await connect(mock.url);
    expect(await client.askJson({ key: 'dynamic' })).toEqual({ dynamic: 'value' });
  });
});

describe('bad input', () => {
  it('an unknown variable renders empty and never throws', async () => {
    const errors = vi.fn();
    server.on('error', errors);
    const mock = answering(text('[{{nope}}][{{message.missing.deeper}}][{{connection.params.none}}][{{connection.nothing.at.all}}][{{request}}]'));
    const client = await connect(mock.url);
    expect(await client.ask('not json')).toBe('[][][][][]');
    expect(await client.ask({ missing: 5 })).toBe('[][][][][]');
    expect(errors).not.toHaveBeenCalled();
    server.off('error', errors);
  });

  it('a template that does not parse is a config error naming the field', () => {
    expect(() => answering(text('hello {{name'))).toThrow(
      expect.objectContaining({ code: 'WSMOCK_ERR_INVALID_CONFIG', issues: [expect.objectContaining({ path: 'matchers[0].response.value' })] }),
    );
    expect(() => answering({ type: 'json', value: { a: { b: ['ok', '{{#open}}'] } } })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'matchers[0].response.value.a.b[1]' })] }),
    );
  });
});

describe('compilation', () => {
  it('templates are parsed once per mock, not per frame', async () => {
    const parse = vi.spyOn(Mustache.Writer.prototype, 'parse');
    const mock = answering({ type: 'json', value: { a: '{{message.a}}', b: '{{uuid}}', c: 'constant' } });
    const parsedAtCompile = parse.mock.calls.length;
    const client = await connect(mock.url);
    for (let i = 0; i < 5; i++) expect(await client.askJson({ a: i })).toMatchObject({ a: String(i), c: 'constant' });
    expect(parse.mock.calls.length).toBe(parsedAtCompile);
  });

  it('a string without "{{" skips mustache entirely', () => {
    const parse = vi.spyOn(Mustache.Writer.prototype, 'parse');
    const template = compileTemplate('no tags here, not even {one}');
    expect(template.constant).toBe(true);
    expect(parse).not.toHaveBeenCalled();
  });

  it('quote() is JSON.stringify for every string, its fast path included', () => {
    for (let code = 0; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      expect(quote(`a${char}b`)).toBe(JSON.stringify(`a${char}b`));
    }
    for (const text of ['', 'plain', 'say "hi"', 'back\\slash', '🎉', '\ud83c', '</script>']) expect(quote(text)).toBe(JSON.stringify(text));
  });
});

describe('issue 22 item 8: templates and inherited names', () => {
  it('{{#message.o}}{{constructor}}{{/message.o}} prints nothing: a section resolves own properties only', async () => {
    const mock = answering(text('[{{#message.o}}{{constructor}}{{toString}}{{k}}{{/message.o}}]'));
    const client = await connect(mock.url);
    expect(await client.ask({ o: { k: 'v' } })).toBe('[v]');
    expect(await client.ask({ o: { constructor: 'own' } })).toBe('[own]');
  });

  it('a templated key that renders to "__proto__" stays an own property of the JSON the client gets', async () => {
    const mock = answering({ type: 'json', value: { '{{message.key}}': { polluted: true }, other: 1 } });
    const client = await connect(mock.url);
    const frame = await client.ask({ key: '__proto__' });
    expect(frame).toBe('{"__proto__":{"polluted":true},"other":1}');
    expect(Object.hasOwn(JSON.parse(frame), '__proto__')).toBe(true);
  });
});
