//
// The broker of one MQTT mock, kept across the mock's versions: sessions by
// client id, the subscription index every delivery reads, the retained
// store, each connection's link and public handle, and the arrivals the
// test waits on (accepted connections, publishes, subscriptions).
//
import type { MqttLink } from './link.js';
import { ConnectionArrivals, type Connection, type ConnectionGroup, type OutboundFrame } from '../../kit/index.js';
import { MqttConnection } from './MqttConnection.js';
import { publishPacket, type MqttPublish, type MqttQoS, type MqttRetained, type MqttSubscription, type Outgoing, type PublishPacket } from './messages.js';
import { packetLib, topicMatches, type Packet } from './protocol.js';
import { MqttSession, type OwedMessage, type SessionLink } from './session.js';

// Taken when the kit loads, as in link.ts: session expiry runs on the real clock.
const now = Date.now.bind(Date);

const describeConnection = (conn: MqttConnection) => `client "${conn.clientId}" on ${conn.id}`;
const describePublish = (p: MqttPublish) => `PUBLISH ${JSON.stringify(p.topic)} (QoS ${p.qos}) from "${p.clientId}"`;
const describeSubscription = (s: MqttSubscription) => `SUBSCRIBE ${JSON.stringify(s.filter)} (QoS ${s.qos}) from "${s.clientId}"`;

/** The broker of one MQTT mock, across its versions (see the top of the file). */
export class MqttState {
  readonly group: ConnectionGroup;
  /** Connections whose CONNECT was accepted. */
  readonly accepted: ConnectionArrivals<MqttConnection>;
  /** PUBLISH packets clients sent. */
  readonly publishes: ConnectionArrivals<MqttPublish>;
  /** Subscriptions clients made. */
  readonly subscribes: ConnectionArrivals<MqttSubscription>;
  /** The retained store, by topic. */
  readonly retained = new Map<string, MqttRetained>();
  readonly sessions = new Map<string, MqttSession>();
  /** Topic filter → the sessions subscribed to it. */
  readonly #index = new Map<string, Set<MqttSession>>();
  readonly #links = new WeakMap<Connection, MqttLink>();
  readonly #handles = new WeakMap<Connection, MqttConnection>();
  /** The most owed messages queued for an away session (the mock's `maxQueued`, set per version). */
  maxQueued = 1000;

  constructor(group: ConnectionGroup) {
    this.group = group;
    this.accepted = new ConnectionArrivals(group, describeConnection);
    this.publishes = new ConnectionArrivals(group, describePublish);
    this.subscribes = new ConnectionArrivals(group, describeSubscription);
  }

  link(connection: Connection): MqttLink | undefined {
    return this.#links.get(connection);
  }

  setLink(connection: Connection, link: MqttLink): void {
    this.#links.set(connection, link);
  }

  /** The connection's public handle, the same object every time (made once its CONNECT is accepted). */
  handle(connection: Connection): MqttConnection {
    let handle = this.#handles.get(connection);
    if (!handle) {
      const link = this.#links.get(connection);
      if (!link) throw new Error(`${connection.id} has no MQTT link`);
      handle = new MqttConnection(link, this);
      this.#handles.set(connection, handle);
    }
    return handle;
  }

  /** The session of `clientId` a connect resumes (undefined: none, or it ended while away). */
  resumable(clientId: string): MqttSession | undefined {
    const session = this.sessions.get(clientId);
    if (session?.expired(now())) {
      this.endSession(session);
      return undefined;
    }
    return session;
  }

  /** A new session for `clientId`, replacing any it had. */
  newSession(clientId: string): MqttSession {
    const old = this.sessions.get(clientId);
    if (old) this.endSession(old);
    const session = new MqttSession(clientId);
    this.sessions.set(clientId, session);
    return session;
  }

  /** The session's client went away: it ends, or waits `expiry` seconds for a reconnect. */
  away(session: MqttSession): void {
    session.link = undefined;
    if (session.expiry <= 0) this.endSession(session);
    else session.expiresAt = session.expiry === Number.POSITIVE_INFINITY ? session.expiry : now() + session.expiry * 1000;
  }

  endSession(session: MqttSession): void {
    for (const filter of session.subscriptions.keys()) this.#unindex(filter, session);
    session.subscriptions.clear();
    if (this.sessions.get(session.clientId) === session) this.sessions.delete(session.clientId);
  }

  subscribe(session: MqttSession, filter: string, qos: MqttQoS): boolean {
    const existed = session.subscriptions.has(filter);
    session.subscriptions.set(filter, qos);
    let set = this.#index.get(filter);
    if (!set) this.#index.set(filter, (set = new Set()));
    set.add(session);
    return existed;
  }

