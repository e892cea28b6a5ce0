//
// The catalogue of wsmock's errors: one builder per error, grouped by area, each
// the one place its message is written (as fastify's `lib/errors.js`). A call
// site passes the values the message names and throws what it gets back; no
// other file constructs a WsMockError (a test greps for that).
//
import { CLOSE_REASON_RULE } from '../util/closeCodes.js';
import { type ConfigIssue, WsMockError, WsMockErrorCode } from './WsMockError.js';

const { INVALID_CONFIG, INVALID_ARGUMENT, DUPLICATE_ID, PATH_CONFLICT, MOCK_NOT_FOUND, CONNECTION_NOT_FOUND, CONNECTION_CLOSED, UNSUPPORTED, TIMEOUT, SERVER_CLOSED, LISTEN_FAILED } =
  WsMockErrorCode;

// ── Config and arguments ────────────────────────────────────────────────────

/** `WSMOCK_ERR_INVALID_CONFIG`: `what` (a mock config, server options, a config file) broke every rule in `issues`, each listed in the message. */
export function invalidConfig(what: string, issues: ConfigIssue[]): WsMockError {
  const lines = issues.map((i) => {
    const where = i.file ? `${i.file}${i.line ? `:${i.line}:${i.column ?? 1}` : ''} ` : '';
    return `  - ${where}${i.path || '(root)'}: ${i.message}`;
  });
  return new WsMockError(INVALID_CONFIG, `Invalid ${what}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${lines.join('\n')}`, { issues });
}

/** `WSMOCK_ERR_INVALID_ARGUMENT`: an argument broke a rule; `message` names the argument, the rule and what it got. */
export function invalidArgument(message: string): WsMockError {
  return new WsMockError(INVALID_ARGUMENT, message);
}

/** `WSMOCK_ERR_INVALID_ARGUMENT`: `code` may not go in a close frame (RFC 6455 §7.4). */
export function invalidCloseCode(code: number): WsMockError {
  return invalidArgument(`close code ${code} is not allowed: use 1000, 1001-1014 (not 1004-1006) or 3000-4999`);
}

/** `WSMOCK_ERR_INVALID_ARGUMENT`: a close reason does not fit in a close frame. */
export function invalidCloseReason(): WsMockError {
  return invalidArgument(`close reason ${CLOSE_REASON_RULE}`);
}

// ── Server lifecycle ────────────────────────────────────────────────────────

/** `WSMOCK_ERR_SERVER_CLOSED`: a getter was read before `createMockServer()` resolved. */
export function serverNotListening(): WsMockError {
  return new WsMockError(SERVER_CLOSED, 'The server is not listening yet. Did you forget to await createMockServer()?');
}

/** `WSMOCK_ERR_SERVER_CLOSED`: `action` was asked of a server that is `state` (closing or closed). */
export function serverNotRunning(action: string, state: string): WsMockError {
  return new WsMockError(SERVER_CLOSED, `Cannot ${action}: the server is ${state}. Create a new one with createMockServer().`);
}

/** `WSMOCK_ERR_SERVER_CLOSED`: the server closed under a pending wait (on mock `mockId` when given, else on the server). */
export function serverClosedDuringWait(mockId?: string): WsMockError {
  return new WsMockError(
    SERVER_CLOSED,
    mockId === undefined ? 'The server was closed while a wait was pending.' : `The server was closed while a wait on mock "${mockId}" was pending.`,
  );
}

/** `WSMOCK_ERR_LISTEN_FAILED`: the server could not `what` (e.g. "listen") on `address:port`, because `why`; `cause` is the socket's error. */
export function listenFailed(what: string, address: string, port: number, why: string, cause: unknown): WsMockError {
  return new WsMockError(LISTEN_FAILED, `Cannot ${what} on ${address}:${port}: ${why}.`, { cause });
}

