import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { packIntoConsumer, root } from './helpers/pack.js';

const run = promisify(execFile);

it('the README quickstart runs as written against the packed package', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /<!-- quickstart[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README has a quickstart block').toBeDefined();
  expect(block!.trim().split('\n').length).toBeLessThanOrEqual(15);
  const consumer = packIntoConsumer('readme');
  writeFileSync(join(consumer, 'quickstart.mjs'), block!);
  const { stdout } = await run(process.execPath, ['quickstart.mjs'], { cwd: consumer, timeout: 20_000 });
  expect(stdout).toBe('ack {"type":"hello"}\n');
}, 120_000);

/**
 * Every other runnable README example: a ```js block right after a comment
 * `<!-- example: NAME, prints: TEXT -->`, run as an ES module against the packed
 * package (client libraries resolve from the repository's node_modules); its
 * standard output must be TEXT plus a newline.
 */
const examples = [
  ...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/<!-- example: ([\w-]+), prints: (.*?) -->\s*```js\n([\s\S]*?)```/g),
].map(([, name, prints, code]) => ({ name: name!, prints: prints!, code: code! }));

it.each(examples)('the README example "$name" runs as written and prints what it says', async ({ name, prints, code }) => {
  const consumer = packIntoConsumer(`readme-${name}`);
  writeFileSync(join(consumer, `${name}.mjs`), code);
  const { stdout } = await run(process.execPath, [`${name}.mjs`], { cwd: consumer, timeout: 20_000 });
  expect(stdout).toBe(`${prints}\n`);
}, 120_000);
