import { compileArrivalFilter, KitMock, type ArrivalFilterOptions, type Connection } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import { quietWait } from '../../util/promise.js';
import { assertMessageArgs, describeDestination, destinationFilter, type StompDestinationFilter, type StompWaitOptions } from './filters.js';
import type { StompSubscription } from './session.js';
import type { StompConnection } from './StompConnection.js';
import type { StompSend } from './StompSend.js';
import type { StompState } from './state.js';
import type { StompEnvelope, StompMockConfig } from './types.js';

/**
 * A STOMP broker (1.0 to 1.2) over WebSocket, and over SockJS with
 * `sockjs: true`, defined with `server.stomp()`: CONNECT answered with
 * CONNECTED (or refused), subscriptions, SENDs answered from `destinations`
 * or relayed to subscribers, receipts, transactions, heart-beats. It has the
 * lifecycle of every mock (`update()` closes its clients with 1012,
 * `disable()`, `remove()`).
 *
 * @example
 * ```ts
 * const stomp = server.stomp('/ws', { destinations: {
 *   '/app/chat': { reply: { destination: '/topic/messages', body: { text: '{{json.text}}' } } },
 * } });
 * await stomp.waitForSubscribe('/topic/messages');
 * stomp.publish('/topic/messages', { text: 'hello' });
 * ```
 */
export class StompMock extends KitMock<StompMockConfig, StompConnection> {
  /** True for a STOMP mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'stomp');
  }

  /** The envelope form used by config files and the admin API. */
  override toJSON(): StompEnvelope {
    return super.toJSON() as StompEnvelope;
  }

  /**
   * Resolves with the next client that got CONNECTED, not yet returned by an
   * earlier call on this handle (including those connected before the call);
   * `query`, `headers` and `predicate` take only a client whose handshake
   * passes them, as on every mock.
   */
  override waitForConnection(options: StompWaitOptions & ArrivalFilterOptions = {}): Promise<StompConnection> {
    return quietWait(() => {
      const filter = compileArrivalFilter(options);
      return this.#state.connections.next({
        what: `a STOMP CONNECT on mock "${this.id}" (${this.path})${filter ? ` ${filter.description}` : ''}`,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(filter ? { filter: (client: StompConnection) => filter.test(client.connection) } : {}),
      });
    });
  }

  /** A connection's {@link StompConnection}. */
  protected override handleOf(connection: Connection): StompConnection {
    return this.#state.handle(connection);
  }

  get #state(): StompState {
    return this.kitState as StompState;
  }

  /**
   * Sends a MESSAGE to every live subscription to `destination`, as Spring's
   * `SimpMessagingTemplate.convertAndSend` does; each gets its own
   * `subscription` and `message-id` headers. `/user/queue/x` reaches every
   * connection's `/user/queue/x` subscription; `/user/ada/queue/x` only
   * those of connections whose CONNECT `login` is `ada`. `body`: a string,
   * bytes, or any other value as JSON. Synchronous: returns the number of
   * subscriptions reached.
   */
  publish(destination: string, body: unknown, headers?: Record<string, string>): number {
    assertMessageArgs('publish(destination, body, headers?)', destination, headers);
    return this.#state.publish(destination, body, headers);
  }

  /**
   * Resolves with the next subscription (to `destination` if given) on this
   * mock not yet returned by an earlier call, including those made before
   * the call.
   */
  waitForSubscribe(destination?: StompDestinationFilter, options: StompWaitOptions = {}): Promise<StompSubscription> {
    let filter: ReturnType<typeof destinationFilter>;
    try {
      filter = destinationFilter(destination, 'waitForSubscribe');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#state.subscribes.next({
      what: `a SUBSCRIBE${describeDestination(destination)} on mock "${this.id}" (${this.path})`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /**
   * Resolves with the next SEND (to `destination` if given) on this mock not
   * yet returned by an earlier call: `{ destination, headers, body, json }`.
   * A transactional SEND arrives once its transaction is committed.
   */
  waitForSend(destination?: StompDestinationFilter, options: StompWaitOptions = {}): Promise<StompSend> {
    let filter: ReturnType<typeof destinationFilter>;
    try {
      filter = destinationFilter(destination, 'waitForSend');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#state.sends.next({
      what: `a SEND${describeDestination(destination)} on mock "${this.id}" (${this.path})`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }
}
