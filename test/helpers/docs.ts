import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './pack.js';

/** A page of the documentation: its path from the repository root and its text. */
export interface DocPage {
  path: string;
  text: string;
}

/** The README and every page under `docs/` (not the generated `docs/api/`), in that order. */
export function docPages(): DocPage[] {
  const pages = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** A runnable example: a ```js block right after `<!-- example: NAME, prints: TEXT -->`. */
export interface DocExample {
  page: string;
  name: string;
  prints: string;
  code: string;
}

/** Every runnable example of a page. */
export function examplesOf(page: DocPage): DocExample[] {
  return [...page.text.matchAll(/<!-- example: ([\w-]+), prints: (.*?) -->\s*```js\n([\s\S]*?)```/g)].map(
    ([, name, prints, code]) => ({ page: page.path, name: name!, prints: prints!, code: code! }),
  );
}

/** The text of a page outside its fenced code blocks, line by line (blank lines stand in for the code). */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/**
 * The anchors GitHub gives a page's headings: lower case, punctuation dropped (hyphens and underscores
 * kept), spaces made hyphens; a repeated heading gets `-1`, `-2`…
 */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6} +(.*?)#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** A link of a page: its target as written and the line it is on (1-based). */
export interface DocLink {
  target: string;
  line: number;
}

/** Every inline link and image of a page outside code (inline code spans and fenced blocks). */
export function linksOf(text: string): DocLink[] {
  return proseLines(text).flatMap((line, index) =>
    [...line.replace(/`[^`]*`/g, '').matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(([, target]) => ({
      target: target!,
      line: index + 1,
    })),
  );
}
