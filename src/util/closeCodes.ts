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

/** Close codes wsmock sends on its own account. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  SERVICE_RESTART: 1012,
} as const;
