import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { addFiles, packIntoConsumer } from './helpers/pack.js';

const run = promisify(execFile);
let consumer: string;

beforeAll(() => {
  consumer = packIntoConsumer('consumer');
  addFiles(consumer, ['consumer.cjs', 'consumer.mjs']);
}, 120_000);

describe('the packed package', () => {
  it('ships only the built output', () => {
    const pkg = join(consumer, 'node_modules', 'wsmock');
    expect(existsSync(join(pkg, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'index.cjs'))).toBe(true);
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    expect(existsSync(join(pkg, 'test'))).toBe(false);
  });

  it.each([
    ['require', 'consumer.cjs', 'from require'],
    ['import', 'consumer.mjs', 'from import'],
  ])('works through %s', async (_how, script, text) => {
    const { stdout } = await run(process.execPath, [script], { cwd: consumer, timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ reply: text, received: text, error: 'function' });
  });
});
