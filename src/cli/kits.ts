//
// `wsmock serve --kit FILE`: the protocol kits a served config may use,
// loaded from the user's own modules. Each module is imported once, by a
// file URL (so a Windows path or a path with `#` imports the file it names),
// and every export that is a kit counts: `export default defineKit(…)`,
// `export const lineKit = defineKit(…)`, or both. A kit is recognised by its
// global brand (`isKit`), so a module importing another installed copy of
// `wsmock/kit` still registers.
//
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isKit, type Kit } from '../kit/Kit.js';
import { kindsOf } from '../serverKinds.js';
import { CliError } from './args.js';

/** A kit and the `--kit` value that brought it, to name the flag in errors. */
interface LoadedKit {
  kit: Kit;
  flag: string;
}

/** The kits a module exports, in export order, each once; the default export first. */
function kitsOf(module: Record<string, unknown>): Kit[] {
  const names = Object.keys(module).sort((a, b) => Number(b === 'default') - Number(a === 'default'));
  return [...new Set(names.map((name) => module[name]).filter(isKit))];
}

/** Imports one `--kit` module, resolved against the working directory. */
async function importKits(value: string): Promise<LoadedKit[]> {
  const flag = `--kit ${value}`;
  const file = resolve(value);
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) throw new CliError(`${flag}: no such file (${file}; the path is resolved against the working directory).`);
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
 * Loads every `--kit` module, in order, and checks that the kits can share a
 * server: a type that is a built-in kit's, or another `--kit`'s, is refused
 * naming the flag. Throws a {@link CliError} (exit 1) before anything listens.
 */
export async function loadKitFlags(values: readonly string[]): Promise<Kit[]> {
  const loaded: LoadedKit[] = [];
  for (const value of values) loaded.push(...(await importKits(value)));
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

