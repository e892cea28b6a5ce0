/**
 * The error type of wsmock and its stable codes. Every error the library raises
 * on purpose is a {@link WsMockError} made by a builder of `catalogue.ts`.
 */

const kWsMockError = Symbol.for('wsmock.error');

/** Stable error codes. Match on these, never on message text. */
export const WsMockErrorCode = {
  /** A mock config or an option is invalid; `issues` lists every problem. */
  INVALID_CONFIG: 'WSMOCK_ERR_INVALID_CONFIG',
  /** An argument to a method is invalid (a close code, a send payload, a timeout). */
  INVALID_ARGUMENT: 'WSMOCK_ERR_INVALID_ARGUMENT',
  /** A mock with that id already exists on the server. */
  DUPLICATE_ID: 'WSMOCK_ERR_DUPLICATE_ID',
  /** Another enabled mock already serves that path. */
  PATH_CONFLICT: 'WSMOCK_ERR_PATH_CONFLICT',
  /** No mock has that id (or it was removed). */
  MOCK_NOT_FOUND: 'WSMOCK_ERR_MOCK_NOT_FOUND',
  /** No connection has that id on this server. */
  CONNECTION_NOT_FOUND: 'WSMOCK_ERR_CONNECTION_NOT_FOUND',
  /** The connection is closing or closed; nothing can be sent on it. */
  CONNECTION_CLOSED: 'WSMOCK_ERR_CONNECTION_CLOSED',
  /** What carries the connection cannot do that (`conn.fail()` on a Server-Sent Events stream). */
  UNSUPPORTED: 'WSMOCK_ERR_UNSUPPORTED',
  /** A `waitFor*` call did not see what it waited for in time. */
  TIMEOUT: 'WSMOCK_ERR_TIMEOUT',
  /** The server is closing or closed. */
  SERVER_CLOSED: 'WSMOCK_ERR_SERVER_CLOSED',
  /** The server could not start listening (port in use, bad host). */
  LISTEN_FAILED: 'WSMOCK_ERR_LISTEN_FAILED',
} as const;

/** One of the values of {@link WsMockErrorCode}. */
export type WsMockErrorCode = (typeof WsMockErrorCode)[keyof typeof WsMockErrorCode];

/** One problem found while validating a config: where, and what rule it broke. */
export interface ConfigIssue {
  /** Field path in dotted form, e.g. `matchers[2].match.type`. Empty for the root. */
  path: string;
  /** What is wrong and what is expected. */
  message: string;
  /** For config files: the file the problem is in. */
  file?: string;
  /** For config files: 1-based line of the offending value. */
  line?: number;
  /** For config files: 1-based column of the offending value. */
  column?: number;
}

/** Options accepted by the {@link WsMockError} constructor. */
export interface WsMockErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Problems found in a config (for `WSMOCK_ERR_INVALID_CONFIG`). */
  issues?: ConfigIssue[];
}

/**
 * The error type of wsmock. `instanceof WsMockError` works even when two copies
 * of the package are installed, because errors are branded with a global symbol.
 *
 * @example
 * ```ts
 * try {
 *   server.websocket({ path: 'no-slash' });
 * } catch (err) {
 *   if (err instanceof WsMockError && err.code === 'WSMOCK_ERR_INVALID_CONFIG') {
 *     console.log(err.issues); // [{ path: 'path', message: 'must start with "/"' }]
 *   }
 * }
 * ```
 */
export class WsMockError extends Error {
  /** The stable code of this error. */
  readonly code: WsMockErrorCode;
  /** For `WSMOCK_ERR_INVALID_CONFIG`: every problem found, with its field path. */
  readonly issues: ConfigIssue[] | undefined;

  constructor(code: WsMockErrorCode, message: string, options: WsMockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WsMockError';
    this.code = code;
    this.issues = options.issues;
    Object.defineProperty(this, kWsMockError, { value: true });
  }

  /** True for any wsmock error, from this copy of the package or another. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kWsMockError] === true;
  }
}