/** `WSMOCK_ERR_INVALID_ARGUMENT`: the admin listener was asked for twice; `url` is the running one's (none while it starts). */
export function adminAlreadyListening(url: string | undefined): WsMockError {
  return new WsMockError(INVALID_ARGUMENT, `The admin listener is already ${url !== undefined ? `running at ${url}` : 'starting'}; a server has one.`);
}

/** `WSMOCK_ERR_INVALID_ARGUMENT`: `handshake.verify` returned something else than a verdict; `shown` is what it returned, printed. */
export function invalidVerifyResult(shown: string): WsMockError {
  return invalidArgument(`handshake.verify must return true, false or { status, headers?, body? } with status from 400 to 599, got ${shown}.`);
}

// ── Mocks ───────────────────────────────────────────────────────────────────

/** `WSMOCK_ERR_DUPLICATE_ID`: a mock with `id` is already defined. */
export function duplicateMockId(id: string): WsMockError {
  return new WsMockError(DUPLICATE_ID, `A mock with id "${id}" already exists; choose another id or remove it first.`);
}

/** `WSMOCK_ERR_MOCK_NOT_FOUND`: no mock has `id`; `known` lists the ids there are. */
export function mockNotFound(id: string, known: readonly string[]): WsMockError {
  return new WsMockError(MOCK_NOT_FOUND, `No mock with id "${id}". Known ids: ${known.join(', ') || '(none)'}.`);
}

/** `WSMOCK_ERR_MOCK_NOT_FOUND`: mock `id` was removed, and its handle used after. */
export function mockRemoved(id: string): WsMockError {
  return new WsMockError(MOCK_NOT_FOUND, `Mock "${id}" has been removed; define a new one on the server.`);
}

/** `WSMOCK_ERR_MOCK_NOT_FOUND`: mock `id` was removed under a pending wait. */
export function mockRemovedDuringWait(id: string): WsMockError {
  return new WsMockError(MOCK_NOT_FOUND, `Mock "${id}" was removed while a wait on it was pending.`);
}

/** `WSMOCK_ERR_PATH_CONFLICT`: enabled mock `otherId` already serves `otherPath`, the path `template` of another mock. */
export function pathConflict(otherId: string, otherPath: string, template: string): WsMockError {
  return new WsMockError(PATH_CONFLICT, `Mock "${otherId}" already serves ${otherPath}; disable or remove it before enabling another mock on ${template}.`);
}

// ── Connections ─────────────────────────────────────────────────────────────

/** `WSMOCK_ERR_CONNECTION_NOT_FOUND`: no open connection has `id`. */
export function connectionNotFound(id: string): WsMockError {
  return new WsMockError(CONNECTION_NOT_FOUND, `No open connection with id "${id}". It may have closed; list open ones with server.connections.list().`);
}

/** How a connection closed, for {@link connectionClosed}. */
export interface ClosedWith {
  /** The close code. */
  code: number;
  /** The close reason (left out of the message when empty). */
  reason?: string;
}

/**
 * `WSMOCK_ERR_CONNECTION_CLOSED`, the one "connection closed" error of every
 * carrier and kit: `Cannot <action>: <subject> <state> (code <c> "<reason>").`
 * `subject` names what closed (`connection c1`, `socket s1 (/chat)`, `stream s2`,
 * `the upstream of c3`), `state` how (`is closed`, `has disconnected (…)`), and
 * `close`, when known, the code and reason it closed with.
 */
export function connectionClosed(action: string, subject: string, state: string, options: { close?: ClosedWith | undefined; cause?: unknown } = {}): WsMockError {
  const { close, cause } = options;
  const how = close ? ` (code ${close.code}${close.reason ? ` "${close.reason}"` : ''})` : '';
  return new WsMockError(CONNECTION_CLOSED, `Cannot ${action}: ${subject} ${state}${how}.`, { cause });
}

/** `WSMOCK_ERR_UNSUPPORTED`: connection `id` is carried by `carrier` (an SSE stream, long-polling), which has no frame to fail with. */
export function failUnsupported(id: string, carrier: string): WsMockError {
  return new WsMockError(UNSUPPORTED, `Cannot fail connection ${id}: it is ${carrier}, which has no frame a client must reject. Use conn.terminate() to drop it.`);
}

