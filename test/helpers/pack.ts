import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds `dist/` when it is missing or older than `src/`, so `npm test` works on a fresh clone. */
export function ensureBuilt(): void {
  const built = join(root, 'dist', 'index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(root, 'src'))) return;
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}

/**
 * Packs the package (built by the global setup) as `npm publish` would and unpacks it into a consumer
 * project under `.tmp/`, whose own dependencies resolve from the repository's
 * node_modules. Returns the consumer directory.
 */
export function packIntoConsumer(name: string): string {
  const consumer = join(root, '.tmp', name);
  rmSync(consumer, { recursive: true, force: true });
  const target = join(consumer, 'node_modules', 'wsmock');
  mkdirSync(target, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', consumer], { cwd: root, encoding: 'utf8' }),
  ) as { filename: string }[];
  execFileSync('tar', ['xzf', join(consumer, packed!.filename), '-C', target, '--strip-components=1']);
  return consumer;
}

/** Copies fixture files into a consumer directory. */
export function addFiles(consumer: string, files: string[]): void {
  for (const file of files) cpSync(join(root, 'test', 'fixtures', file), join(consumer, file));
}
