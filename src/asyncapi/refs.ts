//
// An AsyncAPI document and the local files its `$ref`s name, read once and
// turned into one object graph where every `$ref` is replaced by what it
// points at.
//
// Two phases: `read` finds every file reachable through `$ref`s (asynchronous,
// and where a remote `$ref` is refused before anything is fetched), then
// `materialise` walks the graph synchronously. Each node is materialised once
// per place it really lives in (its file and canonical JSON pointer), so two
// `$ref`s to one message give the same object, and a recursive schema becomes
// a cyclic graph instead of a loop that never ends. `locationOf` tells where a
// materialised node came from, for errors and warnings.
//
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import YAML, { LineCounter, type Document } from 'yaml';
import type { ConfigIssue } from '../errors/WsMockError.js';
import { invalidConfig, remoteAsyncApiRef, unresolvedAsyncApiRef } from '../errors/catalogue.js';
import { position } from '../util/yamlPosition.js';
import { jsonPath, pointerSegments, toPointer } from './paths.js';
import { isObject } from './values.js';

/** One file of a document (the root one, or one a `$ref` names), parsed. */
export interface SourceFile {
  /** Absolute path; undefined for a document passed as an object. */
  readonly file: string | undefined;
  /** How errors name it: relative to the working directory when inside it. */
  readonly shown: string | undefined;
  /** The folder its relative `$ref`s are read from. */
  readonly dir: string;
  /** Its content, as parsed (`$ref`s still in place). */
  readonly data: unknown;
  /** The parsed YAML document and its line counter, for the line of an issue (none for an object). */
  readonly doc: Document.Parsed | undefined;
  readonly counter: LineCounter | undefined;
}

/** Where a node lives: a file and a JSON pointer inside it. */
export interface Location {
  readonly source: SourceFile;
  readonly pointer: string;
}

// A URL scheme of two letters or more (`C:\...` is a Windows path, not a scheme).
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]+:/;

// Maps whose keys are names chosen by the author, not keywords: a property
// called `enum` is a schema like any other.
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependencies',
  'channels',
  'operations',
  'messages',
  'schemas',
  'servers',
  'parameters',
  'correlationIds',
  'replies',
  'replyAddresses',
  'messageTraits',
  'operationTraits',
  'serverVariables',
  'variables',
  'securitySchemes',
  'serverBindings',
  'channelBindings',
  'operationBindings',
  'messageBindings',
]);

// Keywords whose value is data, never walked for `$ref`s: an example payload
// may well hold a `$ref` field of its own.
const LITERALS = new Set(['const', 'enum', 'default', 'example', 'examples']);


function refOf(node: unknown): string | undefined {
  return isObject(node) && !Array.isArray(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
}

/** Whether the keys of the node at `pointer` are keywords (true) or names an author chose (the keys of `properties`, `channels`, ...). */
function keywordsAt(pointer: string): boolean {
  let keywords = true;
  for (const segment of pointerSegments(pointer)) keywords = !(keywords && NAME_MAPS.has(segment));
  return keywords;
}

/** How errors name a file: relative to the working directory when it is inside it. */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') ? rel : file;
}

