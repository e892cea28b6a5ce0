//
// The README links to a page per capability under docs/, and the pages link to each other and back:
// every relative link must keep pointing at a file that exists and, with `#anchor`, at a heading of it.
//
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, headingAnchors, linksOf } from './helpers/docs.js';
import { root } from './helpers/pack.js';

const pages = docPages();
/** Other Markdown files of the repository that link into the documentation. */
const others = ['ARCHITECTURE.md', 'SECURITY.md', 'bench/README.md', 'examples/README.md'].map((path) => ({
  path,
  text: readFileSync(join(root, path), 'utf8'),
}));

/** What is wrong with a link of `page`, or null when it points at something that exists. */
function brokenLink(page: string, target: string): string | null {
  if (/^[a-z][a-z\d+.-]*:/i.test(target)) return null; // https:, mailto:: not ours to check
  const [file = '', anchor] = target.split('#', 2);
  const path = file === '' ? page : normalize(join(dirname(page), decodeURIComponent(file)));
  if (path.startsWith('..')) return `${path} is outside the repository`;
  const absolute = join(root, path);
  if (!existsSync(absolute)) return `${path} does not exist`;
  if (anchor === undefined || statSync(absolute).isDirectory()) return null;
  if (!path.endsWith('.md')) return `#${anchor} on ${path}, which has no headings`;
  const anchors = headingAnchors(readFileSync(absolute, 'utf8'));
  return anchors.has(anchor) ? null : `${path} has no heading #${anchor} (it has ${[...anchors].map((a) => `#${a}`).join(', ')})`;
}

describe('issue 22 item 6: the README and docs/ pages stay linked', () => {
  it('the README links to a page under docs/ for each capability, and each page links back', () => {
    const readme = pages[0]!;
    const linked = new Set(linksOf(readme.text).map(({ target }) => target.split('#')[0]));
    for (const page of pages.slice(1)) {
      expect(linked, `README.md links to ${page.path}`).toContain(page.path);
      expect(linksOf(page.text).map(({ target }) => target.split('#')[0]), `${page.path} links back to the README`).toContain('../README.md');
    }
  });

  it.each([...pages, ...others].map(({ path }) => path))('every relative link of %s points at an existing file and heading', (path) => {
    const page = [...pages, ...others].find((p) => p.path === path)!;
    const broken = linksOf(page.text).flatMap(({ target, line }) => {
      const why = brokenLink(path, target);
      return why === null ? [] : [`${path}:${line} (${target}): ${why}`];
    });
    expect(broken).toEqual([]);
  });

  it('the checker itself catches a missing page, a missing heading and a link out of the repository', () => {
    expect(brokenLink('README.md', 'docs/nope.md')).toMatch(/docs\/nope\.md does not exist/);
    expect(brokenLink('README.md', 'docs/chaos.md#nope')).toMatch(/has no heading #nope/);
    expect(brokenLink('docs/chaos.md', '#nope')).toMatch(/docs\/chaos\.md has no heading #nope/);
    expect(brokenLink('docs/chaos.md', '../../x.md')).toMatch(/outside the repository/);
    expect(brokenLink('docs/chaos.md', '../README.md#what-you-can-do')).toBeNull();
    expect(headingAnchors('# A\n## What `wsmock serve` prints\n## JSON-RPC 2.0\n## A\n```\n# not a heading\n```')).toEqual(
      new Set(['a', 'what-wsmock-serve-prints', 'json-rpc-20', 'a-1']),
    );
  });
});
