import { invalidArgument } from '../../kit/index.js';
import { assertQos, payloadBytes, type MqttPayloadInput, type MqttPublishProperties, type MqttQoS, type MqttRetained } from './messages.js';
import { validTopicName } from './protocol.js';
import type { MqttRetainedSpec } from './types.js';

/**
 * The broker's retained messages, by topic (`mock.retained`): what a new
 * subscription matching a topic receives first, flagged RETAIN. A live view:
 * what clients retain shows here, and what the test sets is what they get.
 */
export class RetainedStore implements Iterable<MqttRetained> {
  readonly #map: Map<string, MqttRetained>;

  /** @internal A view of the broker's store. */
  constructor(map: Map<string, MqttRetained>) {
    this.#map = map;
  }

  /** How many topics hold a retained message. */
  get size(): number {
    return this.#map.size;
  }

  /** The retained message of `topic`, if any. */
  get(topic: string): MqttRetained | undefined {
    return this.#map.get(topic);
  }

  /** Whether `topic` holds a retained message. */
  has(topic: string): boolean {
    return this.#map.has(topic);
  }

  /** Retains `payload` on `topic` (an empty payload clears it, as a client's empty retained PUBLISH does). */
  set(topic: string, payload: MqttPayloadInput, options: { qos?: MqttQoS; properties?: MqttPublishProperties } = {}): this {
    if (typeof topic !== 'string' || !validTopicName(topic)) throw invalidArgument(`retained.set(topic, payload): topic must be a topic name (not empty, no "+" or "#"), got ${JSON.stringify(topic)}`);
    assertQos(options.qos, 'retained.set(topic, payload, { qos })');
    const bytes = payloadBytes(payload, 'retained.set(topic, payload)');
    if (bytes.length === 0) this.#map.delete(topic);
    else this.#map.set(topic, { topic, payload: bytes, qos: options.qos ?? 0, properties: options.properties });
    return this;
  }

  /** @internal Sets from a config's form: a payload, or `{ payload, qos }`. */
  setSpec(topic: string, spec: MqttRetainedSpec): void {
    if (typeof spec === 'object' && spec !== null && !Buffer.isBuffer(spec) && !(spec instanceof Uint8Array) && !Array.isArray(spec) && 'payload' in spec) {
      this.set(topic, spec.payload as MqttPayloadInput, { qos: (spec as { qos?: MqttQoS }).qos ?? 0 });
    } else this.set(topic, spec as MqttPayloadInput);
  }

  /** Clears the retained message of `topic`; whether there was one. */
  delete(topic: string): boolean {
    return this.#map.delete(topic);
  }

  /** Clears every retained message. */
  clear(): void {
    this.#map.clear();
  }

  /** The topics holding a retained message. */
  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** Every retained message. */
  [Symbol.iterator](): Iterator<MqttRetained> {
    return this.#map.values();
  }

  /** Topic → text, for logs and snapshots. */
  toJSON(): Record<string, string> {
    return Object.fromEntries([...this.#map].map(([topic, message]) => [topic, message.payload.toString('utf8')]));
  }
}
