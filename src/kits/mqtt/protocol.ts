//
// MQTT 3.1.1 and 5 as the kit speaks them: the reference parser and
// generator (mqtt-packet, loaded when a mock first needs it, so a server
// without an MQTT mock never pays for it), the return and reason codes the
// broker answers with, and topic names and filters as the specs define them.
//
import type * as MqttPacketModule from 'mqtt-packet';

/** mqtt-packet's exports. */
export type MqttPacketLib = typeof MqttPacketModule;
export type { IConnectPacket, IPublishPacket, ISubscribePacket, IUnsubscribePacket, Packet, Parser, QoS, UserProperties } from 'mqtt-packet';

let loading: Promise<MqttPacketLib> | undefined;
let loaded: MqttPacketLib | undefined;

/** mqtt-packet, imported once per process on first use. */
export function loadPacketLib(): Promise<MqttPacketLib> {
  loading ??= import('mqtt-packet').then((module) => {
    loaded = ((module as unknown as { default?: MqttPacketLib }).default ?? module) as MqttPacketLib;
    return loaded;
  });
  return loading;
}

/** mqtt-packet once loaded (every connection awaits the load before its first packet), else undefined. */
export function packetLib(): MqttPacketLib | undefined {
  return loaded;
}

/** The subprotocols of MQTT over WebSocket: `mqtt` (3.1.1 and 5), and `mqttv3.1` (what older clients offer). */
export const MQTT_SUBPROTOCOLS: readonly string[] = ['mqtt', 'mqttv3.1'];

/** MQTT 3.1.1's CONNACK return codes. */
export const ConnackCode = {
  /** Accepted (0). */
  accepted: 0,
  /** Unacceptable protocol version (1). */
  unacceptableProtocolVersion: 1,
  /** Identifier rejected (2). */
  identifierRejected: 2,
  /** Server unavailable (3). */
  serverUnavailable: 3,
  /** Bad username or password (4). */
  badUsernameOrPassword: 4,
  /** Not authorized (5). */
  notAuthorized: 5,
} as const;

/**
 * The MQTT 5 reason codes the broker sends (CONNACK, DISCONNECT, SUBACK,
 * PUBACK…): the spec's names, camel-cased.
 */
export const MqttReasonCode = {
  /** Success (0x00). */
  success: 0x00,
  /** Granted QoS 1 (0x01). */
  grantedQos1: 0x01,
  /** Granted QoS 2 (0x02). */
  grantedQos2: 0x02,
  /** Disconnect with will message (0x04). */
  disconnectWithWillMessage: 0x04,
  /** No matching subscribers (0x10). */
  noMatchingSubscribers: 0x10,
  /** No subscription existed (0x11). */
  noSubscriptionExisted: 0x11,
  /** Unspecified error (0x80). */
  unspecifiedError: 0x80,
  /** Malformed packet (0x81). */
  malformedPacket: 0x81,
  /** Protocol error (0x82). */
  protocolError: 0x82,
  /** Implementation specific error (0x83). */
  implementationSpecificError: 0x83,
  /** Unsupported protocol version (0x84). */
  unsupportedProtocolVersion: 0x84,
  /** Client identifier not valid (0x85). */
  clientIdentifierNotValid: 0x85,
  /** Bad user name or password (0x86). */
  badUserNameOrPassword: 0x86,
  /** Not authorized (0x87). */
  notAuthorized: 0x87,
  /** Server unavailable (0x88). */
  serverUnavailable: 0x88,
  /** Server busy (0x89). */
  serverBusy: 0x89,
  /** Banned (0x8a). */
  banned: 0x8a,
  /** Server shutting down (0x8b). */
  serverShuttingDown: 0x8b,
  /** Keep alive timeout (0x8d). */
  keepAliveTimeout: 0x8d,
  /** Session taken over (0x8e). */
  sessionTakenOver: 0x8e,
  /** Topic filter invalid (0x8f). */
  topicFilterInvalid: 0x8f,
  /** Topic name invalid (0x90). */
  topicNameInvalid: 0x90,
  /** Packet identifier not found (0x92). */
  packetIdentifierNotFound: 0x92,
  /** Packet too large (0x95). */
  packetTooLarge: 0x95,
  /** Administrative action (0x98). */
  administrativeAction: 0x98,
  /** Payload format invalid (0x99). */
  payloadFormatInvalid: 0x99,
} as const;

/** A reason code a server may put in a DISCONNECT (MQTT 5, 3.14.2.1). */
export function isDisconnectReason(code: number): boolean {
  return code === 0 || code === 0x04 || (code >= 0x80 && code <= 0xa2);
}

/** The largest remaining length MQTT can express (four bytes of variable byte integer). */
export const MAX_REMAINING_LENGTH = 268_435_455;

/** Whether `topic` is a valid topic name to publish to: not empty, no wildcard, no NUL. */
export function validTopicName(topic: string): boolean {
  return topic.length > 0 && !/[+#\u0000]/.test(topic);
}

/** Whether `filter` is a valid topic filter: `+` alone in its level, `#` alone and last. */
export function validTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => (level.includes('+') ? level === '+' : true) && (level.includes('#') ? level === '#' && i === levels.length - 1 : true));
}

/**
 * Whether `topic` matches `filter` (`+` one level, `#` this level and every
 * one below, even none). A filter starting with a wildcard does not match a
 * topic starting with `$` ($SYS and the like), as the specs require.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  if ((filter[0] === '+' || filter[0] === '#') && topic[0] === '$') return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
