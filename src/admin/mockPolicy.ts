//
// What a mock posted over HTTP may make the server do beyond answering its
// clients. In-process and in a config file a mock is the operator's own: it
// may read any recording and dial any upstream. Over HTTP it is whoever
// reaches the admin API, so `replay.file` is read only inside the recordings
// directory the server was started with, and `proxy.url` dials only the hosts
// it was started with. Checked before the mock is validated: validating a
// replay reads its file.
//
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
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
 * The real path of `file` inside the recordings directory, once read and
 * found to be JSON. Nothing of the file is quoted in an error, and a file
 * that is missing, unreadable or a link leading out all get one message:
 * the answer must not tell what exists on the machine.
 */
async function confineRecording(file: string, policy: MockPolicy, path: string): Promise<string> {
  const dir = policy.recordings;
  if (dir === undefined) {
    throw validationError(
      path,
      'is refused over the admin API: this server was started without a recordings directory (wsmock serve --recordings DIR, or the admin option "recordings"); send the recording inline in "replay.recording" instead',
    );
  }
  const target = resolve(dir, file);
  if (!isInside(dir, target)) throw validationError(path, `must name a file inside the recordings directory, relative to it (no ".." or absolute path leading out of it)`);
  const unreadable = () => validationError(path, `is not a readable recording file inside the recordings directory`);
  let real: string;
  let text: string;
  try {
    real = await realpath(target);
    if (!isInside(await realpath(dir), real)) throw unreadable();
    text = await readFile(real, 'utf8');
  } catch {
    throw unreadable();
  }
  try {
    JSON.parse(text);
  } catch {
    throw validationError(path, 'is not valid JSON (a recording file is "wsmock-recording/1" JSON or a HAR file)');
  }
  return real;
}

/**
 * Checks the fields of a mock posted over HTTP (`body.websocket` of an
 * envelope, the same key of a PATCH) against `policy`. A `replay.file` that
 * passes is rewritten to its real path, so that what is validated and
 * replayed is the file checked here. Throws a 400 `validation_error` naming
 * the field and the rule.
 */
export async function applyMockPolicy(fields: unknown, where: string, policy: MockPolicy): Promise<void> {
  if (!isObject(fields)) return;
  const { replay, proxy } = fields;
  if (isObject(replay) && typeof replay.file === 'string' && replay.file !== '') {
    replay.file = await confineRecording(replay.file, policy, `${where}.replay.file`);
  }
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
