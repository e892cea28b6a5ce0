import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { addFiles, packed, packIntoConsumer, root } from './helpers/pack.js';

const run = promisify(execFile);
let consumer: string;
let pkg: string;

beforeAll(() => {
  consumer = packIntoConsumer('consumer');
  pkg = join(consumer, 'node_modules', 'wsmock');
  addFiles(consumer, ['consumer.cjs', 'consumer.mjs']);
}, 120_000);

describe('the packed package', () => {
  it('ships the built output and the sources its maps name, no tests', () => {
    expect(existsSync(join(pkg, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'index.cjs'))).toBe(true);
    expect(existsSync(join(pkg, 'src', 'index.ts'))).toBe(true);
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

describe('issue 22 item 6: the published package.json carries no development scripts', () => {
  it('has no scripts, devDependencies or overrides, and keeps what consumers need', () => {
    const published = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    const development = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(published).not.toHaveProperty('scripts');
    expect(published).not.toHaveProperty('devDependencies');
    expect(published).not.toHaveProperty('overrides');
    for (const field of ['name', 'version', 'exports', 'bin', 'dependencies', 'peerDependencies', 'engines']) {
      expect(published[field], field).toEqual(development[field]);
    }
  });

  it('leaves the working package.json as it was after packing', () => {
    const development = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(development.scripts).toHaveProperty('build');
    expect(existsSync(join(root, '.tmp', 'package.json.development'))).toBe(false);
  });

  it('installs with npm without an install-scripts warning', async () => {
    // npm installs the tarball offline: wsmock's dependencies are copied from the
    // repository's node_modules first, so nothing is fetched.
    const project = join(root, '.tmp', 'npm-install');
    rmSync(project, { recursive: true, force: true });
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    for (const name of productionDependencies()) {
      cpSync(join(root, 'node_modules', name), join(project, 'node_modules', name), { recursive: true, dereference: true });
    }
    const { stdout, stderr } = await run('npm', ['install', packed().path, '--offline', '--no-audit', '--no-fund'], {
      cwd: project,
      timeout: 60_000,
    });
    expect(`${stdout}${stderr}`).not.toMatch(/install-scripts|prepare/);
    expect(existsSync(join(project, 'node_modules', 'wsmock', 'dist', 'index.js'))).toBe(true);
  }, 90_000);
});

describe('issue 22 item 6: lean source maps and the package size', () => {
  it('is under 1.8 MB packed and 7.2 MB unpacked', () => {
    // 0.9 MB and 3.3 MB when this was written (1.3 MB and 4.9 MB then with the
    // sources embedded in every map: the next test guards that); 1.22 MB and
    // 4.8 MB once the Pusher, ActionCable, Phoenix and Supabase kits shipped;
    // 1.44 MB and 5.7 MB with the SignalR, STOMP (SockJS) and MQTT kits;
    // 1.61 MB and 6.37 MB with AsyncAPI; 1.71 MB and 6.70 MB with Playwright
    // routing and remote handles.
    const { size, unpackedSize } = packed();
    expect(size).toBeLessThan(1.8e6);
    expect(unpackedSize).toBeLessThan(7.2e6);
  });

  it('ships maps for the ESM build only, none embedding sources, each naming files the package ships', () => {
    const dist = join(pkg, 'dist');
    const files = readdirSync(dist);
    expect(files.filter((file) => file.endsWith('.cjs.map'))).toEqual([]);
    for (const file of files.filter((name) => name.endsWith('.cjs'))) {
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toContain('sourceMappingURL');
    }
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(dist, file), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      expect(map.sourcesContent, file).toBeUndefined();
      for (const source of map.sources) {
        const path = resolve(dist, source);
        expect(path.startsWith(pkg + sep) && existsSync(path), `${file} names ${source}`).toBe(true);
      }
    }
  });
});

/** wsmock's dependencies and theirs, by name, as the repository's node_modules holds them (hoisted). */
function productionDependencies(): Set<string> {
  const names = new Set<string>();
  const pending = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (names.has(name)) continue;
    names.add(name);
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: object };
    pending.push(...Object.keys(manifest.dependencies ?? {}));
  }
  return names;
}
