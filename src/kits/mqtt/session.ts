//
// An MQTT session: what the broker keeps for one client id, across its
// connections when the client asks for a persistent one (3.1.1
// `cleanSession: false`, 5 `clean: false` with a session expiry interval):
// its subscriptions, the QoS 1 and 2 messages in flight or queued while it is
// away, the QoS 2 packet ids it has sent and not yet released. A live
// session points at the connection (link) it runs on.
//
import type { Connection, OutboundFrame } from '../../kit/index.js';
import type { MqttQoS, PublishPacket } from './messages.js';
import type { Packet } from './protocol.js';

/** What the broker writes a session's messages through: its connection's link. */
export interface SessionLink {
  readonly connection: Connection;
  readonly protocolVersion: 3 | 4 | 5;
  readonly ending: boolean;
  /** Sends a packet, encoded for the connection's protocol version. */
  write(packet: Packet): void;
  /** Sends a frame already encoded (shared by a fan-out's recipients). */
  writeFrame(frame: OutboundFrame): void;
}

/** A message the broker owes a session: sent and unacknowledged, or queued while its client is away. */
export interface OwedMessage {
  /** The PUBLISH to (re)send; its `messageId` is set when it is first sent. */
  packet: PublishPacket;
  /** For QoS 2 once PUBREC came: only PUBREL is owed. */
  released: boolean;
}

/** What the broker keeps for one client id (see the top of the file). */
export class MqttSession {
  readonly clientId: string;
  /** Topic filter → the granted QoS. */
  readonly subscriptions = new Map<string, MqttQoS>();
  /** Sent QoS 1 and 2 messages not yet acknowledged, by packet id. */
  readonly inflight = new Map<number, OwedMessage>();
  /** QoS 1 and 2 messages for a client that is away, oldest first. */
  readonly queue: OwedMessage[] = [];
  /** QoS 2 packet ids the client sent whose PUBREL has not come. */
  readonly received = new Set<number>();
  /** The connection the session runs on, or undefined while its client is away. */
  link: SessionLink | undefined;
  /** The most QoS 1 and 2 messages in flight at once: MQTT 5's receive maximum from CONNECT, else 65535. */
  receiveMaximum = 65535;
  /** Seconds the session outlives its connection (Infinity: for ever; 0: it ends with it). */
  expiry = 0;
  /** When an away session ends (ms on the real clock); Infinity while live or kept for ever. */
  expiresAt = Number.POSITIVE_INFINITY;
  #nextId = 0;

  constructor(clientId: string) {
    this.clientId = clientId;
  }

  /** Whether the session ended while its client was away. */
  expired(now: number): boolean {
    return this.link === undefined && now >= this.expiresAt;
  }

  /** Whether another QoS 1 or 2 message may be sent now (else it waits in the queue for an acknowledgement). */
  get canSend(): boolean {
    return this.inflight.size < this.receiveMaximum;
  }

  /** The next packet id not in flight (1 to 65535, then round again); there is one while `canSend`. */
  nextPacketId(): number {
    do this.#nextId = (this.#nextId % 65535) + 1;
    while (this.inflight.has(this.#nextId));
    return this.#nextId;
  }
}
