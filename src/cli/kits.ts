//
// `wsmock serve --kit FILE` (and a config file's `server.kits`): the protocol
// kits a served config may use, loaded from the user's own modules before
// the mocks are read. Each module is imported once, by a
// file URL (so a Windows path or a path with `#` imports the file it names),
// and every export that is a kit counts: `export default defineKit(…)`,
// `export const lineKit = defineKit(…)`, or both. A kit is recognised by its
// brand (`isKit`), not by `instanceof`.
//
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { isKit, type Kit } from '../kit/Kit.js';
import { kindsOf } from '../serverKinds.js';
import { CliError } from './args.js';

/** Where a kit module was named: its file, what errors call it, what its path is relative to. */
export interface KitSource {
  file: string;
  /** `--kit ./line-kit.js`, or `line.yaml server.kits: ./line-kit.js`. */
  label: string;
  /** What a relative path was resolved against. */
  base: string;
}

/** A kit and where it came from, to name the flag (or file) in errors. */
interface LoadedKit {
  kit: Kit;
  flag: string;
}

/** The `--kit` values: paths from the working directory. */
export function kitFlagSources(values: readonly string[]): KitSource[] {
  return values.map((value) => ({ file: resolve(value), label: `--kit ${value}`, base: 'the working directory' }));
}

/**
 * The kit modules config files name in `server.kits`, paths from each file's
 * folder. Read before the files are validated (their mocks may be of those
 * kits); a file that cannot be read or parsed names none here, and
 * `loadConfigFiles` then reports it.
 */
export async function kitConfigSources(files: readonly string[]): Promise<KitSource[]> {
  const sources: KitSource[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = YAML.parse(await readFile(file, 'utf8'));
    } catch {
      continue;
    }
    const kits = (data as { server?: { kits?: unknown } } | null | undefined)?.server?.kits;
    if (!Array.isArray(kits)) continue;
    const shown = relative(process.cwd(), file) || file;
    for (const value of kits) {
      if (typeof value === 'string' && value !== '') sources.push({ file: resolve(dirname(file), value), label: `${shown} server.kits: ${value}`, base: `the folder of ${shown}` });
    }
  }
  return sources;
}

/** The kits a module exports, in export order, each once; the default export first. */
function kitsOf(module: Record<string, unknown>): Kit[] {
  const names = Object.keys(module).sort((a, b) => Number(b === 'default') - Number(a === 'default'));
  return [...new Set(names.map((name) => module[name]).filter(isKit))];
}

/** Imports one kit module. */
async function importKits({ file, label: flag, base }: KitSource): Promise<LoadedKit[]> {
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) throw new CliError(`${flag}: no such file (${file}; the path is resolved against ${base}).`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`${flag}: cannot be imported: ${(err as Error)?.message ?? String(err)}`);
  }
  const kits = kitsOf(module);
  if (kits.length === 0) {
    const exported = Object.keys(module);
    throw new CliError(
      `${flag}: exports no kit. Export what defineKit() from "wsmock/kit" returns: \`export default defineKit({ … })\` or \`export const lineKit = defineKit({ … })\`` +
        ` (its exports: ${exported.length > 0 ? exported.join(', ') : 'none'}).`,
    );
  }
  return kits.map((kit) => ({ kit, flag }));
}

/**
 * Loads every kit module, in order, and checks that the kits can share a
 * server: a type that is a built-in kit's, or another module's, is refused
 * naming the flag (or file). Throws a {@link CliError} (exit 1) before
 * anything listens. A module named twice is loaded once.
 */
export async function loadKits(sources: readonly KitSource[]): Promise<Kit[]> {
  const loaded: LoadedKit[] = [];
  const files = new Set<string>();
  for (const source of sources) {
    if (files.has(source.file)) continue;
    files.add(source.file);
    loaded.push(...(await importKits(source)));
  }
  const builtin = kindsOf().types;
  const seen = new Map<string, LoadedKit>();
  for (const entry of loaded) {
    const { type } = entry.kit;
    const earlier = seen.get(type);
    if (earlier?.kit === entry.kit) continue;
    if (builtin.includes(type)) {
      throw new CliError(`${entry.flag}: its kit's type "${type}" is the type of a built-in kit; give the kit another type (built-in: ${builtin.map((t) => `"${t}"`).join(', ')}).`);
    }
    if (earlier) throw new CliError(`${entry.flag}: its kit's type "${type}" is already the type of the kit from ${earlier.flag}; a type names one kit per server.`);
    seen.set(type, entry);
  }
  return [...seen.values()].map((entry) => entry.kit);
}

