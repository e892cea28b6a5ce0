//
// What the test reads of the traffic: a publish (from a client, or one the
// broker delivered), a subscription, and payloads given as text, bytes or
// JSON values turned into the bytes MQTT carries.
//
import { invalidArgument } from '../../kit/index.js';
import type { Packet } from './protocol.js';

/** MQTT's delivery guarantees: at most once, at least once, exactly once. */
export type MqttQoS = 0 | 1 | 2;

/** MQTT 5 user properties: name → value (or values, for a name given more than once). */
export type MqttUserProperties = Record<string, string | string[]>;

/** The MQTT 5 properties of a PUBLISH the mock sends or received (those the kit passes through). */
export interface MqttPublishProperties {
  /** Name → value pairs, passed through untouched. */
  userProperties?: MqttUserProperties;
  /** The MIME type of the payload. */
  contentType?: string;
  /** Where the receiver should answer (request/response). */
  responseTopic?: string;
  /** Matches an answer to its request. */
  correlationData?: Buffer;
  /** `true`: the payload is UTF-8 text. */
  payloadFormatIndicator?: boolean;
  /** Seconds the message lives. */
  messageExpiryInterval?: number;
}

/** A payload the test or a config gives: text (UTF-8), bytes, or a JSON value (serialised). */
export type MqttPayloadInput = string | Buffer | Uint8Array | number | boolean | null | Record<string, unknown> | unknown[];

/** A message to route: from a client, the test, a reply or a will. */
export interface Outgoing {
  topic: string;
  payload: Buffer;
  qos: MqttQoS;
  retain: boolean;
  properties?: MqttPublishProperties | undefined;
}

/** A PUBLISH packet as mqtt-packet takes it. */
export type PublishPacket = Packet & { cmd: 'publish'; qos: MqttQoS; messageId?: number };

/** The PUBLISH packet of a message at `qos`. */
export function publishPacket(message: Outgoing, qos: MqttQoS, retain: boolean): PublishPacket {
  return {
    cmd: 'publish',
    topic: message.topic,
    payload: message.payload,
    qos,
    retain,
    dup: false,
    ...(message.properties ? { properties: message.properties } : {}),
  } as PublishPacket;
}

const NOT_PARSED = Symbol('not parsed');

/**
 * A PUBLISH a client sent to the broker (`mock.waitForPublish()`), with its
 * payload as bytes, text and JSON.
 */
export class MqttPublish {
  /** The topic it was published to. */
  readonly topic: string;
  /** The payload's bytes. */
  readonly payload: Buffer;
  /** Its QoS. */
  readonly qos: MqttQoS;
  /** Whether the client asked the broker to retain it. */
  readonly retain: boolean;
  /** Whether the client marked it as a redelivery. */
  readonly dup: boolean;
  /** The client that published it. */
  readonly clientId: string;
  /** MQTT 5 properties (user properties, content type…); empty for 3.1.1. */
  readonly properties: MqttPublishProperties;
  /** When it arrived. */
  readonly at: Date;
  #json: unknown = NOT_PARSED;

  /** @internal Made by the broker for each publish it receives. */
  constructor(init: { topic: string; payload: Buffer; qos: MqttQoS; retain: boolean; dup: boolean; clientId: string; properties: MqttPublishProperties | undefined }) {
    this.topic = init.topic;
    this.payload = init.payload;
    this.qos = init.qos;
    this.retain = init.retain;
    this.dup = init.dup;
    this.clientId = init.clientId;
    this.properties = init.properties ?? {};
    this.at = new Date();
  }

  /** The payload as UTF-8 text. */
  get text(): string {
    return this.payload.toString('utf8');
  }

  /** The payload parsed as JSON, or undefined when it is not JSON. */
  get json(): unknown {
    if (this.#json === NOT_PARSED) {
      try {
        this.#json = JSON.parse(this.text);
      } catch {
        this.#json = undefined;
      }
    }
    return this.#json;
  }

  /** A plain view for logs and snapshots. */
  toJSON(): Record<string, unknown> {
    return { topic: this.topic, text: this.text, qos: this.qos, retain: this.retain, clientId: this.clientId };
  }
}

/** A subscription a client made (`mock.waitForSubscribe()`). */
export interface MqttSubscription {
  /** The topic filter (`sensors/+/temp`). */
  readonly filter: string;
  /** The QoS the client asked for. */
  readonly qos: MqttQoS;
  /** The QoS granted (what SUBACK said; 0x80 for a refused filter). */
  readonly granted: number;
  /** The client that subscribed. */
  readonly clientId: string;
  /** MQTT 5 user properties of the SUBSCRIBE. */
  readonly userProperties: Record<string, string | string[]> | undefined;
}

/** A retained message in the broker's store. */
export interface MqttRetained {
  /** Its topic. */
  readonly topic: string;
  /** Its payload's bytes. */
  readonly payload: Buffer;
  /** The QoS it was published with. */
  readonly qos: MqttQoS;
  /** MQTT 5 properties it was published with. */
  readonly properties: MqttPublishProperties | undefined;
}

/** The bytes of a payload: a string as UTF-8, bytes as they are, any other JSON value serialised. */
export function payloadBytes(payload: MqttPayloadInput | undefined, where: string): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload);
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const text = JSON.stringify(payload);
  if (text === undefined) throw invalidArgument(`${where}: payload must be a string, bytes or a JSON value, got ${typeof payload}`);
  return Buffer.from(text);
}

/** Checks a QoS given by the test. */
export function assertQos(qos: unknown, where: string): asserts qos is MqttQoS | undefined {
  if (qos !== undefined && qos !== 0 && qos !== 1 && qos !== 2) throw invalidArgument(`${where}: qos must be 0, 1 or 2, got ${JSON.stringify(qos)}`);
}
