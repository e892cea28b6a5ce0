//
// What one version of an MQTT mock does with a connection: every binary
// frame fed to the connection's parser, and each packet handled as a broker
// does: CONNECT (auth, sessions, takeover), PUBLISH in and its
// acknowledgements both ways, SUBSCRIBE with the retained messages,
// UNSUBSCRIBE, PINGREQ, DISCONNECT; anything out of order is a protocol
// error that ends that connection alone. The will is published when a
// connection ends without the client's DISCONNECT.
//
import { randomOf, type Connection, type KitHost, type Message, type Stage, type TemplateScope } from '../../kit/index.js';
import { isPromiseLike } from '../../util/promise.js';
import { toError } from '../../util/toError.js';
import { MqttLink } from './link.js';
import { MqttPublish, payloadBytes, publishPacket, type MqttPayloadInput, type MqttQoS, type Outgoing } from './messages.js';
import { ConnackCode, loadPacketLib, MqttReasonCode, packetLib, topicMatches, validTopicFilter, validTopicName, type IConnectPacket, type IPublishPacket, type ISubscribePacket, type IUnsubscribePacket, type Packet } from './protocol.js';
import type { TopicAnswer } from './replies.js';
import type { MqttState } from './state.js';
import type { MqttAuthFunction, MqttReplySpec } from './types.js';

/** What the stage needs of a mock version's config, compiled. */
export interface MqttStageOptions {
  readonly state: MqttState;
  readonly host: KitHost;
  readonly auth: MqttAuthFunction | undefined;
  readonly topics: (topic: string) => { answer(scope: TemplateScope, publish: MqttPublish): TopicAnswer }[];
  readonly maximumPacketSize: number;
}

/** Seconds that mean "never expires" in MQTT 5's session expiry interval. */
const FOREVER = 0xffffffff;