/** Parses a document's text, YAML or JSON (told apart by its content: JSON is YAML's subset, so one parser reads both). */
export function parseSource(text: string, file: string | undefined, dir: string, what: string): SourceFile {
  const counter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true, merge: true });
  const shown = file !== undefined ? shownPath(file) : undefined;
  if (doc.errors.length > 0) {
    const kind = /^\s*[[{]/.test(text) ? 'JSON' : 'YAML';
    throw invalidConfig(
      what,
      doc.errors.slice(0, 3).map((e) => ({
        path: '$',
        message: `${kind} syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        ...(shown !== undefined ? { file: shown } : {}),
        ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The yaml library refuses aliases that expand past the bound (a "billion laughs" document) with a ReferenceError.
    throw invalidConfig(what, [
      {
        path: '$',
        message: `YAML aliases expand too far: ${(err as Error).message} (more than ${MAX_ALIAS_COUNT} alias expansions); write the repeated part once and $ref it`,
        ...(shown !== undefined ? { file: shown } : {}),
      },
    ]);
  }
  return { file, shown, dir, data, doc, counter };
}

/** The most alias expansions a document's YAML may make (`*name`), counted as the yaml library counts them. */
const MAX_ALIAS_COUNT = 1000;

/** The pointer of the first place where `data` leads back to itself, if it does. */
function firstCycle(data: unknown): string | undefined {
  const onPath = new Set<object>();
  const walk = (node: unknown, pointer: string): string | undefined => {
    if (!isObject(node)) return undefined;
    if (onPath.has(node)) return pointer;
    onPath.add(node);
    for (const [key, value] of Object.entries(node)) {
      const found = walk(value, `${pointer}${toPointer([key])}`);
      if (found !== undefined) return found;
    }
    onPath.delete(node);
    return undefined;
  };
  return walk(data, '');
}

/** A document given as an object: no file, `$ref`s to files read from `dir`. It must be a tree, as JSON is. */
export function objectSource(data: unknown, dir: string, what: string): SourceFile {
  const cycle = firstCycle(data);
  if (cycle !== undefined) {
    throw invalidConfig(what, [{ path: jsonPath(pointerSegments(cycle)), message: 'leads back to an object it is inside: a document must be a tree, as JSON is; write a recursive schema with a $ref' }]);
  }
  return { file: undefined, shown: undefined, dir, data, doc: undefined, counter: undefined };
}

/** The segments of a pointer into `data`, indexes of arrays as numbers (what YAML positions need). */
function typedSegments(data: unknown, pointer: string): (string | number)[] {
  const out: (string | number)[] = [];
  let node = data;
  for (const segment of pointerSegments(pointer)) {
    const index = Array.isArray(node) ? Number(segment) : Number.NaN;
    out.push(Number.isInteger(index) ? index : segment);
    node = isObject(node) ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return out;
}

/** An issue at `pointer` of `source`: its file, JSON path and line. */
export function issueAt(source: SourceFile, pointer: string, message: string): ConfigIssue {
  const segments = typedSegments(source.data, pointer);
  const where = source.doc && source.counter ? position(source.doc, source.counter, segments) : {};
  return {
    path: jsonPath(segments),
    message,
    ...(source.shown !== undefined ? { file: source.shown } : {}),
    ...(where.line !== undefined ? { line: where.line, column: where.column } : {}),
  };
}

/** The files of one document and the graph made from them. */
export class RefResolver {
  readonly #what: string;
  readonly #files = new Map<string, SourceFile>();
  readonly #memo = new Map<string, unknown>();
  readonly #byRaw = new WeakMap<object, object>();
  readonly #locations = new WeakMap<object, Location>();
  /** The document's own file (or object). */
  readonly root: SourceFile;

  constructor(root: SourceFile, what: string) {
    this.root = root;
    this.#what = what;
    if (root.file !== undefined) this.#files.set(root.file, root);
  }

  /** Reads every local file reachable through `$ref`s; refuses remote ones. */
  async read(): Promise<void> {
    const queue: SourceFile[] = [this.root];
    for (let source = queue.shift(); source !== undefined; source = queue.shift()) {
      for (const { ref, pointer } of this.#refsIn(source.data, '', true)) {
        const at = `${pointer}/$ref`;
        if (SCHEME.test(ref)) throw remoteAsyncApiRef(this.#what, issueAt(source, at, ''), ref);
        const filePart = ref.split('#')[0]!;
        if (filePart === '') continue;
        const file = resolve(source.dir, decodeURI(filePart));
        if (this.#files.has(file)) continue;
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          throw this.#unresolved(source, at, ref, code === 'ENOENT' ? `file ${shownPath(file)} does not exist` : `file ${shownPath(file)} cannot be read (${(err as Error).message})`);
        }
        const loaded = parseSource(text, file, dirname(file), this.#what);
        this.#files.set(file, loaded);
        queue.push(loaded);
      }
    }
  }

  /** The root document with every `$ref` replaced by its target (shared, possibly cyclic). */
  materialise(): unknown {
    return this.#materialise({ source: this.root, pointer: '' }, this.root.data);
  }

  /** Where a materialised object came from (undefined for a value that is not one). */
  locationOf(node: unknown): Location | undefined {
    return isObject(node) ? this.#locations.get(node) : undefined;
  }

  /** An issue at a materialised node, or at the root when its place is unknown. */
  issue(node: unknown, message: string, suffix: readonly (string | number)[] = []): ConfigIssue {
    const at = this.locationOf(node) ?? { source: this.root, pointer: '' };
    return issueAt(at.source, at.pointer + toPointer(suffix), message);
  }

  *#refsIn(node: unknown, pointer: string, keywords: boolean, seen: Set<object> = new Set()): Generator<{ ref: string; pointer: string }> {
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    const ref = refOf(node);
    if (ref !== undefined) {
      yield { ref, pointer };
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (keywords && !Array.isArray(node) && LITERALS.has(key)) continue;
      yield* this.#refsIn(value, `${pointer}${toPointer([key])}`, !(keywords && NAME_MAPS.has(key)), seen);
    }
  }

  #materialise(at: Location, node: unknown): unknown {
    if (!isObject(node)) return node;
    const ref = refOf(node);
    if (ref !== undefined) {
      const target = this.#locate(at, ref);
      return this.#materialise(target.at, target.node);
    }
    const key = `${at.source.file ?? ''}#${at.pointer}`;
    if (this.#memo.has(key)) return this.#memo.get(key);
    // One raw object met at two places (a YAML alias, or an object document that is itself a cyclic graph) is one node.
    const same = this.#byRaw.get(node);
    if (same !== undefined) return same;
    const out: Record<string, unknown> | unknown[] = Array.isArray(node) ? [] : {};
    this.#memo.set(key, out);
    this.#byRaw.set(node, out);
    this.#locations.set(out, at);
    const literals = !Array.isArray(node) && keywordsAt(at.pointer);
    for (const [k, value] of Object.entries(node)) {
      const child = { source: at.source, pointer: `${at.pointer}${toPointer([k])}` };
      (out as Record<string, unknown>)[k] = literals && LITERALS.has(k) ? value : this.#materialise(child, value);
    }
    return out;
  }

  /** The node a `$ref` found at `from` points at, following `$ref`s met on the way, with its canonical place. */
  #locate(from: Location, ref: string, seen: Set<string> = new Set()): { at: Location; node: unknown } {
    const at = `${from.pointer}/$ref`;
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    let fragment: string;
    try {
      fragment = hash === -1 ? '' : decodeURIComponent(ref.slice(hash + 1));
    } catch {
      throw this.#unresolved(from.source, at, ref, 'its fragment is not valid percent-encoding');
    }
    if (fragment !== '' && !fragment.startsWith('/')) throw this.#unresolved(from.source, at, ref, 'its fragment must be a JSON pointer ("#/components/...")');
    const source = filePart === '' ? from.source : this.#files.get(resolve(from.source.dir, decodeURI(filePart)));
    if (source === undefined) throw this.#unresolved(from.source, at, ref, 'its file was not read');
    const key = `${source.file ?? ''}#${fragment}`;
    if (seen.has(key)) throw this.#unresolved(from.source, at, ref, 'it leads back to itself through $refs only');
    seen.add(key);
    let node: unknown = source.data;
    let place: Location = { source, pointer: '' };
    for (const segment of pointerSegments(fragment)) {
      const inner = refOf(node);
      if (inner !== undefined) ({ at: place, node } = this.#locate(place, inner, seen));
      if (!isObject(node) || !Object.hasOwn(node, segment)) {
        const where = place.pointer === '' ? 'the document root' : jsonPath(pointerSegments(place.pointer));
        throw this.#unresolved(from.source, at, ref, `${where}${source === from.source ? '' : ` of ${source.shown ?? 'the file'}`} has no "${segment}"`);
      }
      node = (node as Record<string, unknown>)[segment];
      place = { source: place.source, pointer: `${place.pointer}${toPointer([segment])}` };
    }
    const last = refOf(node);
    return last !== undefined ? this.#locate(place, last, seen) : { at: place, node };
  }

  #unresolved(source: SourceFile, pointer: string, ref: string, why: string): Error {
    return unresolvedAsyncApiRef(this.#what, issueAt(source, pointer, ''), ref, why);
  }
}
