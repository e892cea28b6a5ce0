import { describe, expect, it } from 'vitest';
import { RenderContext } from '../src/behaviour/templates.js';
import { compileValueTemplate } from '../src/behaviour/valueTemplates.js';

/** A context whose `vars.*` resolve from `vars`, the rest as in any response. */
function contextWith(vars: Record<string, unknown>): RenderContext {
  const scope = { connection: {} as never, message: undefined, connectionCount: () => 2, sequence: 1 };
  return new (class extends RenderContext {
    override resolve(path: readonly string[]): unknown {
      if (path[0] !== 'vars') return super.resolve(path);
      return path.slice(1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], vars);
    }
  })(scope);
}

describe('compileValueTemplate', () => {
  it('keeps the type of a string that is one variable, renders other templated strings as text', () => {
    const template = compileValueTemplate({ n: '{{vars.n}}', raw: '{{{vars.o}}}', text: 'n={{vars.n}}', list: ['{{vars.o}}', 1], same: 'plain' });
    expect(template.constant).toBe(false);
    expect(template.render(contextWith({ n: 3, o: { a: [1] } }))).toEqual({ n: 3, raw: { a: [1] }, text: 'n=3', list: [{ a: [1] }, 1], same: 'plain' });
  });

  it('renders templated keys, and gives undefined for a missing lone variable', () => {
    const template = compileValueTemplate({ '{{vars.k}}': '{{vars.missing}}', count: '{{connectionCount}}' });
    expect(template.render(contextWith({ k: 'key' }))).toEqual({ key: undefined, count: 2 });
  });

  it('returns a constant value as it is, without copying it', () => {
    const value = { a: ['x', { b: 1 }], when: new Date(0) };
    const template = compileValueTemplate(value);
    expect(template.constant).toBe(true);
    expect(template.render(contextWith({}))).toBe(value);
  });
});

describe('issue 22 item 8: a templated key rendering to "__proto__"', () => {
  it('is kept as an own property, as JSON.parse keeps it, and sets no prototype', () => {
    const template = compileValueTemplate({ '{{vars.k}}': { polluted: true }, other: '{{vars.k}}' });
    const out = template.render(contextWith({ k: '__proto__' })) as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"other":"__proto__"}');
    expect(out).toEqual(JSON.parse('{"__proto__":{"polluted":true},"other":"__proto__"}'));
  });
});
