import { invalidArgument, remoteNotWsmock, remoteVersionMismatch } from '../errors.js';
import { kindOf } from '../util/argument.js';
import { REMOTE_PROTOCOL, WSMOCK_VERSION } from '../util/version.js';
import { RemoteHttp } from './RemoteHttp.js';
import { RemoteMockServer } from './RemoteMockServer.js';

/** Options of {@link connectMockServer}. */
export interface ConnectMockServerOptions {
  /** The admin API's token (`--admin-token`, `admin: { token }`), sent as `Authorization: Bearer`. */
  token?: string;
  /**
   * How long a request may go unanswered, ms, beyond the time the server may
   * hold it for a wait (15000 unless told): a server that accepts requests
   * and never answers rejects the call `WSMOCK_ERR_CONNECTION_CLOSED` then,
   * rather than after fetch's five minutes.
   */
  answerTimeout?: number;
}

/**
 * Connects to the admin API of a wsmock server in another process and
 * resolves with a {@link RemoteMockServer}: define mocks from declarative
 * config, take connections, send, await frames and use the runner matchers,
 * from any number of processes at once. Checks on connect that the server
 * is a wsmock of the same remote protocol: a wrong token rejects
 * `WSMOCK_ERR_INVALID_ARGUMENT` (401), a server of another version
 * `WSMOCK_ERR_UNSUPPORTED` naming both versions (a server that is no wsmock
 * too), an unreachable one `WSMOCK_ERR_CONNECTION_CLOSED` naming the URL. An
 * `adminUrl` that is not a valid URL or carries a query, a fragment or
 * credentials, and options that are not an object, reject
 * `WSMOCK_ERR_INVALID_ARGUMENT` before any request.
 *
 * @example
 * ```ts
 * import { connectMockServer } from 'wsmock';
 *
 * const remote = await connectMockServer('http://127.0.0.1:4290', { token: 's3cret' });
 * const chat = await remote.websocket('/chat', { matchers: [{ match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } }] });
 * ```
 */
export async function connectMockServer(adminUrl: string, options: ConnectMockServerOptions = {}): Promise<RemoteMockServer> {
  if (typeof adminUrl !== 'string' || !/^https?:\/\/./.test(adminUrl)) {
    throw invalidArgument(`connectMockServer(adminUrl): adminUrl must be the admin API's http:// or https:// URL, got ${JSON.stringify(adminUrl)}`);
  }
  assertFetchable(adminUrl);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument(`connectMockServer(adminUrl, options): options must be an object ({ token }), got ${kindOf(options)}`);
  }
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '')) {
    throw invalidArgument('connectMockServer(adminUrl, { token }): token must be a non-empty string');
  }
  const { answerTimeout } = options;
  if (answerTimeout !== undefined && (typeof answerTimeout !== 'number' || !Number.isInteger(answerTimeout) || answerTimeout <= 0)) {
    throw invalidArgument(`connectMockServer(adminUrl, { answerTimeout }): answerTimeout must be a whole number of milliseconds above 0, got ${String(answerTimeout)}`);
  }
  const http = new RemoteHttp(adminUrl, options.token, answerTimeout);
  const { status, body } = await http.call('GET', '/version', { what: 'connect', retry: true, accept: [404] });
  if (status === 404 || body.name !== 'wsmock') {
    throw remoteNotWsmock(http.url, 'it has no GET /version (a wsmock older than remote handles, or not wsmock)', WSMOCK_VERSION);
  }
  if (body.protocol !== REMOTE_PROTOCOL) {
    throw remoteVersionMismatch(http.url, { version: String(body.version), protocol: String(body.protocol) }, { version: WSMOCK_VERSION, protocol: REMOTE_PROTOCOL });
  }
  return new RemoteMockServer(http, { version: String(body.version), protocol: REMOTE_PROTOCOL });
}

/**
 * Refuses an `adminUrl` that fetch cannot use or that would mangle the
 * routes appended to it, before any request: otherwise each call fails as if
 * the server could not be reached, after its retries.
 */
function assertFetchable(adminUrl: string): void {
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw invalidArgument(`connectMockServer(adminUrl): adminUrl is not a valid URL (a host and port as in http://127.0.0.1:4290), got ${JSON.stringify(adminUrl)}`);
  }
  if (url.search !== '' || url.hash !== '' || adminUrl.includes('?') || adminUrl.includes('#')) {
    throw invalidArgument(`connectMockServer(adminUrl): adminUrl must not carry a query or fragment (the routes are appended to its path), got ${JSON.stringify(adminUrl)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidArgument('connectMockServer(adminUrl): adminUrl must not carry a user name or password; pass the admin token as connectMockServer(adminUrl, { token })');
  }
}
