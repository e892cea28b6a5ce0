import { describe, expect, it } from 'vitest';
import { compileChaos, mergeChaos } from '../src/chaos/settings.js';
import { FrameMessage } from '../src/connections/Message.js';
import type { Connection } from '../src/index.js';

// The pure part of chaos: options merged over the server's default and compiled.
describe('chaos settings', () => {
  it('merges a mock’s chaos over the default key by key; null opts out, undefined takes the default', () => {
    expect(mergeChaos({ drop: 0.1, delay: '5ms' }, { drop: 0.5 })).toEqual({ drop: 0.5, delay: '5ms' });
    expect(mergeChaos({ drop: 0.1 }, null)).toBeUndefined();
    expect(mergeChaos({ drop: 0.1 }, undefined)).toEqual({ drop: 0.1 });
    expect(mergeChaos(undefined, { duplicate: 1 })).toEqual({ duplicate: 1 });
    expect(mergeChaos(undefined, undefined)).toBeUndefined();
  });

  it('compiles durations to milliseconds, fills the defaults and reads direction', () => {
    const s = compileChaos({ delay: { min: '1ms', max: '1s' }, reorder: { window: 3 }, refuse: { first: 2 }, handshakeDelay: 20 });
    expect(s).toMatchObject({ out: true, in: false, drop: 0, delay: { min: 1, max: 1000 }, reorder: { window: 3, hold: 50 }, refuse: { first: 2, probability: 0, status: 503 }, handshakeDelay: { min: 20, max: 20 } });
    expect(compileChaos({ direction: 'both' })).toMatchObject({ out: true, in: true });
    expect(compileChaos({ direction: 'in' })).toMatchObject({ out: false, in: true });
  });

  it('targets frames with only and except (a spec or a list)', () => {
    const frame = (text: string) => new FrameMessage('out', 'conn-1', false, text, text.length);
    const conn = {} as Connection;
    const s = compileChaos({ only: [{ type: 'prefix', value: 'tick' }, { type: 'exact', value: 'x' }], except: { type: 'suffix', value: '!' } });
    expect(['tick 1', 'x', 'tick!', 'news'].map((t) => s.targets!(frame(t), conn))).toEqual([true, true, false, false]);
    expect(compileChaos({ drop: 1 }).targets).toBeUndefined();
  });
});

describe('chaos mangling', () => {
  it('replaces one whole character of a text, surrogate pairs included, and flips one byte', async () => {
    const { corruptBytes, corruptText, truncate } = await import('../src/chaos/mangle.js');
    const { SeededRandom } = await import('../src/util/random.js');
    for (let n = 0; n < 50; n++) {
      const random = new SeededRandom(n);
      const text = '😀é✓a😀';
      const { payload } = corruptText(text, random);
      expect(Array.from(payload)).toHaveLength(Array.from(text).length);
      expect(Buffer.from(payload).toString('utf8')).toBe(payload);
      const bytes = Buffer.from([1, 2, 3]);
      const flipped = corruptBytes(bytes, random).payload;
      expect([...flipped].filter((b, i) => b !== bytes[i])).toHaveLength(1);
      const cut = truncate(text, random).payload as string;
      expect(text.startsWith(cut) && Array.from(cut).length < 5).toBe(true);
    }
  });
});

describe('chaos options, fuzzed', () => {
  it('either validate (and then compile) or throw WSMOCK_ERR_INVALID_CONFIG naming a chaos field', async () => {
    const fc = (await import('fast-check')).default;
    const { validateChaos } = await import('../src/chaos/validate.js');
    const junk = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom(NaN, -1, 0, 0.5, 1, 2, '5ms', 'soon', null, 'abrupt'));
    const probability = fc.oneof(fc.double({ min: -1, max: 2, noNaN: false }), junk);
    const delay = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom('10ms', '1s', 'x'), fc.record({ min: fc.integer({ min: 0, max: 50 }), max: fc.integer({ min: 0, max: 50 }) }), junk);
    const options = fc.record(
      {
        direction: fc.oneof(fc.constantFrom('in', 'out', 'both', 'sideways'), junk),
        drop: probability,
        duplicate: probability,
        corrupt: probability,
        truncate: probability,
        delay,
        reorder: fc.oneof(fc.record({ window: fc.integer({ min: -1, max: 5 }) }), junk),
        disconnect: fc.oneof(fc.record({ afterFrames: fc.integer({ min: 0, max: 3 }), mode: fc.oneof(fc.constant('abrupt'), fc.record({ code: fc.integer({ min: 999, max: 5000 }) })) }), junk),
        refuse: fc.oneof(fc.record({ first: fc.integer({ min: -1, max: 3 }), status: fc.integer({ min: 100, max: 700 }) }, { requiredKeys: [] }), junk),
        handshakeDelay: delay,
        only: fc.oneof(fc.record({ type: fc.constantFrom('exact', 'json', 'nope'), value: fc.string({ maxLength: 3 }) }), junk),
        unknown: junk,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, (input) => {
        let valid: ReturnType<typeof validateChaos> | undefined;
        try {
          valid = validateChaos(input, 'chaos');
        } catch (err) {
          expect((err as { code?: string }).code).toBe('WSMOCK_ERR_INVALID_CONFIG');
          for (const issue of (err as { issues: { path: string }[] }).issues) expect(issue.path).toMatch(/^chaos/);
          return;
        }
        expect(() => compileChaos(valid!)).not.toThrow();
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
