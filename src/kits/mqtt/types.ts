import type { HandshakeHooks, KitEnvelopeOf, SubprotocolSelector, WebSocketEndpointFields } from '../../kit/index.js';
import type { MqttConnection } from './MqttConnection.js';
import type { MqttPayloadInput, MqttPublish, MqttQoS } from './messages.js';

export type { MqttPayloadInput, MqttPublishProperties, MqttQoS, MqttUserProperties } from './messages.js';

/** A retained message as config files write it: its payload, or the payload with a QoS. */
export type MqttRetainedSpec =
  | MqttPayloadInput
  | {
      /** The retained message's payload. */
      payload: MqttPayloadInput;
      /** The QoS it is stored with (default 0). */
      qos?: MqttQoS;
    };

/**
 * What the mock publishes when a client publishes to a topic a `topics`
 * entry matches. Strings are templates: `{{topic}}` (the topic published to),
 * `{{levels.1}}` (its second level), `{{text}}` (the payload as text),
 * `{{json.field}}` (the payload as JSON), `{{clientId}}`, and the variables
 * of every response (`{{uuid}}`, `{{connection.id}}`…). An object payload
 * is sent as JSON.
 */
export interface MqttReplySpec {
  /** The topic to publish to (templated). */
  topic: string;
  /** The payload (templated); default empty. */
  payload?: unknown;
  /** QoS of the reply; default 0. */
  qos?: MqttQoS;
  /** Retain the reply; default false. */
  retain?: boolean;
}

/** What the mock does with the publishes to topics a filter matches. */
export interface MqttTopicSpec {
  /** Publish a reply, as a backend service subscribed to the filter would. */
  reply?: MqttReplySpec;
}

/** The declarative `auth`: the username → password pairs the broker accepts. */
export interface MqttAuthSpec {
  /** Accepted users and their passwords. */
  users: Record<string, string>;
}

/** The declarative fields of an MQTT mock: what config files and the admin API carry. */
export interface MqttMockFields extends WebSocketEndpointFields {
  /** Who may connect: `{ users: { alice: 'secret' } }`; default anyone. */
  auth?: MqttAuthSpec;
  /** Answers to client publishes, by topic filter (`cmd/+`, `sensors/#`). */
  topics?: Record<string, MqttTopicSpec>;
  /** Retained messages the broker starts with, by topic. */
  retained?: Record<string, MqttRetainedSpec>;
  /**
   * The largest packet the broker accepts, bytes (default 1 MiB; advertised
   * in an MQTT 5 CONNACK). It also bounds what is held of a packet split
   * across WebSocket frames. A larger one ends the connection (MQTT 5:
   * DISCONNECT 0x95 first).
   */
  maximumPacketSize?: number;
  /** The most QoS 1 and 2 messages queued for a session, while its client is away or has its receive maximum in flight (default 1000; the oldest dropped first). */
  maxQueued?: number;
}

/**
 * Decides whether a client may connect: `true` accepts, `false` refuses.
 * The CONNACK says why: with a username, "bad username or password"
 * (3.1.1: 4; 5: 0x86), without one "not authorized" (5; 0x87). May return a
 * promise.
 */
export type MqttAuthFunction = (username: string | undefined, password: string | undefined, clientId: string) => boolean | Promise<boolean>;

/**
 * An in-process answer to a client publish: it may publish through `conn` or
 * the mock, and return a {@link MqttReplySpec} (or a promise of one) for the
 * mock to publish. A throw is reported on `server.on('error')`.
 */
export type MqttTopicHandler = (publish: MqttPublish, conn: MqttConnection) => MqttReplySpec | void | Promise<MqttReplySpec | void>;

/** An MQTT mock as config files and the admin API write it. */
export type MqttEnvelope = KitEnvelopeOf<'mqtt', MqttMockFields>;

/** What `server.mqtt()` takes: the declarative fields, identity, and the in-process hooks. */
export interface MqttMockConfig extends Omit<MqttMockFields, 'auth' | 'topics' | 'subprotocols' | 'handshake'> {
  /** Who may connect: `{ users }`, or a function `(username, password, clientId) => boolean`. */
  auth?: MqttAuthSpec | MqttAuthFunction;
  /** Answers to client publishes, by topic filter: a `{ reply }` or a function. */
  topics?: Record<string, MqttTopicSpec | MqttTopicHandler>;
  /** Subprotocols the mock accepts (default `mqtt`, `mqttv3.1`), or a function choosing one per handshake. */
  subprotocols?: string[] | SubprotocolSelector;
  /** Control of the upgrade, with the in-process `verify`. */
  handshake?: HandshakeHooks;
  /** Stable id (default: generated). Unique per server. */
  id?: string;
  /** Human-readable name. */
  name?: string;
  /** Default true. A disabled mock refuses handshakes with 503. */
  enabled?: boolean;
}
