/**
 * Whether `code` may be sent in a close frame (RFC 6455 §7.4): 1000-1003,
 * 1007-1014, and the application range 3000-4999. 1004-1006 and 1015 are
 * reserved for local use and never go on the wire.
 */
export function isValidCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999))
  );
}

/** The rule {@link isValidCloseCode} checks, for error messages: "code must be …". */
export const CLOSE_CODE_RULE = 'must be 1000, 1001-1014 (not 1004-1006) or 3000-4999';

/** A close frame carries at most 125 bytes: the 2-byte code and a reason of up to 123 bytes (UTF-8). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Whether `reason` fits in a close frame. */
export function isValidCloseReason(reason: string): boolean {
  return Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES;
}

/** The rule {@link isValidCloseReason} checks, for error messages: "reason must be …". */
export const CLOSE_REASON_RULE = `must be at most ${MAX_CLOSE_REASON_BYTES} bytes`;

/** Close codes wsmock sends on its own account. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** A peer broke its protocol (a Socket.IO kit session sending what does not parse). */
  PROTOCOL_ERROR: 1002,
  /**
   * Not a code on the wire: a transport closing with it sends a close frame
   * without a body, which a client reports as 1005 (what engine.io's
   * `websocket.close()` sends).
   */
  NO_STATUS: 1005,
  /** A client frame broke the mock's AsyncAPI contract (a `strict` contract mock). */
  POLICY_VIOLATION: 1008,
  SERVICE_RESTART: 1012,
} as const;
