import { connectionClosed, invalidArgument, type CloseInfo, type CloseOptions, type Connection, type ConnectionArrivals } from '../../kit/index.js';
import { closeReason, errorEvent, isChannelName, serverEvent, CHANNEL_NAME_RULE } from './protocol.js';
import type { PusherSession } from './session.js';
import type { PusherMember } from './types.js';
import { write } from './wire.js';

/** A subscription the mock accepted, from `waitForSubscription()`. */
export interface PusherSubscription {
  /** The channel. */
  readonly channel: string;
  /** The subscriber's `socket_id`. */
  readonly socketId: string;
  /** On a presence channel, the member it joined as (from its `channel_data`). */
  readonly member?: PusherMember;
  /** The subscriber's connection. */
  readonly connection: PusherConnection;
}

/** A client event a member triggered, from `waitForClientEvent()`. */
export interface PusherClientEvent {
  /** The event name (`client-…`). */
  readonly event: string;
  /** The channel it was triggered on. */
  readonly channel: string;
  /** Its data, decoded as pusher-js decodes it (a JSON string becomes its value). */
  readonly data: unknown;
  /** The sender's `socket_id`. */
  readonly socketId: string;
  /** On a presence channel, the sender's `user_id`. */
  readonly userId?: string;
  /** The sender's connection. */
  readonly connection: PusherConnection;
}

/** Options of `waitForSubscription` and `waitForClientEvent`. */
export interface PusherWaitOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Options of `waitForClientEvent`. */
export interface PusherClientEventWaitOptions extends PusherWaitOptions {
  /** Only events on this channel. */
  channel?: string;
}

/** Options of {@link PusherConnection.error}. */
export interface PusherErrorOptions {
  /** Only for this channel: pusher-js emits the error on the channel too. */
  channel?: string;
  /**
   * Close the connection with the code after the error. Default: true for
   * 4000-4299 (Pusher's codes that end a connection), false otherwise.
   */
  close?: boolean;
}

/** What a {@link PusherConnection} waits on: the mock's arrivals, kept per connection. */
export interface PusherArrivals {
  readonly subscriptions: ConnectionArrivals<PusherSubscription>;
  readonly clientEvents: ConnectionArrivals<PusherClientEvent>;
}

/** How waits name a subscription. */
export function describeSubscription(s: PusherSubscription): string {
  return `a subscription to "${s.channel}" by ${s.socketId}`;
}

/** How waits name a client event. */
export function describeClientEvent(e: PusherClientEvent): string {
  return `a client event "${e.event}" on "${e.channel}" from ${e.socketId}`;
}

/** The predicate and the description of a client-event wait. */
export function clientEventFilter(event: string | undefined, channel: string | undefined): { what: string; filter: (e: PusherClientEvent) => boolean } {
  if (event !== undefined && typeof event !== 'string') throw invalidArgument(`waitForClientEvent(event): event must be a string, got ${typeof event}`);
  if (channel !== undefined && typeof channel !== 'string') throw invalidArgument(`waitForClientEvent(event, { channel }): channel must be a string, got ${typeof channel}`);
  const what = `${event === undefined ? 'a client event' : `a client event "${event}"`}${channel === undefined ? '' : ` on "${channel}"`}`;
  return { what, filter: (e) => (event === undefined || e.event === event) && (channel === undefined || e.channel === channel) };
}

