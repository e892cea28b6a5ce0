import { readFile } from 'node:fs/promises';
import { dirname, extname, relative, resolve } from 'node:path';
import YAML, { LineCounter } from 'yaml';
import { position } from '../util/yamlPosition.js';
import { invalidConfig, type ConfigIssue } from '../errors.js';
import type { MockEnvelope } from '../mocks/types.js';
import { envelopeToConfig } from '../mocks/envelope.js';
import { formatPath, rawIssues } from '../mocks/validate.js';
import { configFileSchema, type ConfigOptions, type ConfigServerBlock } from './schema.js';
import type { ChaosOptions } from '../chaos/types.js';
import { validateChaos } from '../chaos/validate.js';
import { withKnownKeys } from '../mocks/unknownFields.js';
import { kindsOf } from '../serverKinds.js';

/** A config file, validated, with where each mock came from. */
export interface LoadedConfig {
  /** Listener settings merged from every file (later files win). */
  server: ConfigServerBlock;
  /** Every mock of every file, each with an id. */
  mocks: MockEnvelope[];
  /** Which file defined each mock id. */
  sources: Record<string, string>;
}

/** Ids for mocks that have none: derived from the path, so they stay put when other mocks are edited. */
function idFromPath(path: string): string {
  const slug = path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? 'root' : slug.slice(0, 128);
}

/**
 * Parses and validates one config file's text (YAML, or JSON, which is YAML).
 * Throws `WSMOCK_ERR_INVALID_CONFIG` whose issues name the file, the line and
 * column, and the field path. Mocks may be of the built-in types and of
 * the types of `options.kits`.
 */
export function parseConfig(text: string, file: string, options: ConfigOptions = {}): LoadedConfig {
  const counter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw invalidConfig(
      `config file ${file}`,
      doc.errors.map((e) => ({
        path: '',
        message: `${extname(file) === '.json' ? 'JSON' : 'YAML'} syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        file,
        line: e.linePos?.[0].line,
        column: e.linePos?.[0].col,
      })),
    );
  }
  const data = documentData(doc, `config file ${file}`, file);
  const result = configFileSchema(kindsOf(options.kits)).safeParse(data, withKnownKeys);
  if (!result.success) {
    throw invalidConfig(
      `config file ${file}`,
      rawIssues(result.error).map((i) => ({ path: formatPath(i.segments), message: i.message, file, ...position(doc, counter, i.segments) })),
    );
  }
  const mocks = ((result.data.mocks ?? []) as MockEnvelope[]).map((m) => ({ ...m, id: m.id ?? idFromPath(envelopeToConfig(m).path) }) as MockEnvelope);
  const sources: Record<string, string> = {};
  const issues: ConfigIssue[] = [];
  mocks.forEach((mock, index) => {
    if (sources[mock.id!]) {
      issues.push({ path: `mocks[${index}].id`, message: `"${mock.id}" is used twice in this file`, file, ...position(doc, counter, ['mocks', index]) });
    }
    sources[mock.id!] = file;
  });
  if (issues.length > 0) throw invalidConfig(`config file ${file}`, issues);
  return { server: (result.data.server ?? {}) as ConfigServerBlock, mocks, sources };
}

/**
 * Reads, validates and merges config files. Later files' `server` settings
 * win; a mock id defined in two files is an error naming both.
 *
 * @example
 * ```ts
 * const { mocks } = await loadConfigFiles(['mocks/chat.yaml']);
 * const server = await createMockServer({ mocks });
 * ```
 */
export async function loadConfigFiles(files: readonly string[], options: ConfigOptions = {}): Promise<LoadedConfig> {
  const merged: LoadedConfig = { server: {}, mocks: [], sources: {} };
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw invalidConfig(`config file ${shown}`, [{ path: '', message: `cannot be read: ${(err as Error).message}`, file: shown }]);
    }
    const loaded = parseConfig(text, shown, options);
    for (const mock of loaded.mocks) {
      const earlier = merged.sources[mock.id!];
      if (earlier) {
        throw invalidConfig('config files', [{ path: 'id', message: `mock id "${mock.id}" is defined in both ${earlier} and ${shown}`, file: shown }]);
      }
      merged.sources[mock.id!] = shown;
      merged.mocks.push(mock);
    }
    const tls = loaded.server.tls;
    // Certificate paths are the config file's: resolved now, before the files merge.
    if (typeof tls === 'object') {
      const at = (path: string) => resolve(dirname(file), path);
      loaded.server.tls = { cert: at(tls.cert), key: at(tls.key), ...(tls.ca !== undefined ? { ca: at(tls.ca) } : {}) };
    }
    // Kit modules too, and every file's count: kits add up, unlike the listener settings.
    const kits = loaded.server.kits?.map((path) => resolve(dirname(file), path));
    if (kits) loaded.server.kits = [...(merged.server.kits ?? []), ...kits];
    Object.assign(merged.server, loaded.server);
  }
  return merged;
}

/**
 * Reads a chaos file (`wsmock serve --chaos FILE`): chaos options in YAML or
 * JSON. Throws `WSMOCK_ERR_INVALID_CONFIG` naming the file and each bad field.
 */
export async function loadChaosFile(file: string): Promise<ChaosOptions> {
  const name = relative(process.cwd(), file) || file;
  const doc = YAML.parseDocument(await readFile(file, 'utf8'), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw invalidConfig(`chaos file ${name}`, [{ path: '', message: `syntax error: ${doc.errors[0]!.message.split('\n')[0]}`, file: name }]);
  }
  const data = documentData(doc, `chaos file ${name}`, name);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalidConfig(`chaos file ${name}`, [{ path: '', message: 'must hold chaos options (a map such as "drop: 0.1")', file: name }]);
  }
  return validateChaos(data, `chaos file ${name}`, [])!;
}

/** The most alias expansions (`*name`) a config or chaos file's YAML may make: the yaml library's default. */
const MAX_ALIAS_COUNT = 100;

/**
 * A parsed file's data. The yaml library refuses aliases that expand past
 * the bound (a "billion laughs" file) with a ReferenceError; that is an
 * invalid file named as such, not an unexpected error.
 */
function documentData(doc: YAML.Document, what: string, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw invalidConfig(what, [{ path: '', message: `YAML aliases expand too far: ${(err as Error).message} (more than ${MAX_ALIAS_COUNT} alias expansions); write the repeated part out or split the file`, file }]);
  }
}
