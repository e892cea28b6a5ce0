//
// What a mock posted over HTTP may make the server do beyond answering its
// clients. In-process and in a config file a mock is the operator's own: it
// may read any recording or contract and dial any upstream. Over HTTP it is
// whoever reaches the admin API, so `replay.file` and `contract.file` are read
// only inside the recordings directory the server was started with, a
// contract may `$ref` no other file, and `proxy.url` dials only the hosts it
// was started with. Checked before the mock is validated: validating a replay
// reads its file.
//
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import YAML from 'yaml';
import { validationError } from './httpErrors.js';
import { formatHostRule, upstreamAllowed, type HostRule } from './hostRules.js';

/** The limits of one admin handler (see `recordings` and `proxyAllow` of its options). */
export interface MockPolicy {
  /** Absolute; `undefined`: `replay.file` is refused. */
  readonly recordings: string | undefined;
  /** The upstreams `proxy.url` may dial. */
  readonly proxyAllow: readonly HostRule[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `path` is strictly below `dir` (both absolute). */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The real path and text of `file` inside the recordings directory. Nothing
 * of the file is quoted in an error, and a file that is missing, unreadable
 * or a link leading out all get one message: the answer must not tell what
 * exists on the machine. `kind` names the file in errors and the inline
 * alternative (`refusedHint`).
 */
async function confineFile(file: string, policy: MockPolicy, path: string, kind: string, refusedHint: string): Promise<{ real: string; text: string }> {
  const dir = policy.recordings;
  if (dir === undefined) {
    throw validationError(
      path,
      `is refused over the admin API: this server was started without a recordings directory (wsmock serve --recordings DIR, or the admin option "recordings"); ${refusedHint}`,
    );
  }
  const target = resolve(dir, file);
  if (!isInside(dir, target)) throw validationError(path, `must name a file inside the recordings directory, relative to it (no ".." or absolute path leading out of it)`);
  const unreadable = () => validationError(path, `is not a readable ${kind} file inside the recordings directory`);
  try {
    const real = await realpath(target);
    if (!isInside(await realpath(dir), real)) throw unreadable();
    return { real, text: await readFile(real, 'utf8') };
  } catch {
    throw unreadable();
  }
}

/** The real path of a recording inside the recordings directory, once read and found to be JSON. */
async function confineRecording(file: string, policy: MockPolicy, path: string): Promise<string> {
  const { real, text } = await confineFile(file, policy, path, 'recording', 'send the recording inline in "replay.recording" instead');
  try {
    JSON.parse(text);
  } catch {
    throw validationError(path, 'is not valid JSON (a recording file is "wsmock-recording/1" JSON or a HAR file)');
  }
  return real;
}

/** The first `$ref` in `value` that names another file (anything but `#…`, a pointer into the document itself). */
function fileRef(value: unknown, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null || depth > 200) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = fileRef(item, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && !item.startsWith('#')) return item;
    const found = fileRef(item, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function refusedRef(path: string, ref: string): never {
  throw validationError(path, `may $ref only inside its own document over the admin API ("#/components/…"), not ${JSON.stringify(ref)}: another file is read only from a config file or in-process`);
}

/**
 * A `contract` posted over HTTP: its `file` confined to the recordings
 * directory (rewritten to its real path), no `baseDir`, and no `$ref` to
 * another file, in the file or in an inline document: the loader follows
 * file `$ref`s from wherever they point.
 */
async function confineContract(contract: Record<string, unknown>, policy: MockPolicy, where: string): Promise<void> {
  if (contract.baseDir !== undefined && contract.baseDir !== null) throw validationError(`${where}.baseDir`, 'is refused over the admin API: a contract file is named relative to the recordings directory');
  if (contract.contract !== undefined) {
    const ref = fileRef(contract.contract);
    if (ref !== undefined) refusedRef(`${where}.contract`, ref);
    return;
  }
  if (typeof contract.file !== 'string' || contract.file === '') return;
  const { real, text } = await confineFile(contract.file, policy, `${where}.file`, 'contract', 'send the document inline in "contract.contract" instead');
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch {
    throw validationError(`${where}.file`, 'is not a YAML or JSON document (an AsyncAPI contract)');
  }
  const ref = fileRef(document);
  if (ref !== undefined) refusedRef(`${where}.file`, ref);
  contract.file = real;
}

/**
 * Checks the fields of a mock posted over HTTP (`body.websocket` of an
 * envelope, the same key of a PATCH) against `policy`. A `replay.file` or
 * `contract.file` that passes is rewritten to its real path, so that what is
 * validated and read is the file checked here. Throws a 400 `validation_error` naming
 * the field and the rule.
 */
export async function applyMockPolicy(fields: unknown, where: string, policy: MockPolicy): Promise<void> {
  if (!isObject(fields)) return;
  const { replay, proxy, contract } = fields;
  if (isObject(replay) && typeof replay.file === 'string' && replay.file !== '') {
    replay.file = await confineRecording(replay.file, policy, `${where}.replay.file`);
  }
  if (isObject(contract)) await confineContract(contract, policy, `${where}.contract`);
  if (isObject(proxy) && typeof proxy.url === 'string') {
    let url: URL | undefined;
    try {
      url = new URL(proxy.url);
    } catch {
      // Not a URL: the mock's own validation says so.
    }
    if (url && (url.protocol === 'ws:' || url.protocol === 'wss:') && !upstreamAllowed(url, policy.proxyAllow)) {
      const allowed = policy.proxyAllow.map(formatHostRule).join(', ') || '(none)';
      throw validationError(
        `${where}.proxy.url`,
        `dials ${url.host}, which a mock posted over the admin API may not dial: it may proxy only to ${allowed} (wsmock serve --proxy-allow HOST[:PORT], or the admin option "proxyAllow")`,
      );
    }
  }
}