/** The predicate and the description of a subscription wait. */
export function subscriptionFilter(channel: string | undefined): { what: string; filter: (s: PusherSubscription) => boolean } {
  if (channel !== undefined && typeof channel !== 'string') throw invalidArgument(`waitForSubscription(channel): channel must be a string, got ${typeof channel}`);
  return { what: channel === undefined ? 'a subscription' : `a subscription to "${channel}"`, filter: (s) => channel === undefined || s.channel === channel };
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `channel` and `event` can go on the wire. */
export function assertEvent(channel: unknown, event: unknown, what: string): void {
  if (!isChannelName(channel)) throw invalidArgument(`${what}: channel must be a channel name (${CHANNEL_NAME_RULE}), got ${JSON.stringify(channel) ?? String(channel)}`);
  if (typeof event !== 'string' || event === '') throw invalidArgument(`${what}: event must be a non-empty string, got ${JSON.stringify(event) ?? String(event)}`);
}

/**
 * A client's connection to a Pusher mock, from `mock.waitForConnection()`
 * (or a subscription's `connection`): its `socket_id`, its channels, and the
 * server's side (events to this client only, `pusher:error`).
 *
 * @example
 * ```ts
 * const conn = await pusher.waitForConnection();
 * await conn.waitForSubscription('private-orders');
 * await conn.trigger('private-orders', 'order.shipped', { id: 7 });
 * await conn.error(4201, 'Pong reply not received in time');   // closes with 4201: pusher-js reconnects
 * ```
 */
export class PusherConnection {
  /** The underlying WebSocket connection: journal, counters, `close()`. */
  readonly connection: Connection;
  readonly #session: PusherSession;
  readonly #arrivals: PusherArrivals;

  /** @internal Made by the mock's state, one per connection. */
  constructor(session: PusherSession, arrivals: PusherArrivals) {
    this.connection = session.connection;
    this.#session = session;
    this.#arrivals = arrivals;
  }

  /** The connection's id, e.g. `conn-3`. */
  get id(): string {
    return this.connection.id;
  }

  /** The `socket_id` the mock gave the client (`\d+\.\d+`). */
  get socketId(): string {
    return this.#session.socketId;
  }

  /** The channels the client is subscribed to, in subscription order. */
  get channels(): string[] {
    return [...this.#session.channels.keys()];
  }

  /** The `user_data` the client signed in with (`pusher:signin`), if it did. */
  get user(): Record<string, unknown> | undefined {
    return this.#session.user;
  }

  /**
   * Sends an event to this client only, as if triggered on `channel` (its
   * `data` JSON-encoded on the wire). Resolves once written; rejects
   * `WSMOCK_ERR_CONNECTION_CLOSED` when the connection is closed.
   */
  trigger(channel: string, event: string, data?: unknown): Promise<void> {
    try {
      assertEvent(channel, event, 'trigger(channel, event, data)');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#send(serverEvent(event, data ?? {}, channel), 'trigger');
  }

  /**
   * Sends `pusher:error` `{ code, message }` to the client and, for codes
   * 4000-4299 (unless `close: false`), closes the connection with that code,
   * as Pusher does: pusher-js gives up on 4000-4099, backs off on 4100-4199,
   * reconnects at once on 4200-4299. Resolves once written (and closed).
   */
  async error(code: number, message: string, options: PusherErrorOptions = {}): Promise<void> {
    if (!Number.isInteger(code)) throw invalidArgument(`error(code, message): code must be an integer, got ${JSON.stringify(code) ?? String(code)}`);
    if (typeof message !== 'string') throw invalidArgument(`error(code, message): message must be a string, got ${typeof message}`);
    await this.#send(errorEvent(code, message, options.channel), 'error');
    if (options.close ?? (code >= 4000 && code < 4300)) await this.connection.close({ code, reason: closeReason(message) });
  }

  /**
   * Resolves with the next subscription of this client not yet returned by
   * an earlier wait on this handle (including those before the call), to
   * `channel` when given.
   */
  waitForSubscription(channel?: string, options: PusherWaitOptions = {}): Promise<PusherSubscription> {
    const { what, filter } = subscriptionFilter(channel);
    return this.#arrivals.subscriptions.of(this.connection).next({ what: `${what} on ${this.id}`, filter, ...this.#waitOptions(options) });
  }

  /** Resolves with the next client event this client triggered (of `event`, on `options.channel`, when given). */
  waitForClientEvent(event?: string, options: PusherClientEventWaitOptions = {}): Promise<PusherClientEvent> {
    const { what, filter } = clientEventFilter(event, options.channel);
    return this.#arrivals.clientEvents.of(this.connection).next({ what: `${what} from ${this.id}`, filter, ...this.#waitOptions(options) });
  }

  /** Closes the connection (default code 1000); see `Connection.close`. */
  close(options?: CloseOptions): Promise<CloseInfo> {
    return this.connection.close(options);
  }

  #waitOptions(options: PusherWaitOptions) {
    return {
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => this.#closedError('wait'),
    };
  }

  #closedError(action: string) {
    if (this.connection.isOpen) return undefined;
    return connectionClosed(action, `connection ${this.id}`, 'is closed', { close: this.connection.closeInfo });
  }

  #send(value: Record<string, unknown>, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.connection.isOpen) {
        reject(this.#closedError(what));
        return;
      }
      write(this.connection, value, (err) => (err ? reject(err) : resolve()));
    });
  }
}
