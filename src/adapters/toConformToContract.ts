//
// `toConformToContract`: on a connection of a mock checked against an AsyncAPI
// contract, no frame (nor the handshake) has broken it so far. It reads the
// connection's public `violations` only, so it works on a handle from any
// copy of the package.
//
import type { ContractViolation } from '../asyncapi/types.js';
import { compileJsonPath } from '../behaviour/match.js';
import type { MatcherContext, MatcherResult } from './context.js';
import { compact, connectionJournal } from './journal.js';
import { assertConnection } from './subject.js';
import { hint } from './verdict.js';

/** How many violations a failure message lists in full. */
const SHOWN = 5;

const DIRECTION: Record<ContractViolation['direction'], string> = { in: '← in ', out: '→ out' };

/** The value at a JSON path such as `$.subscription.pair[0]` of a frame's JSON; `undefined` when it is not there (or the frame is not JSON). */
export function valueAtPath(frame: string, path: string): { found: boolean; value?: unknown } {
  let root: unknown;
  try {
    root = JSON.parse(frame);
  } catch {
    return { found: false };
  }
  const [value, ...rest] = compileJsonPath(path)(root);
  return value === undefined && rest.length === 0 ? { found: false } : { found: true, value };
}

/** One violation as a failure message lists it: where it went, what it was closest to, each error with what the frame holds there. */
export function describeViolation(violation: ContractViolation): string {
  const what = violation.handshake ? `handshake (${violation.handshake})` : `closest message: ${violation.message ?? 'none'}`;
  const head = `  ${DIRECTION[violation.direction]} ${compact(violation.frame)}  [channel ${violation.channel}; ${what}]`;
  const errors = violation.errors.map((error) => {
    const at = violation.handshake ? { found: false } : valueAtPath(violation.frame, error.path);
    const received = at.found ? ` (received ${compact(at.value, 60)})` : '';
    return `      ${error.path} ${error.message}${received}`;
  });
  return [head, ...errors].join('\n');
}

/**
 * `expect(conn).toConformToContract()`: no frame of the connection, either way,
 * and not its handshake, broke its mock's AsyncAPI contract so far. A failure
 * lists each violation: its direction, the frame, the contract message it was
 * closest to, and each error's JSON path with the value the frame holds there.
 * With `.not`: at least one did. Waits for nothing, so `await` is optional.
 */
export function toConformToContract(this: MatcherContext, received: unknown): MatcherResult {
  assertConnection(this, 'toConformToContract', received);
  const conn = received;
  const violations = conn.violations;
  const head = hint(this, 'toConformToContract', '');
  return {
    pass: violations.length === 0,
    message: () => {
      if (violations.length === 0) return `${head}\n\nExpected ${conn.id} to have broken its contract, it has no violations.\n\n${connectionJournal(conn)}`;
      const shown = violations.slice(0, SHOWN).map(describeViolation).join('\n');
      const more = violations.length > SHOWN ? `\n  … and ${violations.length - SHOWN} more (conn.violations has them all)` : '';
      return `${head}\n\n${conn.id} broke its contract ${violations.length} time(s):\n${shown}${more}\n\n${connectionJournal(conn)}`;
    },
  };
}
