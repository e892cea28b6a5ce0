// What `npm pack` and `npm publish` run around packing (package.json's prepack
// and postpack), and the build check the test suite shares with them.
//
//   node scripts/package.mjs build-if-stale  build dist/ when it is missing or older than its sources
//   node scripts/package.mjs prepack         build-if-stale, then write the published package.json
//   node scripts/package.mjs postpack        put the development package.json back
//
// npm packs package.json as it is on disk, and a consumer has no use for the
// development scripts and devDependencies: worse, npm 11 warns about a `prepare`
// script on every install of a tarball ("npm warn install-scripts"). So prepack
// writes a package.json without `scripts`, `devDependencies` and `overrides`
// (the original kept under .tmp/), and postpack restores it byte for byte, with
// its modification time. A prepack that finds a copy left by an interrupted pack
// restores it first, so the working package.json is never lost.
//
// `npm publish` re-reads package.json after postpack for the registry's
// metadata, which therefore still lists the scripts; npm never runs `prepare`
// for a package installed from a registry, and the tarball, which is what gets
// installed, carries none.
//
// Nothing here runs on `npm install` or `npm ci` any more: a checkout builds
// with `npm run build`, and `npm test` builds dist/ itself when it is stale.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const manifest = join(root, 'package.json');
const saved = join(root, '.tmp', 'package.json.development');

/** The package.json fields a consumer of the published package has no use for. */
const developmentOnly = ['scripts', 'devDependencies', 'overrides'];

/** What dist/ is built from: a change to any of these makes it stale. */
const buildInputs = ['src', 'dashboard', 'tsup.config.ts', 'scripts/build-dashboard.mjs'];

function newestMtime(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds dist/ when it is missing or older than any of its sources. */
export function buildIfStale() {
  const built = join(root, 'dist', 'index.js');
  const inputs = Math.max(...buildInputs.map((input) => newestMtime(join(root, input))));
  if (existsSync(built) && statSync(built).mtimeMs >= inputs) return;
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

function restore() {
  if (!existsSync(saved)) return;
  const { mtime } = statSync(saved);
  copyFileSync(saved, manifest);
  utimesSync(manifest, new Date(), mtime);
  rmSync(saved);
}

function prepack() {
  restore();
  buildIfStale();
  const text = readFileSync(manifest, 'utf8');
  const published = JSON.parse(text);
  for (const field of developmentOnly) delete published[field];
  mkdirSync(join(root, '.tmp'), { recursive: true });
  copyFileSync(manifest, saved);
  utimesSync(saved, new Date(), statSync(manifest).mtime);
  writeFileSync(manifest, `${JSON.stringify(published, null, 2)}\n`);
}

const commands = { 'build-if-stale': buildIfStale, prepack, postpack: restore };
const command = process.argv[2];
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!(command in commands)) {
    console.error(`usage: node scripts/package.mjs ${Object.keys(commands).join('|')}`);
    process.exit(2);
  }
  commands[command]();
}
