//
// What a Pusher mock keeps across its versions: per connection, its session
// and its public handle; per channel, its subscribers (the index every
// fan-out reads); and the mock-wide views of subscriptions and client events
// (kept per connection, so a released connection takes its own with it).
//
import { ConnectionArrivals, randomOf, type Connection, type ConnectionGroup } from '../../kit/index.js';
import { describeClientEvent, describeSubscription, PusherConnection, type PusherClientEvent, type PusherSubscription } from './PusherConnection.js';
import { PusherSession } from './session.js';
import type { PusherMember } from './types.js';

/** The presence data of a channel: Pusher's `{ ids, hash, count }`. */
export interface PresenceData {
  ids: string[];
  hash: Record<string, unknown>;
  count: number;
}

export class PusherState {
  readonly group: ConnectionGroup;
  readonly subscriptions: ConnectionArrivals<PusherSubscription>;
  readonly clientEvents: ConnectionArrivals<PusherClientEvent>;
  readonly #sessions = new WeakMap<Connection, PusherSession>();
  readonly #handles = new WeakMap<Connection, PusherConnection>();
  /** Subscribers of each channel, in subscription order; a channel with none is dropped. */
  readonly #channels = new Map<string, Set<Connection>>();

  constructor(group: ConnectionGroup) {
    this.group = group;
    this.subscriptions = new ConnectionArrivals(group, describeSubscription);
    this.clientEvents = new ConnectionArrivals(group, describeClientEvent);
  }

  /** The connection's session, made on first use with a socket_id from the server's seeded random. */
  session(connection: Connection): PusherSession {
    let session = this.#sessions.get(connection);
    if (!session) {
      const random = randomOf(connection);
      session = new PusherSession(connection, `${random.uint32()}.${random.uint32()}`);
      this.#sessions.set(connection, session);
    }
    return session;
  }

  /** The connection's public handle, the same object every time. */
  handle(connection: Connection): PusherConnection {
    let handle = this.#handles.get(connection);
    if (!handle) {
      handle = new PusherConnection(this.session(connection), this);
      this.#handles.set(connection, handle);
    }
    return handle;
  }

  /** The open subscribers of `channel`. */
  subscribers(channel: string): ReadonlySet<Connection> {
    return this.#channels.get(channel) ?? EMPTY;
  }

  /** Every channel with a subscriber, in the order they got their first. */
  channels(): string[] {
    return [...this.#channels.keys()];
  }

  /** Adds the subscription; returns whether it is new (a second subscribe to a channel is the same one). */
  subscribe(session: PusherSession, channel: string, member: PusherMember | undefined): boolean {
    const fresh = !session.channels.has(channel);
    session.channels.set(channel, member);
    let subscribers = this.#channels.get(channel);
    if (!subscribers) this.#channels.set(channel, (subscribers = new Set()));
    subscribers.add(session.connection);
    return fresh;
  }

  /** Removes the subscription; returns its member (null when it was not subscribed). */
  unsubscribe(session: PusherSession, channel: string): PusherMember | undefined | null {
    if (!session.channels.has(channel)) return null;
    const member = session.channels.get(channel);
    session.channels.delete(channel);
    const subscribers = this.#channels.get(channel);
    subscribers?.delete(session.connection);
    if (subscribers?.size === 0) this.#channels.delete(channel);
    return member;
  }

  /** The members of a presence channel: `preset` first, then each subscribed user once, in arrival order. */
  presence(channel: string, preset: readonly PusherMember[]): PresenceData {
    const hash: Record<string, unknown> = {};
    const ids: string[] = [];
    const add = (member: PusherMember) => {
      if (ids.includes(member.user_id)) return;
      ids.push(member.user_id);
      hash[member.user_id] = member.user_info ?? null;
    };
    preset.forEach(add);
    for (const connection of this.subscribers(channel)) {
      const member = this.#sessions.get(connection)?.channels.get(channel);
      if (member) add(member);
    }
    return { ids, hash, count: ids.length };
  }

  /** Whether `userId` is on `channel` through a connection other than `except`, or as a preset member. */
  hasUser(channel: string, userId: string, preset: readonly PusherMember[], except: Connection): boolean {
    if (preset.some((m) => m.user_id === userId)) return true;
    for (const connection of this.subscribers(channel)) {
      if (connection !== except && this.#sessions.get(connection)?.channels.get(channel)?.user_id === userId) return true;
    }
    return false;
  }
}

const EMPTY: ReadonlySet<Connection> = new Set();