/** What one version of an MQTT mock does with frames. */
export function mqttStage(options: MqttStageOptions): Stage {
  const { state, host, auth, topics, maximumPacketSize } = options;
  let sequence = 0;

  const report = (err: unknown, link: MqttLink) => host.report(toError(err), link.connection);

  const protocolError = (link: MqttLink, reason: string) => link.fail(MqttReasonCode.protocolError, reason);

  const onPacket = (link: MqttLink, packet: Packet): void => {
    if (packet.cmd === 'connect') return void connect(link, packet);
    if (!link.connect) return protocolError(link, `${packet.cmd.toUpperCase()} before CONNECT (the first packet must be CONNECT)`);
    switch (packet.cmd) {
      case 'publish':
        return publish(link, packet);
      case 'puback':
      case 'pubcomp':
        if (link.session!.inflight.delete(packet.messageId!)) state.drain(link.session!);
        return;
      case 'pubrec': {
        const owed = link.session!.inflight.get(packet.messageId!);
        if (owed) owed.released = true;
        link.write({ cmd: 'pubrel', messageId: packet.messageId! } as Packet);
        return;
      }
      case 'pubrel': {
        const known = link.session!.received.delete(packet.messageId!);
        link.write({ cmd: 'pubcomp', messageId: packet.messageId!, ...(link.v5 && !known ? { reasonCode: MqttReasonCode.packetIdentifierNotFound } : {}) } as Packet);
        return;
      }
      case 'subscribe':
        // MQTT-3.8.3-2 / MQTT 5 3.8.3: a SUBSCRIBE with no topic filter is a protocol error.
        if (packet.subscriptions.length === 0) return protocolError(link, 'a SUBSCRIBE with no topic filter');
        return subscribe(link, packet);
      case 'unsubscribe':
        if (packet.unsubscriptions.length === 0) return protocolError(link, 'an UNSUBSCRIBE with no topic filter');
        return unsubscribe(link, packet);
      case 'pingreq':
        return link.write({ cmd: 'pingresp' });
      case 'disconnect':
        return disconnect(link, packet);
      default:
        return protocolError(link, `a client does not send ${packet.cmd.toUpperCase()}`);
    }
  };

  const connect = (link: MqttLink, packet: IConnectPacket) => {
    if (link.connectSeen) return protocolError(link, 'a second CONNECT on the connection');
    link.connectSeen = true;
    link.protocolVersion = (packet.protocolVersion ?? 4) as 3 | 4 | 5;
    if (packet.clientId === '' && (link.v5 ? false : packet.clean === false)) return refuse(link, ConnackCode.identifierRejected, MqttReasonCode.clientIdentifierNotValid);
    const clientId = packet.clientId === '' ? `wsmock-${randomOf(link.connection).uuid()}` : packet.clientId;
    const accepted = { ...packet, clientId };
    if (!auth) return accept(link, accepted, packet.clientId === '');
    const password = packet.password?.toString('utf8');
    const decided = (ok: boolean) => {
      if (link.ending) return;
      if (ok === true) accept(link, accepted, packet.clientId === '');
      else if (packet.username !== undefined) refuse(link, ConnackCode.badUsernameOrPassword, MqttReasonCode.badUserNameOrPassword);
      else refuse(link, ConnackCode.notAuthorized, MqttReasonCode.notAuthorized);
    };
    const failed = (err: unknown) => {
      host.report(new Error(`MQTT auth failed on ${link.connection.id}: ${toError(err).message}`, { cause: err }), link.connection);
      refuse(link, ConnackCode.serverUnavailable, MqttReasonCode.unspecifiedError);
    };
    let result: boolean | Promise<boolean>;
    try {
      result = auth(packet.username, password, clientId);
    } catch (err) {
      return failed(err);
    }
    if (!isPromiseLike(result)) return decided(result);
    // Packets after CONNECT wait for the decision, in order.
    link.held = [];
    Promise.resolve(result).then(decided, failed).finally(() => {
      const held = link.held ?? [];
      link.held = undefined;
      for (const next of held) if (!link.ending) onPacket(link, next);
    });
  };

  const refuse = (link: MqttLink, code311: number, code5: number) => {
    link.write((link.v5 ? { cmd: 'connack', reasonCode: code5, sessionPresent: false } : { cmd: 'connack', returnCode: code311, sessionPresent: false }) as Packet);
    // The CONNACK said why; the close that follows is an ordinary one.
    void link.end(MqttReasonCode.success, 'connection refused');
  };

  const accept = (link: MqttLink, packet: IConnectPacket, assigned: boolean) => {
    const { clientId } = packet;
    const clean = packet.clean !== false;
    // A second connection with the same client id takes over: the first ends (MQTT 5: DISCONNECT 0x8e).
    const current = state.sessions.get(clientId)?.link;
    const live = current && state.link(current.connection);
    if (live && live !== link) {
      live.fail(MqttReasonCode.sessionTakenOver, 'session taken over by another connection with the same client id');
      dropped(live);
    }
    const previous = clean ? undefined : state.resumable(clientId);
    const session = previous ?? state.newSession(clientId);
    session.link = link;
    session.expiresAt = Number.POSITIVE_INFINITY;
    if (link.v5) {
      const seconds = packet.properties?.sessionExpiryInterval ?? 0;
      session.expiry = seconds === FOREVER ? Number.POSITIVE_INFINITY : seconds;
    } else session.expiry = clean ? 0 : Number.POSITIVE_INFINITY;
    session.receiveMaximum = (link.v5 ? packet.properties?.receiveMaximum : undefined) ?? 65535;
    link.connect = packet;
    link.session = session;
    link.will = packet.will;
    const properties: Record<string, unknown> = { maximumPacketSize };
    if (assigned) properties.assignedClientIdentifier = clientId;
    link.write((link.v5 ? { cmd: 'connack', reasonCode: 0, sessionPresent: previous !== undefined, properties } : { cmd: 'connack', returnCode: 0, sessionPresent: previous !== undefined }) as Packet);
    link.startKeepAlive(packet.keepalive ?? 0, () => {
      link.fail(MqttReasonCode.keepAliveTimeout, `no packet for 1.5 x the keep-alive of ${packet.keepalive}s`);
    });
    state.accepted.push(link.connection, state.handle(link.connection));
    if (previous) state.resume(session, link);
  };

  const publish = (link: MqttLink, packet: IPublishPacket) => {
    if (!validTopicName(packet.topic)) return link.fail(MqttReasonCode.topicNameInvalid, `PUBLISH to ${JSON.stringify(packet.topic)}: not a topic name (no "+" or "#")`);
    const session = link.session!;
    const { qos, messageId } = packet;
    if (qos === 1) link.write({ cmd: 'puback', messageId: messageId! } as Packet);
    else if (qos === 2) {
      link.write({ cmd: 'pubrec', messageId: messageId! } as Packet);
      // A resent QoS 2 PUBLISH whose PUBREL has not come is not delivered twice.
      if (session.received.has(messageId!)) return;
      session.received.add(messageId!);
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const properties = link.v5 ? passThrough(packet.properties) : undefined;
    const received = new MqttPublish({ topic: packet.topic, payload, qos, retain: packet.retain, dup: packet.dup, clientId: session.clientId, properties });
    state.route({ topic: packet.topic, payload, qos, retain: packet.retain, properties });
    state.publishes.push(link.connection, received);
    answer(link, received);
  };

  /** Runs the `topics` entries matching a client's publish. */
  const answer = (link: MqttLink, received: MqttPublish) => {
    for (const entry of topics(received.topic)) {
      let outcome: TopicAnswer;
      try {
        outcome = entry.answer(scopeOf(link, undefined), received);
      } catch (err) {
        report(err, link);
        continue;
      }
      if (outcome.kind === 'reply') {
        send(link, outcome.reply);
        continue;
      }
      let result: unknown;
      try {
        result = outcome.handler(received, state.handle(link.connection));
      } catch (err) {
        report(err, link);
        continue;
      }
      const then = (value: unknown) => {
        if (value !== undefined) send(link, value as MqttReplySpec);
      };
      if (isPromiseLike(result)) Promise.resolve(result).then(then, (err: unknown) => report(err, link));
      else then(result);
    }
  };

  const send = (link: MqttLink, reply: MqttReplySpec) => {
    try {
      if (typeof reply !== 'object' || reply === null || typeof reply.topic !== 'string' || !validTopicName(reply.topic)) {
        throw new Error(`an MQTT reply needs a topic name (not empty, no "+" or "#"), got ${JSON.stringify(reply)}`);
      }
      state.route({ topic: reply.topic, payload: payloadBytes(reply.payload as MqttPayloadInput, 'reply'), qos: reply.qos ?? 0, retain: reply.retain === true });
    } catch (err) {
      report(err, link);
    }
  };

  const scopeOf = (link: MqttLink, message: Message | undefined): TemplateScope => ({
    connection: link.connection,
    message,
    connectionCount: host.connectionCount,
    sequence: ++sequence,
    uuid: () => randomOf(link.connection).uuid(),
  });

  const subscribe = (link: MqttLink, packet: ISubscribePacket) => {
    const session = link.session!;
    const granted: number[] = [];
    const retained: Outgoing[] = [];
    for (const sub of packet.subscriptions) {
      if (!validTopicFilter(sub.topic)) {
        granted.push(link.v5 ? MqttReasonCode.topicFilterInvalid : 0x80);
        continue;
      }
      const qos = Math.min(sub.qos, 2) as MqttQoS;
      const existed = state.subscribe(session, sub.topic, qos);
      granted.push(qos);
      state.subscribes.push(link.connection, { filter: sub.topic, qos: sub.qos as MqttQoS, granted: qos, clientId: session.clientId, userProperties: packet.properties?.userProperties });
      // Retain handling (MQTT 5): 0 send retained messages, 1 only for a new subscription, 2 never.
      const handling = sub.rh ?? 0;
      if (handling === 2 || (handling === 1 && existed)) continue;
      for (const message of state.retained.values()) {
        if (topicMatches(sub.topic, message.topic)) retained.push({ ...message, qos: Math.min(message.qos, qos) as MqttQoS, retain: true });
      }
    }
    link.write({ cmd: 'suback', messageId: packet.messageId!, granted } as Packet);
    for (const message of retained) {
      if (message.qos === 0) link.write(publishPacket(message, 0, true));
      else state.owe(session, publishPacket(message, message.qos, true));
    }
  };

  const unsubscribe = (link: MqttLink, packet: IUnsubscribePacket) => {
    const codes = packet.unsubscriptions.map((filter) => (state.unsubscribe(link.session!, filter) ? MqttReasonCode.success : MqttReasonCode.noSubscriptionExisted));
    link.write({ cmd: 'unsuback', messageId: packet.messageId!, ...(link.v5 ? { granted: codes } : {}) } as Packet);
  };

  const disconnect = (link: MqttLink, packet: Packet & { cmd: 'disconnect' }) => {
    link.disconnected = true;
    // MQTT 5: 0x04 asks the broker to publish the will all the same.
    if (!(link.v5 && packet.reasonCode === MqttReasonCode.disconnectWithWillMessage)) link.will = undefined;
    const expiry = packet.properties?.sessionExpiryInterval;
    if (link.v5 && expiry !== undefined && link.session) link.session.expiry = expiry === FOREVER ? Number.POSITIVE_INFINITY : expiry;
    link.ending = true;
    link.stop();
    link.connection.close({ code: 1000 }).catch(() => {});
  };

  /** The connection ended (any way): the will if owed, and the session goes away or waits. */
  const dropped = (link: MqttLink) => {
    link.ending = true;
    link.stop();
    const session = link.session;
    if (!session || session.link !== link) return;
    const will = link.will;
    link.will = undefined;
    state.away(session);
    if (will) {
      const payload = Buffer.isBuffer(will.payload) ? will.payload : Buffer.from(will.payload);
      state.route({ topic: will.topic, payload, qos: (will.qos ?? 0) as MqttQoS, retain: will.retain === true, properties: link.v5 ? passThrough(will.properties) : undefined });
    }
  };

  const feed = (link: MqttLink, message: Message) => {
    if (!message.binary) return protocolError(link, 'a text frame (MQTT over WebSocket sends binary frames)');
    link.feed(message.data as Buffer);
  };

  return {
    name: 'mqtt',
    inbound({ connection, message }) {
      if (packetLib()) {
        feed(linkOf(connection), message);
        return true;
      }
      // The parser loads with the first frame of the first MQTT connection; the
      // pipeline holds this connection's later frames until it has.
      return loadPacketLib().then(() => {
        feed(linkOf(connection), message);
        return true;
      });
    },
    disconnect(connection: Connection) {
      const link = state.link(connection);
      if (link) dropped(link);
    },
  };

  function linkOf(connection: Connection): MqttLink {
    let link = state.link(connection);
    if (!link) {
      link = new MqttLink(connection, maximumPacketSize, onPacket);
      state.setLink(connection, link);
    }
    return link;
  }
}

/** The MQTT 5 properties of a PUBLISH (or will) passed on to subscribers. */
function passThrough(properties: Record<string, unknown> | undefined): Outgoing['properties'] {
  if (!properties) return undefined;
  const { userProperties, contentType, responseTopic, correlationData, payloadFormatIndicator, messageExpiryInterval } = properties as NonNullable<Outgoing['properties']>;
  const kept = { userProperties, contentType, responseTopic, correlationData, payloadFormatIndicator, messageExpiryInterval };
  for (const key of Object.keys(kept) as (keyof typeof kept)[]) if (kept[key] === undefined) delete kept[key];
  return Object.keys(kept).length > 0 ? kept : undefined;
}
