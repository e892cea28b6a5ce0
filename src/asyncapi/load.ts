//
// loadAsyncApi: a document (a file, YAML or JSON, or an object) read, checked
// and normalised into the contract the mocks, the checks and the report use.
//
//   read the file → read every local file its `$ref`s name (a remote one is
//   refused, never fetched) → check the version and the structure against the
//   official schema → replace `$ref`s by their targets → read the version's
//   shape (normalize2.ts, normalize3.ts) → compile the payload validators and
//   choose the channels to serve (normalize.ts).
//
// Every problem is a WSMOCK_ERR_INVALID_CONFIG naming the file, the JSON path
// (and line) and what is wrong, thrown before anything listens.
//
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { invalidArgument, invalidConfig } from '../errors/catalogue.js';
import { validateDocument } from './document.js';
import { loadSchemaLibs } from './libs.js';
import type { AsyncApiContract } from './model.js';
import { assemble } from './normalize.js';
import { read2 } from './normalize2.js';
import { read3 } from './normalize3.js';
import { objectSource, parseSource, RefResolver, shownPath, type SourceFile } from './refs.js';
import { ContractValidators } from './validators.js';

/** Options of {@link loadAsyncApi}. */
export interface LoadAsyncApiOptions {
  /**
   * Serve the channels of this server only (a key of the document's
   * `servers`, which must be a `ws` or `wss` one). Without it: the channels of
   * every `ws`/`wss` server, or every channel when the document has no `servers`.
   */
  server?: string;
  /**
   * The folder a relative file name and the `$ref`s of a document passed as an
   * object are read from (default: the working directory). A file's own `$ref`s
   * are read from the file's folder.
   */
  baseDir?: string;
}

async function readRoot(file: string): Promise<SourceFile> {
  const shown = shownPath(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw invalidConfig(`AsyncAPI document ${shown}`, [{ path: '$', message: `cannot be read: ${(err as Error).message}`, file: shown }]);
  }
  return parseSource(text, file, dirname(file), `AsyncAPI document ${shown}`);
}

/**
 * Reads an AsyncAPI document (2.x, 3.0 or 3.1; YAML or JSON; a file or an
 * object) into a contract: its channels, operations and messages, with every
 * message's payload validator compiled. Local `$ref`s are followed (`#/...`,
 * and files beside it: `./messages.yaml#/ping`); a remote one is an error,
 * never fetched. A 2.x message with an `x-reply` extension (a `$ref` to a
 * message, or a list of them) is answered with that message: its operation
 * gets it as `reply`.
 *
 * Throws `WSMOCK_ERR_INVALID_CONFIG` naming the file, the JSON path and what
 * is wrong: a syntax error, an unsupported version, a document the official
 * schema refuses, a `$ref` that does not resolve or is remote, a payload
 * schema that does not compile, an unknown `options.server`. What it goes on
 * with (an example that fails its own schema, a channel on no WebSocket
 * server) is in `warnings` and `skipped`.
 *
 * The first call imports ajv and the AsyncAPI schemas and compiles the
 * document version's schema (a few hundred milliseconds, once per process).
 *
 * @example
 * ```ts
 * const contract = await loadAsyncApi('test/contracts/kraken.yaml');
 * contract.channels.map((c) => c.path); // ['/']
 * contract.message('ping')?.validate({ event: 'ping', reqid: 'x' }); // [{ path: '$.reqid', message: 'must be integer', keyword: 'type' }]
 * ```
 */
export async function loadAsyncApi(fileOrObject: string | object, options: LoadAsyncApiOptions = {}): Promise<AsyncApiContract> {
  if (typeof fileOrObject !== 'string' && (typeof fileOrObject !== 'object' || fileOrObject === null || Array.isArray(fileOrObject))) {
    throw invalidArgument(`loadAsyncApi() takes a file name or a document object, got ${Array.isArray(fileOrObject) ? 'an array' : String(fileOrObject)}`);
  }
  if (options.server !== undefined && typeof options.server !== 'string') throw invalidArgument(`loadAsyncApi() options.server must be a server's name (a string), got ${typeof options.server}`);
  if (options.baseDir !== undefined && typeof options.baseDir !== 'string') throw invalidArgument(`loadAsyncApi() options.baseDir must be a folder (a string), got ${typeof options.baseDir}`);
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const source = typeof fileOrObject === 'string' ? await readRoot(resolve(baseDir, fileOrObject)) : objectSource(fileOrObject, baseDir, 'AsyncAPI document');
  const what = source.shown !== undefined ? `AsyncAPI document ${source.shown}` : 'AsyncAPI document';
  const libs = await loadSchemaLibs();
  const resolver = new RefResolver(source, what);
  await resolver.read();
  const version = validateDocument(libs, source, what);
  const doc = resolver.materialise() as Record<string, unknown>;
  const draft = version.startsWith('2.') ? read2(doc) : read3(doc);
  return assemble(draft, { version, file: source.file, what, resolver, validators: new ContractValidators(libs), server: options.server });
}
