import { isDeepStrictEqual } from 'node:util';
import { handleBrand, invalidArgument, type CloseInfo, type CloseOptions, type Connection } from '../../kit/index.js';
import type { ActionCableSubscription, ActionCableWaitOptions } from './ActionCableSubscription.js';
import { disconnect, type ActionCableDisconnectReason, type ActionCableParams } from './protocol.js';
import type { ActionCableIgnored, CableSession } from './session.js';

const brand = handleBrand('actioncable-connection');

/** Which subscriptions `waitForSubscription` takes: by channel, by params (each one given must be equal), or by a predicate. */
export type ActionCableSubscriptionFilter =
  | {
      /** The channel class's name, as the identifier's `channel` says it (`ChatChannel`). */
      channel?: string;
      /** Params the identifier must hold (each key deeply equal; others may be there too). */
      params?: ActionCableParams;
    }
  | ((subscription: ActionCableSubscription) => boolean);

/** Options of {@link ActionCableConnection.disconnect}. */
export interface ActionCableDisconnectOptions {
  /** Why (`unauthorized`, `server_restart`…); default none (`null` on the wire, as Rails). */
  reason?: ActionCableDisconnectReason;
  /** Whether the client may reconnect; default true. With false its consumer stops for good. */
  reconnect?: boolean;
}

/** The predicate of a {@link ActionCableSubscriptionFilter}. */
export function subscriptionFilter(filter: ActionCableSubscriptionFilter | undefined): ((subscription: ActionCableSubscription) => boolean) | undefined {
  if (filter === undefined || typeof filter === 'function') return filter;
  if (typeof filter !== 'object' || filter === null) throw invalidArgument(`waitForSubscription(filter): filter must be { channel?, params? } or a predicate, got ${JSON.stringify(filter)}`);
  const { channel, params } = filter;
  if (channel !== undefined && typeof channel !== 'string') throw invalidArgument(`waitForSubscription(filter): channel must be a string, got ${typeof channel}`);
  if (params !== undefined && (typeof params !== 'object' || params === null)) throw invalidArgument(`waitForSubscription(filter): params must be an object, got ${JSON.stringify(params)}`);
  return (subscription) =>
    (channel === undefined || subscription.channel === channel) &&
    (params === undefined || Object.entries(params).every(([key, value]) => Object.hasOwn(subscription.params, key) && isDeepStrictEqual(subscription.params[key], value)));
}

/** How a wait names what it waits for: `a subscription to ChatChannel {"room":1}`. */
export function describeSubscriptionFilter(filter: ActionCableSubscriptionFilter | undefined): string {
  if (filter === undefined) return 'a subscription';
  if (typeof filter === 'function') return 'a subscription matching the predicate';
  return `a subscription${filter.channel ? ` to ${filter.channel}` : ''}${filter.params ? ` with params ${JSON.stringify(filter.params)}` : ''}`;
}

/**
 * A client's connection to an ActionCable mock, from `mock.waitForConnection()`:
 * its subscriptions, and what the server can do to the whole connection
 * (`disconnect`, as Rails' `connection.close`).
 *
 * @example
 * ```ts
 * const conn = await cable.waitForConnection();
 * const sub = await conn.waitForSubscription({ channel: 'ChatChannel' });
 * await conn.disconnect({ reason: 'unauthorized', reconnect: false });
 * ```
 */
export class ActionCableConnection {
  /** The underlying WebSocket connection: journal, counters, `close()`. */
  readonly connection: Connection;
  readonly #session: CableSession;

  /** @internal Made by the mock's state, one per connection. */
  constructor(session: CableSession) {
    this.connection = session.connection;
    this.#session = session;
    brand.mark(this);
  }

  /** True for an ActionCable connection handle from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return brand.test(value);
  }

  /** The connection's id, e.g. `conn-3`. */
  get id(): string {
    return this.connection.id;
  }

  /** Every subscription the client made on this connection, in order (rejected and ended ones included). */
  get subscriptions(): ActionCableSubscription[] {
    return [...this.#session.subscriptions.all];
  }

  /** The commands the server ignored on this connection, and why (Rails logs them; nothing is sent back). */
  get ignored(): ActionCableIgnored[] {
    return [...this.#session.ignored];
  }

  /**
   * Resolves with the next subscription on this connection not yet returned
   * by an earlier call on this handle (including those made before the call)
   * that `filter` accepts. Rejects `WSMOCK_ERR_TIMEOUT`, saying what arrived
   * instead, or `WSMOCK_ERR_CONNECTION_CLOSED` once the connection closed.
   */
  waitForSubscription(filter?: ActionCableSubscriptionFilter, options: ActionCableWaitOptions = {}): Promise<ActionCableSubscription> {
    let accept: ReturnType<typeof subscriptionFilter>;
    try {
      accept = subscriptionFilter(filter);
    } catch (err) {
      return Promise.reject(err);
    }
    const session = this.#session;
    return session.subscriptions.next({
      what: `${describeSubscriptionFilter(filter)} on ${this.id}`,
      ...(accept ? { filter: accept } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => session.closedError('waitForSubscription'),
    });
  }

  /**
   * Disconnects the client as Rails' `connection.close(reason:, reconnect:)`
   * does: a `disconnect` frame, then the close (1000). With `reconnect: false`
   * the client's consumer stops for good. Resolves with how it closed.
   */
  async disconnect(options: ActionCableDisconnectOptions = {}): Promise<CloseInfo> {
    const { reason, reconnect = true } = options;
    if (reason !== undefined && typeof reason !== 'string') throw invalidArgument(`disconnect({ reason }): reason must be a string, got ${typeof reason}`);
    if (typeof reconnect !== 'boolean') throw invalidArgument(`disconnect({ reconnect }): reconnect must be a boolean, got ${typeof reconnect}`);
    const closed = this.#session.closedError('disconnect');
    if (closed) throw closed;
    await this.connection.send(disconnect(reason ?? null, reconnect));
    return this.connection.close();
  }

  /** Closes the connection with no `disconnect` frame first (default code 1000); see `Connection.close`. */
  close(options?: CloseOptions): Promise<CloseInfo> {
    return this.connection.close(options);
  }
}

