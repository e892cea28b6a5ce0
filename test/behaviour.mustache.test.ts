//
// The mustache adapter (src/behaviour/mustache.ts), and what mustache itself
// does with the inputs wsmock relies on. An upgrade of mustache that changes
// one of these fails here, not in a user's mock.
//
import Mustache from 'mustache';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkMustache, compileMustache, type Format, type MustacheScope } from '../src/behaviour/mustache.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The formatting wsmock uses: objects as JSON, nothing for null and undefined. */
const format: Format = (value) => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** A scope over a plain object: top names resolved by walking it (as mustache would), `view` the same object. */
function scopeOf(data: Record<string, unknown>): MustacheScope & { names: string[] } {
  const names: string[] = [];
  return {
    names,
    view: data,
    lookup(name) {
      names.push(name);
      if (name === '.') return data;
      let node: unknown = data;
      for (const key of name.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
      return node;
    },
  };
}

const render = (source: string, data: Record<string, unknown>) => compileMustache(source, format).render(scopeOf(data));
const partsOf = (source: string) => compileMustache(source, format).parts;

describe('checkMustache', () => {
  it('accepts what mustache parses, tags of every kind included', () => {
    for (const source of ['', 'plain', '{{a}}', '{{{a}}} {{&a}} {{! c }}', '{{#a}}x{{/a}}{{^b}}y{{/b}}', '{{> p}}', '{{=<% %>=}}<% a %>']) {
      expect(checkMustache(source), source).toBeUndefined();
    }
  });

  it("reports mustache's own message, which configs show as the problem", () => {
    expect(checkMustache('hello {{name')).toBe('Unclosed tag at 12');
    expect(checkMustache('{{#open}}')).toBe('Unclosed section "open" at 9');
    expect(checkMustache('{{/close}}')).toBe('Unopened section "close" at 0');
    expect(checkMustache('{{#a}}{{/b}}')).toBe('Unclosed section "a" at 6');
    expect(checkMustache('{{=<%=}}')).toMatch(/^Invalid tags/);
  });

  it('always reads {{ }} as the delimiters, whatever Mustache.tags is set to by someone else', () => {
    const saved = Mustache.tags;
    try {
      Mustache.tags = ['<%', '%>'];
      expect(checkMustache('{{open')).toBe('Unclosed tag at 6');
      expect(partsOf('{{a}} <%b%>')).toEqual([{ name: 'a' }, ' <%b%>']);
    } finally {
      Mustache.tags = saved;
    }
  });
});

describe('compileMustache: parts', () => {
  it('a template of text and variables is its text and the names as written, trimmed', () => {
    expect(partsOf('hi {{name}}!')).toEqual(['hi ', { name: 'name' }, '!']);
    expect(partsOf('{{{a}}}{{& b.c }}{{ d.e }}{{.}}')).toEqual([{ name: 'a' }, { name: 'b.c' }, { name: 'd.e' }, { name: '.' }]);
    expect(partsOf('{{a}}{{a}}')).toEqual([{ name: 'a' }, { name: 'a' }]);
    expect(partsOf('{{x y}}')).toEqual([{ name: 'x y' }]);
  });

  it('comments and delimiter changes are gone, with the lines mustache removes as standalone', () => {
    expect(partsOf('a {{! note }}b')).toEqual(['a b']);
    expect(partsOf('  {{! standalone }}\nline {{x}}')).toEqual(['line ', { name: 'x' }]);
    expect(partsOf('{{=<% %>=}}<% a %> {{b}} <%={{ }}=%>{{c}}')).toEqual([{ name: 'a' }, ' {{b}} ', { name: 'c' }]);
    expect(partsOf('{{! only a comment }}')).toEqual([]);
  });

  it('a template with a section, an inverted section or a partial has no parts', () => {
    for (const source of ['{{#a}}x{{/a}}', '{{^a}}x{{/a}}', '{{#a}}{{/a}}', '{{#a}}{{.}}{{/a}}', '{{^a}}{{.}}{{/a}}', '{{#a}}{{/a}}{{a}}', '{{^a}}{{a}}{{/a}}', '{{> p}}', 'x{{> p}}{{a}}']) {
      expect(partsOf(source), source).toBeUndefined();
    }
  });

  it('a template holding the mark character has no parts, and renders all the same', () => {
    expect(partsOf('\u0000{{a}}\u00000\u0000')).toBeUndefined();
    expect(render('\u0000{{a}}\u00000\u0000', { a: 'x' })).toBe('\u0000x\u00000\u0000');
  });

  it("throws mustache's parse error", () => {
    expect(() => compileMustache('{{#open}}', format)).toThrow('Unclosed section "open" at 9');
  });
});

describe('compileMustache: render', () => {
  it('never escapes HTML, in any of the three variable forms', () => {
    expect(render('{{v}} {{{v}}} {{&v}}', { v: `<b>&"'</b>` })).toBe(`<b>&"'</b> <b>&"'</b> <b>&"'</b>`);
  });

  it('prints every value through the format: objects and arrays as JSON, null and undefined as nothing, at any depth', () => {
    const data = { o: { k: 'v' }, a: [1, 2], n: null, t: false, z: 0, list: [{ o: { deep: [1] } }] };
    expect(render('{{o}}|{{{o}}}|{{&a}}|{{n}}|{{missing}}|{{t}}|{{z}}', data)).toBe('{"k":"v"}|{"k":"v"}|[1,2]|||false|0');
    expect(render('{{#list}}{{o}}|{{{o}}}|{{&o.deep}}|{{{.}}}{{/list}}', data)).toBe('{"deep":[1]}|{"deep":[1]}|[1]|{"o":{"deep":[1]}}');
  });

  it('sections iterate arrays, walk objects, show for true values and hide for false ones', () => {
    const data = { items: [{ name: 'a' }, { name: 'b' }], obj: { k: 'v' }, yes: true, no: false, empty: [], s: 'str' };
    expect(render('{{#items}}{{name}};{{/items}}', data)).toBe('a;b;');
    expect(render('{{#obj}}{{k}}{{/obj}}', data)).toBe('v');
    expect(render('{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{^empty}}E{{/empty}}{{#empty}}x{{/empty}}', data)).toBe('Y!NE');
    expect(render('{{#s}}{{.}}{{/s}}', data)).toBe('str');
  });

  it('names outside sections go to scope.lookup as written; inside, a name the section lacks is found in scope.view', () => {
    const scope = scopeOf({ items: [{ name: 'a' }, {}], title: 'T' });
    const output = compileMustache('{{title}}:{{#items}}{{name}}-{{title}};{{/items}}{{ items.0.name }}{{.}}', format).render(scope);
    expect(output).toBe('T:a-T;-T;a{"items":[{"name":"a"},{}],"title":"T"}');
    expect(scope.names).toEqual(['title', 'items', 'items.0.name', '.']);
  });

  it('partials render nothing', () => {
    expect(render('a{{> p}}b{{#x}}{{> q}}{{/x}}', { x: true })).toBe('ab');
  });

  it('ignores a Mustache.escape set by someone else', () => {
    const saved = Mustache.escape;
    try {
      Mustache.escape = () => 'ESCAPED';
      expect(Mustache.render('{{v}}', { v: '<b>' })).toBe('ESCAPED');
      expect(render('{{v}}{{#s}}{{v}}{{/s}}', { s: true, v: '<b>' })).toBe('<b><b>');
    } finally {
      Mustache.escape = saved;
    }
  });

  it('renders do not parse again: a writer keeps what it parsed (its documented cache)', () => {
    const writer = new Mustache.Writer();
    expect(writer.parse('{{#a}}{{b}}{{/a}}', ['{{', '}}'])).toBe(writer.parse('{{#a}}{{b}}{{/a}}', ['{{', '}}']));
  });

  it("leaves mustache's shared template cache alone: each template's parse lives and dies with it", () => {
    const cache = Mustache.templateCache;
    expect(cache).toBeDefined();
    const set = vi.spyOn(cache!, 'set');
    const template = compileMustache('{{#a}}{{b}}{{/a}}', format);
    template.render(scopeOf({ a: true, b: 1 }));
    checkMustache('{{x}}');
    expect(set).not.toHaveBeenCalled();
  });
});

describe('issue 22 item 8: inside a section, own properties only', () => {
  it('names every object inherits from Object are not found, at any depth; own ones are', () => {
    const data = { o: { k: 'v', inner: { x: 1 } }, list: [{ name: 'a' }], s: 'str' };
    expect(render('{{#o}}[{{constructor}}{{toString}}{{hasOwnProperty}}{{__proto__}}{{valueOf}}]{{/o}}', data)).toBe('[]');
    expect(render('{{#o}}[{{constructor.name}}{{inner.constructor}}{{inner.x}}{{k}}]{{/o}}', data)).toBe('[1v]');
    expect(render('{{#list}}{{name}}{{constructor}}{{length}}{{/list}}', data)).toBe('a');
    expect(render('{{#o}}{{#constructor}}X{{/constructor}}{{^constructor}}none{{/constructor}}{{/o}}', data)).toBe('none');
    // A primitive's own property stays readable by a dotted name, as in mustache.
    expect(render('{{#o}}{{s.length}}{{/o}}', data)).toBe('3');
  });
});
