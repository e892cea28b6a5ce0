//
// The mock kinds a server speaks: the built-in kits, then the user's, made
// into this copy's kinds. Named above server/, mocks/ and config/, so none of
// them depends on a kit; createMockServer, config files and the CLI ask here.
//
import { WsMockError, invalidConfig, type ConfigIssue } from './errors.js';
import type { MockEnvelope } from './mocks/types.js';
import { isKit, type Kit } from './kit/Kit.js';
import { kitKind } from './kit/kind.js';
import { BUILTIN_KITS } from './kits/builtins.js';
import { validateEnvelope as validateWithKinds } from './mocks/envelope.js';
import { MockKinds } from './mocks/kinds.js';

let builtins: MockKinds | undefined;

/**
 * The mock kinds of a server speaking the built-in kits and `kits`; throws
 * `WSMOCK_ERR_INVALID_CONFIG` for an entry that is not a kit or whose `type`
 * is taken.
 */
export function kindsOf(kits: readonly unknown[] = []): MockKinds {
  if (kits.length === 0) return (builtins ??= new MockKinds(BUILTIN_KITS.map(kitKind)));
  const issues: ConfigIssue[] = [];
  kits.forEach((kit, index) => {
    if (!isKit(kit)) issues.push({ path: `kits[${index}]`, message: 'must be a kit made by defineKit() (import { defineKit } from "wsmock/kit")' });
  });
  if (issues.length > 0) throw invalidConfig('server options', issues);
  const all: readonly Kit[] = [...BUILTIN_KITS, ...(kits as Kit[])];
  try {
    return new MockKinds(all.map(kitKind), 'kits');
  } catch (err) {
    // The issue names the index in the whole list; say it in the user's.
    if (!(err instanceof WsMockError) || !err.issues) throw err;
    throw invalidConfig(
      'server options',
      err.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^kits\[(\d+)\]/, (_, i: string) => `kits[${Number(i) - BUILTIN_KITS.length}]`) })),
    );
  }
}

/**
 * Validates a mock envelope (the form of config files and the admin API)
 * against the built-in types and those of `kits`; throws
 * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field, or the known types for
 * an unknown `type`.
 *
 * @example
 * ```ts
 * validateEnvelope({ type: 'websocket', websocket: { path: '/ws', echoMode: true } });
 * validateEnvelope({ type: 'line', line: { path: '/line' } }, [lineKit]);
 * ```
 */
export function validateEnvelope(envelope: unknown, kits: readonly Kit[] = []): MockEnvelope {
  return validateWithKinds(kindsOf(kits), envelope);
}