  unsubscribe(session: MqttSession, filter: string): boolean {
    if (!session.subscriptions.delete(filter)) return false;
    this.#unindex(filter, session);
    return true;
  }

  #unindex(filter: string, session: MqttSession): void {
    const set = this.#index.get(filter);
    if (set?.delete(session) && set.size === 0) this.#index.delete(filter);
  }

  /** Stores or (empty payload) clears the retained message of a topic. */
  retain(message: Outgoing): void {
    if (message.payload.length === 0) this.retained.delete(message.topic);
    else this.retained.set(message.topic, { topic: message.topic, payload: message.payload, qos: message.qos, properties: message.properties });
  }

  /**
   * Routes a message to every session subscribed to a matching filter (once
   * per session, at the highest QoS its filters grant, capped by the
   * message's), retaining it first if asked; returns how many sessions got it
   * (or were queued it). A QoS 0 delivery is encoded once per protocol version.
   */
  route(message: Outgoing): number {
    if (message.retain) this.retain(message);
    const matching: [string, Set<MqttSession>][] = [];
    for (const entry of this.#index) if (topicMatches(entry[0], message.topic)) matching.push(entry);
    if (matching.length === 0) return 0;
    // One frame per protocol version, its bytes and the object shared by every recipient.
    const frames: Partial<Record<3 | 4 | 5, OutboundFrame>> = {};
    const clock = now();
    const expired: MqttSession[] = [];
    let count = 0;
    const deliver = (session: MqttSession, granted: MqttQoS) => {
      if (session.expired(clock)) return void expired.push(session);
      const qos = Math.min(granted, message.qos) as MqttQoS;
      if (qos > 0) {
        this.owe(session, publishPacket(message, qos, false));
        count++;
        return;
      }
      const link = session.link;
      if (!link || link.ending || !link.connection.isOpen) return;
      link.writeFrame((frames[link.protocolVersion] ??= { payload: encode(message, link.protocolVersion), binary: true }));
      count++;
    };
    if (matching.length === 1) {
      // The usual case, one filter matching: its sessions, no map.
      const [filter, set] = matching[0]!;
      for (const session of set) deliver(session, session.subscriptions.get(filter)!);
    } else {
      // Overlapping filters: once per session, at the highest QoS granted.
      const best = new Map<MqttSession, MqttQoS>();
      for (const [filter, set] of matching) {
        for (const session of set) {
          const granted = session.subscriptions.get(filter)!;
          if ((best.get(session) ?? -1) < granted) best.set(session, granted);
        }
      }
      for (const [session, granted] of best) deliver(session, granted);
    }
    for (const session of expired) this.endSession(session);
    return count;
  }

  /** A QoS 1 or 2 message for `session`: sent now with a packet id, or queued while its client is away. */
  owe(session: MqttSession, packet: PublishPacket): void {
    const owed: OwedMessage = { packet, released: false };
    const link = session.link;
    // Away, or as many in flight as the client takes: it waits its turn (the oldest dropped past maxQueued).
    if (!link || link.ending || !session.canSend) {
      session.queue.push(owed);
      if (session.queue.length > this.maxQueued) session.queue.shift();
      return;
    }
    this.sendOwed(session, link, owed);
  }

  /** An acknowledgement freed a place in flight: the queued messages go, as many as the client takes. */
  drain(session: MqttSession): void {
    const link = session.link;
    if (!link || link.ending) return;
    while (session.queue.length > 0 && session.canSend) this.sendOwed(session, link, session.queue.shift()!);
  }

  /** Sends an owed message on the session's link, keeping it in flight until acknowledged. */
  sendOwed(session: MqttSession, link: SessionLink, owed: OwedMessage): void {
    if (owed.packet.messageId === undefined) owed.packet = { ...owed.packet, messageId: session.nextPacketId() };
    session.inflight.set(owed.packet.messageId!, owed);
    if (owed.released) link.write({ cmd: 'pubrel', messageId: owed.packet.messageId! } as Packet);
    else link.write(owed.packet);
  }

  /** The session's client is back: what was in flight is sent again (DUP), then what was queued. */
  resume(session: MqttSession, link: SessionLink): void {
    for (const owed of session.inflight.values()) {
      if (!owed.released) owed.packet = { ...owed.packet, dup: true };
      this.sendOwed(session, link, owed);
    }
    this.drain(session);
  }
}

function encode(message: Outgoing, version: 3 | 4 | 5): Buffer {
  const packet = publishPacket(message, 0, false);
  return packetLib()!.generate(version === 5 ? packet : ({ ...packet, properties: undefined } as Packet), { protocolVersion: version });
}
