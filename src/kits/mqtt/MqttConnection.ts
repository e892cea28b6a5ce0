import { handleBrand, connectionClosed, invalidArgument, type ConnectionArrivals, type CloseInfo, type CloseOptions, type Connection } from '../../kit/index.js';
import type { MqttLink } from './link.js';
import { assertQos, payloadBytes, publishPacket, type MqttPayloadInput, type MqttPublish, type MqttPublishProperties, type MqttQoS, type PublishPacket } from './messages.js';
import { isDisconnectReason, topicMatches, validTopicFilter, validTopicName } from './protocol.js';
import type { MqttSession } from './session.js';

/** What a connection handle asks of the broker. */
export interface MqttBroker {
  /** A QoS 1 or 2 message for the session, kept until acknowledged. */
  owe(session: MqttSession, packet: PublishPacket): void;
  /** The publishes clients sent, per connection. */
  readonly publishes: ConnectionArrivals<MqttPublish>;
}

const brand = handleBrand('mqtt.connection');

/** Options of {@link MqttConnection.publish} and `MqttMock.publish`. */
export interface MqttPublishOptions {
  /** QoS of the delivery; default 0. */
  qos?: MqttQoS;
  /** `mock.publish`: retain it in the broker's store too. On a connection: the RETAIN flag of the packet sent. */
  retain?: boolean;
  /** MQTT 5 properties (user properties, content type…); left out for 3.1.1 clients. */
  properties?: MqttPublishProperties;
}

/** Options of the waits. */
export interface MqttWaitOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** The will a client left in its CONNECT. */
export interface MqttWill {
  /** Where it is published. */
  readonly topic: string;
  /** Its payload's bytes. */
  readonly payload: Buffer;
  /** Its QoS. */
  readonly qos: MqttQoS;
  /** Whether it is retained. */
  readonly retain: boolean;
  /** MQTT 5 will properties. */
  readonly properties: Record<string, unknown> | undefined;
}

/**
 * A client's MQTT connection, from `mock.waitForConnection()` once the broker
 * accepted its CONNECT: who it is (`clientId`, `username`, `will`,
 * `protocolVersion`), what it subscribed to, and what the broker can do to it.
 *
 * @example
 * ```ts
 * const conn = await broker.waitForConnection();
 * expect(conn.clientId).toBe('dashboard-1');
 * conn.publish('alerts/1', { level: 'high' }, { qos: 1 });
 * await conn.disconnect(0x8b); // MQTT 5: server shutting down
 * ```
 */
export class MqttConnection {
  /** The underlying WebSocket connection: journal, counters, `close()`. */
  readonly connection: Connection;
  readonly #link: MqttLink;
  readonly #state: MqttBroker;

  /** @internal Made by the broker, one per accepted connection. */
  constructor(link: MqttLink, state: MqttBroker) {
    this.connection = link.connection;
    this.#link = link;
    this.#state = state;
    brand.mark(this);
  }

  /** True for an MQTT connection handle from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return brand.test(value);
  }

  /** The WebSocket connection's id, e.g. `conn-3`. */
  get id(): string {
    return this.connection.id;
  }

  /** The client id of its CONNECT (or the one the broker assigned to an MQTT 5 client that sent none). */
  get clientId(): string {
    return this.#link.connect!.clientId;
  }

  /** The username of its CONNECT, if any. */
  get username(): string | undefined {
    return this.#link.connect!.username;
  }

  /** The password of its CONNECT as text, if any. */
  get password(): string | undefined {
    return this.#link.connect!.password?.toString('utf8');
  }

  /** 3 (MQTT 3.1), 4 (3.1.1) or 5. */
  get protocolVersion(): 3 | 4 | 5 {
    return this.#link.protocolVersion;
  }

  /** The clean session (3.1.1) or clean start (5) flag. */
  get clean(): boolean {
    return this.#link.connect!.clean !== false;
  }

  /** The keep-alive it asked for, seconds (0: none). */
  get keepalive(): number {
    return this.#link.connect!.keepalive ?? 0;
  }

