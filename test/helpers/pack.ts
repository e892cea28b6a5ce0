import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Builds `dist/` when it is missing or older than its sources, so `npm test` works on a fresh clone. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), 'build-if-stale'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const packDir = join(root, '.tmp', 'packed');

/** What `npm pack --json` says of the tarball it wrote. */
export interface PackedTarball {
  /** The tarball's path. */
  path: string;
  /** The tarball's size in bytes. */
  size: number;
  /** The size of the files in it, unpacked. */
  unpackedSize: number;
}

/**
 * Packs the package once, as `npm publish` would (its prepack and postpack
 * scripts included), when the tarball under `.tmp/packed/` is missing or older
 * than `dist/`, package.json or the README. The global setup calls it, so suites running in parallel never
 * pack at the same time: prepack rewrites package.json while it packs.
 */
export function ensurePacked(): void {
  const inputs = Math.max(...['dist/index.js', 'package.json', 'README.md'].map((file) => statSync(join(root, file)).mtimeMs));
  const info = join(packDir, 'packed.json');
  if (existsSync(info) && statSync(info).mtimeMs >= inputs && existsSync(packed().path)) return;
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const [result] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string; size: number; unpackedSize: number }[];
  const tarball: PackedTarball = { path: join(packDir, result!.filename), size: result!.size, unpackedSize: result!.unpackedSize };
  writeFileSync(info, JSON.stringify(tarball));
}

/** The tarball the global setup packed. */
export function packed(): PackedTarball {
  return JSON.parse(readFileSync(join(packDir, 'packed.json'), 'utf8')) as PackedTarball;
}


/**
 * Unpacks the package (packed by the global setup, as `npm publish` would) into a consumer
 * project under `.tmp/`, whose own dependencies resolve from the repository's
 * node_modules. Returns the consumer directory.
 */
export function packIntoConsumer(name: string): string {
  const consumer = join(root, '.tmp', name);
  rmSync(consumer, { recursive: true, force: true });
  const target = join(consumer, 'node_modules', 'wsmock');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', packed().path, '-C', target, '--strip-components=1']);
  return consumer;
}

/** Copies fixture files into a consumer directory. */
export function addFiles(consumer: string, files: string[]): void {
  for (const file of files) cpSync(join(root, 'test', 'fixtures', file), join(consumer, file));
}
