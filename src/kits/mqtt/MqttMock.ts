import { compileArrivalFilter, invalidArgument, KitMock, type Connection, type WaitForConnectionOptions } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import { quietWait } from '../../util/promise.js';
import { publishFilter, type MqttConnection, type MqttPublishOptions, type MqttWaitOptions } from './MqttConnection.js';
import { assertQos, payloadBytes, type MqttPayloadInput, type MqttPublish, type MqttSubscription } from './messages.js';
import { validTopicName } from './protocol.js';
import { RetainedStore } from './RetainedStore.js';
import type { MqttState } from './state.js';
import type { MqttEnvelope, MqttMockConfig, MqttRetainedSpec } from './types.js';

/**
 * A small MQTT 3.1.1 and 5 broker over WebSocket, for one test, defined with
 * `server.mqtt()`: CONNECT with `auth`, SUBSCRIBE with `+` and `#`, PUBLISH
 * at QoS 0, 1 and 2 both ways, retained messages, wills, keep-alive,
 * persistent sessions and takeover. It has the lifecycle of every mock
 * (`update()` closes its clients with 1012, `disable()`, `remove()`).
 *
 * @example
 * ```ts
 * const broker = server.mqtt('/mqtt', { retained: { 'config/theme': 'dark' } });
 * const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
 * await client.subscribeAsync('alerts/#');
 * broker.publish('alerts/fire', { level: 'high' }, { qos: 1 });
 * const sent = await broker.waitForPublish('cmd/+');
 * ```
 */
export class MqttMock extends KitMock<MqttMockConfig, MqttConnection> {
  /** True for an MQTT mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'mqtt');
  }

  /** The envelope form used by config files and the admin API. */
  override toJSON(): MqttEnvelope {
    return super.toJSON() as MqttEnvelope;
  }

  protected override handleOf(connection: Connection): MqttConnection {
    return this.#state.handle(connection);
  }

  get #state(): MqttState {
    return this.kitState as MqttState;
  }

  /**
   * Resolves with the next client whose CONNECT the broker accepted, not yet
   * returned by an earlier call on the mock (those before the call included).
   */
  override waitForConnection(options: WaitForConnectionOptions & MqttWaitOptions = {}): Promise<MqttConnection> {
    // The handshake's query and headers, and a predicate, as on every mock.
    return quietWait(() => {
      const filter = compileArrivalFilter(options);
      return this.#state.accepted.all.next({
        what: `an MQTT client accepted by mock "${this.id}" (${this.path})${filter ? ` ${filter.description}` : ''}`,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(filter ? { filter: (client: MqttConnection) => filter.test(client.connection) } : {}),
      });
    });
  }

  /**
   * Publishes as the broker: every subscription matching `topic` gets it (at
   * the lower of `qos` and its granted QoS; a persistent session whose client
   * is away keeps QoS 1 and 2 messages for its return). `retain: true`
   * stores it too (an empty payload clears the topic's retained message).
   * Returns how many sessions it reached.
   */
  publish(topic: string, payload: MqttPayloadInput, options: MqttPublishOptions = {}): number {
    if (typeof topic !== 'string' || !validTopicName(topic)) throw invalidArgument(`publish(topic, payload): topic must be a topic name (not empty, no "+" or "#"), got ${JSON.stringify(topic)}`);
    assertQos(options.qos, 'publish(topic, payload, { qos })');
    if (options.retain !== undefined && typeof options.retain !== 'boolean') throw invalidArgument(`publish(topic, payload, { retain }): retain must be a boolean, got ${typeof options.retain}`);
    return this.#state.route({ topic, payload: payloadBytes(payload, 'publish(topic, payload)'), qos: options.qos ?? 0, retain: options.retain === true, properties: options.properties });
  }

  /**
   * Resolves with the next PUBLISH a client sent, on any connection, not yet
   * returned by an earlier call on the mock (those before the call included),
   * whose topic matches `topic` (a topic or a filter with `+` and `#`).
   */
  waitForPublish(topic?: string, options: MqttWaitOptions = {}): Promise<MqttPublish> {
    let filter: ((publish: MqttPublish) => boolean) | undefined;
    try {
      filter = topic === undefined ? undefined : publishFilter(topic);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#state.publishes.all.next({
      what: `a PUBLISH${topic === undefined ? '' : ` matching ${JSON.stringify(topic)}`} on mock "${this.id}" (${this.path})`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /**
   * Resolves with the next subscription a client made, not yet returned by an
   * earlier call on the mock, whose filter is `filter` (exactly, as the client
   * wrote it).
   */
  waitForSubscribe(filter?: string, options: MqttWaitOptions = {}): Promise<MqttSubscription> {
    if (filter !== undefined && typeof filter !== 'string') return Promise.reject(invalidArgument(`waitForSubscribe(filter): filter must be a string, got ${typeof filter}`));
    return this.#state.subscribes.all.next({
      what: `a SUBSCRIBE${filter === undefined ? '' : ` to ${JSON.stringify(filter)}`} on mock "${this.id}" (${this.path})`,
      ...(filter !== undefined ? { filter: (s: MqttSubscription) => s.filter === filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /** Every PUBLISH clients sent on this mock, in order. */
  get publishes(): MqttPublish[] {
    return [...this.#state.publishes.all.all];
  }

  /**
   * The broker's retained messages, by topic: `get`, `set`, `delete`,
   * `clear`, iteration. Assign an object (`mock.retained = { 'a/b': 'on' }`)
   * to replace the whole store.
   */
  get retained(): RetainedStore {
    return new RetainedStore(this.#state.retained);
  }

  /** Replaces the whole retained store with `messages`, by topic. */
  set retained(messages: Record<string, MqttRetainedSpec>) {
    if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) throw invalidArgument('retained = messages: messages must be an object of topic → payload');
    const store = new RetainedStore(this.#state.retained);
    const entries = Object.entries(messages);
    for (const [topic] of entries) if (!validTopicName(topic)) throw invalidArgument(`retained = messages: ${JSON.stringify(topic)} is not a topic name`);
    store.clear();
    for (const [topic, spec] of entries) store.setSpec(topic, spec);
  }
}
