//
// issue 27: README's "Routing a page" shows a Playwright Test that needs a
// browser, so test/readme.test.ts cannot run it; CI runs it as
// examples/playwright/tests/route.spec.ts (examples/run.sh playwright). This
// keeps the two the same: the README's block is a verbatim part of the file.
//
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from './helpers/pack.js';

it("issue 27: README's routing example is the one examples/playwright runs, word for word", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const found = [...readme.matchAll(/<!-- route-example: (\S+) -->\s*```ts\n([\s\S]*?)```/g)];
  expect(found.length, 'README has a route-example block').toBe(1);
  const [, file, block] = found[0]!;
  expect(readFileSync(join(root, file!), 'utf8')).toContain(block);
});
