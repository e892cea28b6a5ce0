//
// `conn.violations`: the contract violations of each connection, in order.
// The contract layer owns them (the handle only shows them, through its
// `violations` slot): its stages and its handshake check write here, and
// nothing else does.
//
import { violationsSlot, type Connection } from '../connections/Connection.js';
import { MAX_CLOSE_REASON_BYTES } from '../util/closeCodes.js';
import type { ContractError } from './model.js';
import type { ContractViolation } from './types.js';

const violations = violationsSlot.claim('asyncapi/violations.ts');

/** The most characters of a frame a violation keeps. */
const FRAME_LIMIT = 4096;

/** Journals a violation on `connection`, keeping the newest `limit` (the server's `journal.limit`). */
export function recordViolation(connection: Connection, violation: ContractViolation, limit: number): void {
  let log = violations.get(connection);
  if (log === undefined) violations.set(connection, (log = []));
  log.push(violation);
  if (log.length > limit) log.shift();
}

/** A frame as a violation shows it: its text (bounded), or `<binary N bytes>`. */
export function frameText(data: string | Buffer, binary: boolean): string {
  if (binary) return `<binary ${data.length} bytes>`;
  const text = typeof data === 'string' ? data : data.toString('utf8');
  return text.length > FRAME_LIMIT ? `${text.slice(0, FRAME_LIMIT - 1)}…` : text;
}

/** The close reason of a strict mock's 1008: the violation in at most 123 bytes (a close frame's limit). */
export function closeReason(violation: ContractViolation): string {
  const first = violation.errors[0];
  const what = violation.message === undefined ? 'frame' : `"${violation.message}"`;
  let reason = `contract violation: ${what}${first ? ` ${first.path} ${first.message}` : ''}`;
  while (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) reason = `${reason.slice(0, -2)}…`;
  return reason;
}

/** One error at the payload's root. */
export function rootError(message: string, keyword: string): ContractError {
  return { path: '$', message, keyword };
}
