import { invalidArgument, type CloseInfo, type CloseOptions, type Connection } from '../../kit/index.js';
import { brandAs, isBranded } from './brand.js';
import type { PhoenixChannel, WaitForPushOptions } from './PhoenixChannel.js';
import type { PhoenixSession, PhoenixTransportName } from './session.js';
import type { PhoenixVsn } from './serializer.js';

/** Which joins `waitForJoin` takes: those of a topic, those a predicate accepts, or (omitted) any. */
export type PhoenixJoinFilter = string | ((channel: PhoenixChannel) => boolean);

/** Options of `waitForJoin`. */
export type WaitForJoinOptions = WaitForPushOptions;

/** The predicate of a {@link PhoenixJoinFilter}; throws for a filter of another type. */
export function joinFilter(filter: PhoenixJoinFilter | undefined): ((channel: PhoenixChannel) => boolean) | undefined {
  if (filter === undefined || typeof filter === 'function') return filter;
  if (typeof filter !== 'string') throw invalidArgument(`waitForJoin(topic): topic must be a string or a predicate, got ${typeof filter}`);
  return (channel) => channel.topic === filter;
}

/** How a wait names the join it waits for. */
export function describeJoinFilter(filter: PhoenixJoinFilter | undefined): string {
  if (filter === undefined) return 'a join';
  return typeof filter === 'string' ? `a join of "${filter}"` : 'a join matching the predicate';
}

/** The token the client sent with `authToken` (a `base64url.bearer.phx.` subprotocol, or long-poll's `X-Phoenix-AuthToken` header). */
function authTokenOf(connection: Connection): string | undefined {
  const header = connection.headers['x-phoenix-authtoken'];
  if (typeof header === 'string') return header;
  const offered = connection.headers['sec-websocket-protocol'];
  const bearer = offered
    ?.split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith('base64url.bearer.phx.'));
  return bearer === undefined ? undefined : Buffer.from(bearer.slice('base64url.bearer.phx.'.length), 'base64url').toString('utf8');
}

/**
 * A client's socket on a Phoenix mock (`new Socket(url).connect()`), as
 * `mock.waitForConnection()` returns it: its connect `params`, its channels,
 * and its joins as they come.
 *
 * @example
 * ```ts
 * const socket = await mock.waitForConnection();
 * expect(socket.params).toEqual({ token: 'abc' });
 * const channel = await socket.waitForJoin('room:lobby');
 * ```
 */
export class PhoenixSocket {
  /** The underlying connection: journal (`messages`), `waitForMessage`, counters. */
  readonly connection: Connection;
  readonly #session: PhoenixSession;

  /** @internal Made by the mock, one per connection. */
  constructor(session: PhoenixSession) {
    this.connection = session.connection;
    this.#session = session;
    brandAs(this, 'socket');
  }

  /** True for a socket from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'socket');
  }

  /** The connection's id, e.g. `conn-3`. */
  get id(): string {
    return this.connection.id;
  }

  /** The connect params (`new Socket(url, { params })`), as strings: the query without `vsn`. */
  get params(): Record<string, string> {
    return this.#session.params;
  }

  /** The token the client passed as `authToken`, if it did. */
  get authToken(): string | undefined {
    return authTokenOf(this.connection);
  }

  /** A scratch object for the test's per-socket state (`socket.assigns` in Phoenix). */
  get data(): Record<string, unknown> {
    return this.connection.data;
  }

  /** The serializer the client asked for with `vsn`. */
  get vsn(): PhoenixVsn {
    return this.#session.vsn;
  }

  /** `websocket` or `longpoll`. */
  get transport(): PhoenixTransportName {
    return this.#session.transport;
  }

  /** The channels joined (or held joining) on this socket now, one per topic. */
  get channels(): PhoenixChannel[] {
    return [...this.#session.channels.values()];
  }

  /** Every join this socket made, refused ones included, in order; with the server's `journal.limit`, the latest that many. */
  get joins(): PhoenixChannel[] {
    return [...this.#session.joinList];
  }

  /**
   * Resolves with the next join on this socket not yet returned by an earlier
   * `waitForJoin` on it (including joins made before the call), of `topic`
   * when given. Rejects `WSMOCK_ERR_TIMEOUT`, or `WSMOCK_ERR_CONNECTION_CLOSED`
   * once the socket closed with nothing matching.
   */
  waitForJoin(topic?: PhoenixJoinFilter, options: WaitForJoinOptions = {}): Promise<PhoenixChannel> {
    let filter: ((channel: PhoenixChannel) => boolean) | undefined;
    try {
      filter = joinFilter(topic);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#session.joins.next({
      what: `${describeJoinFilter(topic)} on ${this.id}`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => this.#session.closedError('waitForJoin'),
    });
  }

  /** Closes the socket (default code 1000); the client reconnects after its `reconnectAfterMs`. */
  close(options?: CloseOptions): Promise<CloseInfo> {
    return this.connection.close(options);
  }
}
