//
// What a Phoenix mock keeps across its versions: per connection its session
// and socket handle, the joined channels by topic (what broadcasts and
// presence reach), the presence of each topic, and the mock-wide view of the
// joins (for `mock.waitForJoin()`).
//
import { Arrivals, type Connection, type ConnectionGroup } from '../../kit/index.js';
import { describeChannel, type ChannelHub, type ChannelState, type PhoenixChannel } from './PhoenixChannel.js';
import type { PhoenixFlavour } from './flavour.js';
import { PhoenixPresence, PresenceTopic, type PresenceState } from './PhoenixPresence.js';
import { PhoenixSocket } from './PhoenixSocket.js';
import { encode, forMany, type EncodedFrame, type PhoenixVsn } from './serializer.js';
import { PhoenixSession } from './session.js';
import type { LongPollTable } from './transport.js';

/** The frame of a broadcast for clients of `vsn`, made once for all of them. */
function broadcastFrame(topic: string, event: string, payload: unknown, vsn: PhoenixVsn): EncodedFrame {
  return forMany(encode({ joinRef: null, ref: null, topic, event, payload }, vsn));
}

/** A channel joined on a topic, as broadcasts reach it. */
interface Member {
  readonly channel: PhoenixChannel;
  readonly state: ChannelState;
}

/** What a Phoenix mock keeps across its versions (the kit's `state()`). */
export class PhoenixState implements ChannelHub {
  readonly group: ConnectionGroup;
  /** Every join on the mock, all sockets, in arrival order. */
  readonly joins: Arrivals<PhoenixChannel>;
  /** Long-poll sessions by token. */
  readonly longpolls: LongPollTable = new Map();
  /** The flavour of the mock's current version (none for a plain Phoenix mock). */
  flavour: PhoenixFlavour = {};
  readonly #sessions = new WeakMap<Connection, PhoenixSession>();
  readonly #sockets = new WeakMap<Connection, PhoenixSocket>();
  /** Joined channels by topic (a Set iterates without allocating, which a broadcast to thousands notices). */
  readonly #topics = new Map<string, Set<Member>>();
  readonly #members = new WeakMap<PhoenixChannel, Member>();
  readonly #presence = new Map<string, PresenceTopic>();
  readonly #order = new WeakMap<PhoenixChannel, number>();
  #seq = 0;

  constructor(group: ConnectionGroup) {
    this.group = group;
    this.joins = new Arrivals(group, describeChannel, { source: () => this.#allJoins() });
  }

  /** The connection's session, made on first use with the serializer it asked for. */
  session(connection: Connection, vsn: PhoenixVsn = '2.0.0'): PhoenixSession {
    let session = this.#sessions.get(connection);
    if (!session) {
      session = new PhoenixSession(connection, this.group, vsn);
      this.#sessions.set(connection, session);
    }
    return session;
  }

  /** The connection's socket handle, the same object every time. */
  socket(connection: Connection): PhoenixSocket {
    let socket = this.#sockets.get(connection);
    if (!socket) {
      socket = new PhoenixSocket(this.session(connection));
      this.#sockets.set(connection, socket);
    }
    return socket;
  }

  /** A join arrived: journal it on its socket, and wake the waits of both. */
  recordJoin(session: PhoenixSession, channel: PhoenixChannel): void {
    this.#order.set(channel, ++this.#seq);
    session.addJoin(channel);
    this.joins.notify();
  }

  /** The channels joined on `topic` now. */
  channelsOn(topic: string): PhoenixChannel[] {
    return [...(this.#topics.get(topic) ?? [])].map((member) => member.channel);
  }

  joined(channel: PhoenixChannel, state: ChannelState): void {
    let members = this.#topics.get(channel.topic);
    if (!members) {
      members = new Set();
      this.#topics.set(channel.topic, members);
    }
    const member = { channel, state };
    members.add(member);
    this.#members.set(channel, member);
    const presence = this.#presence.get(channel.topic);
    if (presence) this.#syncPresence(channel, state, presence.state());
    this.flavour.joined?.(channel);
  }

  ended(channel: PhoenixChannel): void {
    const member = this.#members.get(channel);
    const members = this.#topics.get(channel.topic);
    if (!member || !members?.delete(member)) return;
    this.#members.delete(channel);
    if (members.size === 0) this.#topics.delete(channel.topic);
    this.flavour.ended?.(channel);
  }

  /**
   * Sends `event` with `payload` to every channel joined on `topic` (none of
   * `except`), as Phoenix's endpoint broadcast: no join ref, encoded once per
   * serializer version. Returns the number of recipients.
   */
  broadcast(topic: string, event: string, payload: unknown, except?: PhoenixChannel): number {
    const members = this.#topics.get(topic);
    if (!members) return 0;
    // One frame per serializer version, made when a recipient of it comes.
    let v1: EncodedFrame | undefined;
    let v2: EncodedFrame | undefined;
    let recipients = 0;
    for (const { channel, state } of members) {
      if (channel === except) continue;
      const { session } = state;
      const frame = session.vsn === '2.0.0' ? (v2 ??= broadcastFrame(topic, event, payload, '2.0.0')) : (v1 ??= broadcastFrame(topic, event, payload, '1.0.0'));
      session.post(frame);
      recipients++;
    }
    return recipients;
  }

  /** The presence of `topic`, made on first use (and kept across the mock's versions). */
  presence(topic: string): PhoenixPresence {
    let entries = this.#presence.get(topic);
    if (!entries) {
      entries = new PresenceTopic();
      this.#presence.set(topic, entries);
    }
    return new PhoenixPresence(topic, entries, { diff: (t, joins, leaves) => this.#presenceDiff(t, joins, leaves) });
  }

  #presenceDiff(topic: string, joins: PresenceState, leaves: PresenceState): number {
    const members = this.#topics.get(topic);
    if (!members) return 0;
    const whole = this.#presence.get(topic)!.state();
    for (const { channel, state } of members) {
      if (state.presenceSynced) state.session.post(encode({ joinRef: channel.joinRef, ref: null, topic, event: 'presence_diff', payload: { joins, leaves } }, state.session.vsn));
      else this.#syncPresence(channel, state, whole);
    }
    return members.size;
  }

  #syncPresence(channel: PhoenixChannel, state: ChannelState, whole: PresenceState): void {
    state.presenceSynced = true;
    state.session.post(encode({ joinRef: channel.joinRef, ref: null, topic: channel.topic, event: 'presence_state', payload: whole }, state.session.vsn));
  }

  #allJoins(): PhoenixChannel[] {
    const all: PhoenixChannel[] = [];
    for (const connection of this.group.connections()) {
      const session = this.#sessions.get(connection);
      if (session) all.push(...session.joinList);
    }
    return all.sort((a, b) => this.#order.get(a)! - this.#order.get(b)!);
  }
}