// ── Waits ───────────────────────────────────────────────────────────────────

/** `WSMOCK_ERR_TIMEOUT`: a wait for `what` saw nothing in `timeout` ms; `seen` says what arrived instead. */
export function waitTimedOut(timeout: number, what: string, seen: string): WsMockError {
  return new WsMockError(TIMEOUT, `Timed out after ${timeout} ms waiting for ${what}. ${seen}`);
}

/** `WSMOCK_ERR_TIMEOUT`: no pong answered a ping on `connection` (described) within `timeout` ms. */
export function pongTimedOut(timeout: number, connection: string): WsMockError {
  return new WsMockError(TIMEOUT, `No pong within ${timeout} ms for a ping on ${connection}.`);
}

/** `WSMOCK_ERR_CONNECTION_CLOSED`: `waitForConnection({ open: true })` found connection `id`, which closed before its pong; `cause` says how. */
export function closedBeforePong(id: string, cause: Error): WsMockError {
  return new WsMockError(CONNECTION_CLOSED, `waitForConnection({ open: true }): ${id} closed before its client answered a ping. ${cause.message}`, { cause });
}

// ── Record and replay ───────────────────────────────────────────────────────

/** `WSMOCK_ERR_MOCK_NOT_FOUND`: mock `mockId` has no recording, because `why`; `recording` lists the mocks that record. */
export function noRecording(mockId: string, why: string, recording: readonly string[]): WsMockError {
  return new WsMockError(MOCK_NOT_FOUND, `No recording for "${mockId}": ${why}. Recording mocks: ${recording.join(', ') || '(none)'}.`);
}

/** `WSMOCK_ERR_MOCK_NOT_FOUND`: the admin API was asked for recordings of a target that keeps none. */
export function noRecordings(): WsMockError {
  return new WsMockError(MOCK_NOT_FOUND, 'This admin target keeps no recordings.');
}

/** `WSMOCK_ERR_INVALID_ARGUMENT`: `recordingToConfig` was asked for connection `index` of a recording that has `count`. */
export function recordedConnectionMissing(index: number, count: number): WsMockError {
  return invalidArgument(`connection ${index} is not in the recording: it has ${count}`);
}

// ── jest-websocket-mock compatibility ───────────────────────────────────────

/** `WSMOCK_ERR_LISTEN_FAILED`: a compat `WS` could not listen for `label` (its URL), because `why`; `cause` is the server's error. */
export function compatListenFailed(label: string, why: string, cause: unknown): WsMockError {
  return new WsMockError(LISTEN_FAILED, `Cannot listen for ${label}: ${why}.`, { cause });
}

// ── AsyncAPI contracts ──────────────────────────────────────────────────────

/** `WSMOCK_ERR_INVALID_CONFIG`: the document's `asyncapi` field names a version wsmock does not read. */
export function unsupportedAsyncApiVersion(what: string, file: string | undefined, version: unknown, supported: readonly string[]): WsMockError {
  const shown = typeof version === 'string' ? `"${version}"` : version === undefined ? 'missing' : JSON.stringify(version);
  return invalidConfig(what, [
    { path: '$.asyncapi', message: `version ${shown} is not supported: use one of ${supported.join(', ')}`, ...(file !== undefined ? { file } : {}) },
  ]);
}

/** `WSMOCK_ERR_INVALID_CONFIG`: a `$ref` (at `where`: its file, JSON path and line) points at a URL; wsmock never fetches one (copy the file beside the document). */
export function remoteAsyncApiRef(what: string, where: ConfigIssue, ref: string): WsMockError {
  return invalidConfig(what, [
    { ...where, message: `$ref "${ref}" is remote: wsmock reads local files only and never fetches a URL; save it beside the document and refer to it by a relative path` },
  ]);
}