  /** The MQTT 5 properties of its CONNECT (session expiry, user properties…). */
  get properties(): Record<string, unknown> {
    return { ...(this.#link.connect!.properties ?? {}) };
  }

  /** Its will, as the CONNECT gave it (undefined: none). */
  get will(): MqttWill | undefined {
    const will = this.#link.connect!.will;
    if (!will) return undefined;
    return { topic: will.topic, payload: Buffer.from(will.payload), qos: (will.qos ?? 0) as MqttQoS, retain: will.retain === true, properties: will.properties };
  }

  /** Its session's subscriptions: topic filter → granted QoS. */
  get subscriptions(): Record<string, MqttQoS> {
    return Object.fromEntries(this.#link.session?.subscriptions ?? []);
  }

  /** Whether the connection is still open. */
  get isOpen(): boolean {
    return this.connection.isOpen && !this.#link.ending;
  }

  /**
   * Sends this client a PUBLISH, whatever it subscribed to (QoS 1 and 2 with
   * a packet id, kept until acknowledged). Resolves once written.
   */
  publish(topic: string, payload: MqttPayloadInput, options: MqttPublishOptions = {}): Promise<void> {
    try {
      if (typeof topic !== 'string' || !validTopicName(topic)) throw invalidArgument(`publish(topic, payload): topic must be a topic name (not empty, no "+" or "#"), got ${JSON.stringify(topic)}`);
      assertQos(options.qos, 'publish(topic, payload, { qos })');
      const closed = this.#closed('publish');
      if (closed) throw closed;
      const bytes = payloadBytes(payload, 'publish(topic, payload)');
      const packet = publishPacket({ topic, payload: bytes, qos: options.qos ?? 0, retain: false, properties: this.#link.v5 ? options.properties : undefined }, options.qos ?? 0, options.retain === true);
      const session = this.#link.session!;
      if (packet.qos === 0) return new Promise((resolve, reject) => this.#link.write(packet, (err) => (err ? reject(err) : resolve())));
      this.#state.owe(session, packet);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Resolves with this client's next PUBLISH not yet returned by an earlier
   * call on this handle (those before the call included) whose topic matches
   * `topic` (a topic filter: `+` and `#` allowed); rejects once the
   * connection closed.
   */
  waitForPublish(topic?: string, options: MqttWaitOptions = {}): Promise<MqttPublish> {
    let filter: ((publish: MqttPublish) => boolean) | undefined;
    try {
      filter = topic === undefined ? undefined : publishFilter(topic);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#state.publishes.of(this.connection).next({
      what: `a PUBLISH${topic === undefined ? '' : ` matching ${JSON.stringify(topic)}`} from "${this.clientId}" on ${this.id}`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => this.#closed('waitForPublish'),
    });
  }

  /**
   * Disconnects the client from the server's side: MQTT 5, a DISCONNECT with
   * `reasonCode` (default 0, normal; 0x8b server shutting down, 0x98
   * administrative action…) then the close; 3.1.1 has no server DISCONNECT:
   * the close (1000). The will is published, as for any end the client did
   * not ask for. Resolves with how the WebSocket closed.
   */
  async disconnect(reasonCode = 0): Promise<CloseInfo> {
    if (!Number.isInteger(reasonCode) || !isDisconnectReason(reasonCode)) throw invalidArgument(`disconnect(reasonCode): reasonCode must be an MQTT 5 DISCONNECT reason code (0, 0x04 or 0x80-0xa2), got ${String(reasonCode)}`);
    const closed = this.#closed('disconnect');
    if (closed) throw closed;
    await this.#link.end(reasonCode);
    return this.connection.waitForClose();
  }

  /** Closes the WebSocket with no DISCONNECT first (default 1000); the will is published. */
  close(options?: CloseOptions): Promise<CloseInfo> {
    return this.connection.close(options);
  }

  #closed(action: string) {
    if (this.connection.isOpen && !this.#link.ending) return undefined;
    return connectionClosed(action, `MQTT client "${this.clientId}" on ${this.id}`, 'is closed', { close: this.connection.closeInfo });
  }
}

/** A filter over publishes by topic (a topic filter), checked where it enters. */
export function publishFilter(topic: string): (publish: MqttPublish) => boolean {
  if (typeof topic !== 'string' || topic === '') throw invalidArgument(`waitForPublish(topic): topic must be a topic or topic filter, got ${JSON.stringify(topic)}`);
  if (!validTopicFilter(topic)) return (publish) => publish.topic === topic;
  return (publish) => topicMatches(topic, publish.topic);
}
