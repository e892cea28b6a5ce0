import { KitMock, type Connection } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import { describeSubscriptionFilter, subscriptionFilter, type ActionCableConnection, type ActionCableSubscriptionFilter } from './ActionCableConnection.js';
import { assertMessage, assertStream, type ActionCableSubscription, type ActionCableWaitOptions } from './ActionCableSubscription.js';
import type { ActionCableIgnored } from './session.js';
import type { ActionCableState } from './state.js';
import type { ActionCableEnvelope, ActionCableMockConfig } from './types.js';

/**
 * An Action Cable server (`actioncable-v1-json`), defined with
 * `server.actioncable()`: `welcome` and pings, channel subscriptions
 * confirmed, rejected or held for the test, actions answered from the
 * channels' config, broadcasts to streams. It has the lifecycle of every mock
 * (`update()` closes its clients with 1012, `disable()`, `remove()`).
 *
 * @example
 * ```ts
 * const cable = server.actioncable('/cable', { channels: {
 *   ChatChannel: { streamFrom: 'chat_{{params.room}}', actions: {
 *     speak: { broadcast: { stream: 'chat_{{params.room}}', message: { text: '{{data.text}}' } } },
 *   } },
 * } });
 * const sub = await cable.waitForSubscription({ channel: 'ChatChannel' });
 * cable.broadcast('chat_1', { text: 'hello' });
 * ```
 */
export class ActionCableMock extends KitMock<ActionCableMockConfig, ActionCableConnection> {
  /** True for an ActionCable mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'actioncable');
  }

  /** The envelope form used by config files and the admin API. */
  override toJSON(): ActionCableEnvelope {
    return super.toJSON() as ActionCableEnvelope;
  }

  /** A connection's {@link ActionCableConnection}: what `waitForConnection()` resolves with. */
  protected override handleOf(connection: Connection): ActionCableConnection {
    return this.#state.handle(connection);
  }

  get #state(): ActionCableState {
    return this.kitState as ActionCableState;
  }

  /**
   * Every subscription on this mock, all connections, in arrival order
   * (rejected and ended ones included; with `journal.releaseClosed`, none of
   * closed connections).
   */
  get subscriptions(): ActionCableSubscription[] {
    return [...this.#state.subscriptions.all];
  }

  /**
   * The commands the mock ignored, and why: frames that are not JSON, unknown
   * commands, subscribes to a channel no config matches, commands for an
   * identifier the connection has not subscribed. Rails logs these and
   * answers nothing; so does the mock, and notes them here.
   */
  get ignored(): ActionCableIgnored[] {
    return this.#state.ignored();
  }

  /**
   * Resolves with the next subscription on any connection of this mock not
   * yet returned by an earlier call on the mock (including those made before
   * the call) that `filter` accepts: `{ channel: 'ChatChannel', params: { room: 1 } }`
   * (each param given must be equal) or a predicate.
   *
   * @example
   * ```ts
   * const sub = await cable.waitForSubscription({ channel: 'ChatChannel' });
   * await sub.confirm(); // with subscribe: 'manual'
   * ```
   */
  waitForSubscription(filter?: ActionCableSubscriptionFilter, options: ActionCableWaitOptions = {}): Promise<ActionCableSubscription> {
    let accept: ReturnType<typeof subscriptionFilter>;
    try {
      accept = subscriptionFilter(filter);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#state.subscriptions.next({
      what: `${describeSubscriptionFilter(filter)} on mock "${this.id}" (${this.path})`,
      ...(accept ? { filter: accept } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /**
   * Broadcasts `message` to every subscription streaming from `stream`, as
   * `ActionCable.server.broadcast(stream, message)` does: each gets
   * `{ identifier, message }` (its client's `received(message)`). Like every
   * fan-out, synchronous: returns the number of subscriptions reached.
   */
  broadcast(stream: string, message: unknown): number {
    assertStream(stream, 'broadcast(stream, message)');
    assertMessage(message, 'broadcast(stream, message)');
    return this.#state.broadcast(stream, message);
  }
}