/** `WSMOCK_ERR_INVALID_CONFIG`: a `$ref` at `where` (its file, JSON path and line) does not resolve, because `why`. */
export function unresolvedAsyncApiRef(what: string, where: ConfigIssue, ref: string, why: string): WsMockError {
  return invalidConfig(what, [{ ...where, message: `$ref "${ref}" does not resolve: ${why}` }]);
}

/** `WSMOCK_ERR_INVALID_CONFIG`: `options.server` names no server of the contract, or one that does not speak WebSocket. */
export function asyncApiServerNotFound(what: string, name: string, why: string): WsMockError {
  return invalidConfig(what, [{ path: `$.servers`, message: `server "${name}" ${why}` }]);
}

/** `WSMOCK_ERR_INVALID_CONFIG`: no payload can be generated for contract message `key`: the schema at `path` (of the payload) `why`. */
export function cannotGenerateMessage(key: string, path: string, why: string): WsMockError {
  return invalidConfig(`message "${key}" of the contract`, [{ path, message: `cannot generate a payload: ${why}; give the message an example or pass the payload yourself` }]);
}

// ── Playwright routing ──────────────────────────────────────────────────────

/** `WSMOCK_ERR_INVALID_ARGUMENT`: argument or option `field` of `route()` / `routeFromHAR()` broke `rule` (the rule names what it got). */
export function routeArgument(field: string, rule: string): WsMockError {
  return invalidArgument(`wsmock route: ${field} ${rule}`);
}

// ── Remote handles (connectMockServer) ──────────────────────────────────────

/** `WSMOCK_ERR_CONNECTION_CLOSED`: the admin API at `url` could not be reached for `action` (`why`: the socket's error, e.g. `ECONNREFUSED`). */
export function remoteUnreachable(action: string, url: string, why: string, cause: unknown): WsMockError {
  return new WsMockError(
    CONNECTION_CLOSED,
    `Cannot ${action}: the wsmock admin API at ${url} cannot be reached (${why}). Check that the server (\`wsmock serve\`) is still running there.`,
    { cause },
  );
}

/** `WSMOCK_ERR_CONNECTION_CLOSED`: `action` on a remote handle of `url` after its `close()`. */
export function remoteHandleClosed(action: string, url: string): WsMockError {
  return new WsMockError(CONNECTION_CLOSED, `Cannot ${action}: this remote handle of ${url} was closed.`);
}

/** `WSMOCK_ERR_INVALID_ARGUMENT`: the admin API at `url` answered 401 to the token given (or to none). */
export function remoteUnauthorized(url: string): WsMockError {
  return new WsMockError(INVALID_ARGUMENT, `The wsmock admin API at ${url} refused the token (401 unauthorized): pass the server's admin token as connectMockServer(url, { token }).`);
}

/** `WSMOCK_ERR_UNSUPPORTED`: `url` is no wsmock admin API a remote handle can drive (`why`), and this client is wsmock `ours`. */
export function remoteNotWsmock(url: string, why: string, ours: string): WsMockError {
  return new WsMockError(UNSUPPORTED, `${url} is not a wsmock admin API this client can drive: ${why}. This client is wsmock ${ours}; run the same version on both sides.`);
}

/** `WSMOCK_ERR_UNSUPPORTED`: the server at `url` speaks another remote protocol than this client; both versions named. */
export function remoteVersionMismatch(url: string, theirs: { version: string; protocol: string }, ours: { version: string; protocol: number }): WsMockError {
  return new WsMockError(
    UNSUPPORTED,
    `The server at ${url} is wsmock ${theirs.version} (remote protocol ${theirs.protocol}), this client is wsmock ${ours.version} (remote protocol ${ours.protocol}): run the same version on both sides.`,
  );
}

/** The error of the admin API's answer to a remote call: the server's message under the catalogue code its HTTP error maps back to. */
export function remoteRefused(code: WsMockErrorCode, action: string, url: string, message: string, issues?: ConfigIssue[]): WsMockError {
  return new WsMockError(code, `Cannot ${action} (${url}): ${message}`, issues === undefined ? {} : { issues });
}
