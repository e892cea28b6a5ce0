import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { docPages, examplesOf } from './helpers/docs.js';
import { packIntoConsumer } from './helpers/pack.js';

const run = promisify(execFile);
const pages = docPages();

it('the README quickstart runs as written against the packed package', async () => {
  const readme = pages.find((page) => page.path === 'README.md')!.text;
  const block = /<!-- quickstart[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README has a quickstart block').toBeDefined();
  expect(block!.trim().split('\n').length).toBeLessThanOrEqual(15);
  const consumer = packIntoConsumer('readme');
  writeFileSync(join(consumer, 'quickstart.mjs'), block!);
  const { stdout } = await run(process.execPath, ['quickstart.mjs'], { cwd: consumer, timeout: 20_000 });
  expect(stdout).toBe('ack {"type":"hello"}\n');
}, 120_000);

/**
 * Every other runnable example of the README and of the pages under docs/: a ```js block right
 * after a comment `<!-- example: NAME, prints: TEXT -->`, run as an ES module against the packed
 * package (client libraries resolve from the repository's node_modules); its standard output must be
 * TEXT plus a newline.
 */
const examples = pages.flatMap(examplesOf);

it('issue 22 item 6: example names are unique across the README and docs/, so each runs in its own directory', () => {
  const names = examples.map(({ name }) => name);
  expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  expect(examples.length).toBeGreaterThan(0);
});

it.each(examples)('the example $name of $page runs as written and prints what it says', async ({ name, prints, code }) => {
  const consumer = packIntoConsumer(`readme-${name}`);
  writeFileSync(join(consumer, `${name}.mjs`), code);
  const { stdout } = await run(process.execPath, [`${name}.mjs`], { cwd: consumer, timeout: 20_000 });
  expect(stdout).toBe(`${prints}\n`);
}, 120_000);

it('issue 22 item 6: the CommonJS form docs/migrating.md shows gives the WS class, which require() itself is not', async () => {
  const migrating = pages.find((page) => page.path === 'docs/migrating.md')!.text;
  const line = /^\s*(const \{ WS \} = require\('wsmock\/jest-websocket-mock'\);)/m.exec(migrating)?.[1];
  expect(line, 'docs/migrating.md shows the CommonJS form').toBeDefined();
  const consumer = packIntoConsumer('readme-commonjs');
  const check = "const module_ = require('wsmock/jest-websocket-mock');\nconsole.log(typeof module_, typeof WS, WS === module_.default, Array.isArray(WS.instances));\n";
  writeFileSync(join(consumer, 'commonjs.cjs'), `${line}\n${check}`);
  const { stdout } = await run(process.execPath, ['commonjs.cjs'], { cwd: consumer, timeout: 20_000 });
  expect(stdout).toBe('object function true true\n');
}, 120_000);
