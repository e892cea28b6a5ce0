import { handleBrand, invalidArgument, type Connection } from '../../kit/index.js';
import type { ActionCableParams } from './protocol.js';
import type { ActionCableAction, ActionCableSubscriptionStatus, SubscriptionCore } from './subscription.js';

const brand = handleBrand('actioncable-subscription');

/** Options of the `waitFor…` methods of the ActionCable handles. */
export interface ActionCableWaitOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `message` can go out as JSON. */
export function assertMessage(message: unknown, what: string): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch (err) {
    throw invalidArgument(`${what}: message must be a JSON value: ${(err as Error).message}`);
  }
  if (text === undefined) throw invalidArgument(`${what}: message must be a JSON value, got ${typeof message}`);
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `stream` is a non-empty string. */
export function assertStream(stream: unknown, what: string): asserts stream is string {
  if (typeof stream !== 'string' || stream === '') throw invalidArgument(`${what}: stream must be a non-empty string, got ${JSON.stringify(stream) ?? typeof stream}`);
}

/**
 * A channel subscription a client made on an ActionCable mock, as
 * `waitForSubscription()` returns it: the server's side of one channel
 * instance (what a Rails channel does with `transmit`, `stream_from`,
 * `reject`). A subscription to a channel configured with
 * `subscribe: 'manual'` stays `pending` until `confirm()` or `reject()`.
 *
 * @example
 * ```ts
 * const sub = await cable.waitForSubscription({ channel: 'ChatChannel', params: { room: 1 } });
 * sub.streamFrom('chat_1');
 * cable.broadcast('chat_1', { text: 'hello' });
 * const { data } = await sub.waitForAction('speak');
 * ```
 */
export class ActionCableSubscription {
  readonly #core: SubscriptionCore;

  /** @internal Made by the kit, one per subscribe command it accepts. */
  constructor(core: SubscriptionCore) {
    this.#core = core;
    brand.mark(this);
  }

  /** True for a subscription handle from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return brand.test(value);
  }

  /** The identifier as the client sent it: the JSON text of `{ channel, ...params }`. */
  get identifier(): string {
    return this.#core.identifier;
  }

  /** The channel class the client subscribed to (`ChatChannel`). */
  get channel(): string {
    return this.#core.channel;
  }

  /** The identifier's other fields (`{ room: 1 }`). */
  get params(): ActionCableParams {
    return this.#core.params;
  }

  /** The WebSocket connection it belongs to: journal, `close()`. */
  get connection(): Connection {
    return this.#core.connection;
  }

  /** Where it stands; see {@link ActionCableSubscriptionStatus}. */
  get status(): ActionCableSubscriptionStatus {
    return this.#core.status;
  }

  /** The streams it streams from now. */
  get streams(): string[] {
    return [...this.#core.streams];
  }

  /** Every action the client performed on it, in order (the latest `journal.limit` of them). */
  get actions(): ActionCableAction[] {
    return [...this.#core.actions.all];
  }

  /**
   * Confirms a pending subscription (`confirm_subscription`): the client's
   * `connected()` runs, and the channel's `streamFrom` streams start. Rejects
   * `WSMOCK_ERR_INVALID_ARGUMENT` when it is not pending, and
   * `WSMOCK_ERR_CONNECTION_CLOSED` when its connection closed.
   */
  confirm(): Promise<void> {
    const problem = this.#core.problem('confirm', ['pending']);
    return problem ? Promise.reject(problem) : this.#core.confirm();
  }

  /**
   * Rejects a pending subscription (`reject_subscription`): the client's
   * `rejected()` runs and it stops retrying. Rejects like {@link ActionCableSubscription.confirm}.
   */
  reject(): Promise<void> {
    const problem = this.#core.problem('reject', ['pending']);
    return problem ? Promise.reject(problem) : this.#core.reject();
  }

  /**
   * Sends `message` to this subscription alone (`{ identifier, message }`,
   * the client's `received(message)`), as a channel's `transmit`. Rejects
   * once the subscription ended or its connection closed.
   */
  transmit(message: unknown): Promise<void> {
    try {
      assertMessage(message, 'transmit(message)');
    } catch (err) {
      return Promise.reject(err);
    }
    const problem = this.#core.problem('transmit on', ['pending', 'confirmed']);
    return problem ? Promise.reject(problem) : this.#core.transmit(message);
  }

  /**
   * Streams from `stream` (Rails' `stream_from`): `mock.broadcast(stream, …)`
   * reaches this subscription until it ends. Throws once it ended.
   */
  streamFrom(stream: string): void {
    assertStream(stream, 'streamFrom(stream)');
    const problem = this.#core.problem('stream on', ['pending', 'confirmed']);
    if (problem) throw problem;
    this.#core.streamFrom(stream);
  }

  /** Stops streaming from `stream` (Rails' `stop_stream_from`). */
  stopStreamFrom(stream: string): void {
    assertStream(stream, 'stopStreamFrom(stream)');
    this.#core.stopStreamFrom(stream);
  }

  /**
   * Resolves with the next action the client performed on this subscription
   * not yet returned by an earlier call (including those before the call),
   * named `action` when given. Rejects `WSMOCK_ERR_TIMEOUT` (saying what
   * arrived instead); once the subscription ended with nothing matching,
   * `WSMOCK_ERR_CONNECTION_CLOSED` (its connection closed) or
   * `WSMOCK_ERR_INVALID_ARGUMENT` (rejected, or the client unsubscribed).
   */
  waitForAction(action?: string, options: ActionCableWaitOptions = {}): Promise<ActionCableAction> {
    if (action !== undefined && typeof action !== 'string') return Promise.reject(invalidArgument(`waitForAction(action): action must be a string, got ${typeof action}`));
    const core = this.#core;
    return core.actions.next({
      what: `an action${action === undefined ? '' : ` "${action}"`} on subscription ${core.describe()}`,
      ...(action !== undefined ? { filter: (a: ActionCableAction) => a.action === action } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => (core.live && core.connection.isOpen ? undefined : core.problem('wait for an action on', ['pending', 'confirmed'])),
    });
  }

  /** A JSON-ready record of the subscription. */
  toJSON(): Record<string, unknown> {
    return { identifier: this.identifier, channel: this.channel, params: this.params, connectionId: this.connection.id, status: this.status, streams: this.streams };
  }
}
