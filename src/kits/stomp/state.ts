//
// What a STOMP mock keeps across its versions: per connection, its session
// and public handle; the mock-wide arrivals (connected clients,
// subscriptions, SENDs) its waits take from; and the index of live
// subscriptions by destination that publishes fan out through.
//
import { Arrivals, deliver, type Connection, type ConnectionGroup } from '../../kit/index.js';
import { StompSession, SubscriptionCore, type StompAckMode, type StompSubscription } from './session.js';
import { StompConnection } from './StompConnection.js';
import type { StompSend } from './StompSend.js';
import type { SockJsSessions } from './sockjs/SockJsHttpSession.js';
import { MessageFrames } from './wire.js';

/** `/user/{name}/rest`: Spring's destination for one user's `/user/rest` subscriptions. */
const USER_DESTINATION = /^\/user\/([^/]+)(\/.+)$/;

export class StompState {
  readonly group: ConnectionGroup;
  /** Clients that got CONNECTED, in order. */
  readonly connections: Arrivals<StompConnection>;
  readonly subscribes: Arrivals<StompSubscription>;
  readonly sends: Arrivals<StompSend>;
  readonly #sessions = new WeakMap<Connection, StompSession>();
  readonly #handles = new WeakMap<Connection, StompConnection>();
  readonly #index = new Map<string, Set<SubscriptionCore>>();
  /** Publishes so far: each is one message, its `message-id` the count. */
  #publishes = 0;
  /** The SockJS HTTP sessions, by id. */
  readonly sockjs: SockJsSessions = new Map();
  /** The largest frame of the current version (read when a session is made). */
  maxFrameSize = 65536;

  constructor(group: ConnectionGroup) {
    this.group = group;
    this.connections = new Arrivals(group, (c: StompConnection) => `${c.id} (STOMP ${c.version})`, { limit: group.journalLimit });
    this.subscribes = new Arrivals(group, (s: StompSubscription) => `${s.destination} (id ${s.id}) on ${s.connectionId}`, { limit: group.journalLimit });
    this.sends = new Arrivals(group, (s: StompSend) => `a SEND to ${s.destination} on ${s.connectionId}`, { limit: group.journalLimit });
  }

  /** The connection's session, made on first use. */
  session(connection: Connection): StompSession {
    let session = this.#sessions.get(connection);
    if (!session) {
      session = new StompSession(connection, this.group, this.maxFrameSize);
      this.#sessions.set(connection, session);
    }
    return session;
  }

  /** The connection's public handle, the same object every time. */
  handle(connection: Connection): StompConnection {
    let handle = this.#handles.get(connection);
    if (!handle) {
      const session = this.session(connection);
      handle = new StompConnection(session, (destination, body, headers) => this.publish(destination, body, headers, session));
      this.#handles.set(connection, handle);
    }
    return handle;
  }

  subscribe(session: StompSession, id: string, destination: string, ack: StompAckMode, headers: Readonly<Record<string, string>>): SubscriptionCore {
    const core = new SubscriptionCore(session, id, destination, ack, headers);
    session.subscriptions.set(id, core);
    let set = this.#index.get(destination);
    if (!set) this.#index.set(destination, (set = new Set()));
    set.add(core);
    session.subscribes.push(core.view);
    this.subscribes.push(core.view);
    return core;
  }

  unsubscribe(core: SubscriptionCore): void {
    core.live = false;
    core.session.subscriptions.delete(core.id);
    const set = this.#index.get(core.destination);
    if (set?.delete(core) && set.size === 0) this.#index.delete(core.destination);
  }

  /** A session ended: its subscriptions leave the index. */
  closed(session: StompSession): void {
    for (const core of [...session.subscriptions.values()]) this.unsubscribe(core);
    session.close();
  }

  /**
   * A MESSAGE to every live subscription of `destination` (only `session`'s
   * when given); `/user/{name}/rest` also reaches the `/user/rest`
   * subscriptions of connections whose CONNECT `login` is `name`. Returns
   * how many subscriptions got it.
   */
  publish(destination: string, body: unknown, headers: Readonly<Record<string, string>> = {}, session?: StompSession): number {
    const frames = new MessageFrames(this.#nextMessageId(), destination, body, headers);
    let count = this.#deliver(this.#index.get(destination), frames, session);
    const user = USER_DESTINATION.exec(destination);
    if (user && !session) {
      const [, name, rest] = user;
      const set = this.#index.get(`/user${rest}`);
      if (set) count += this.#deliver(set, new MessageFrames(this.#nextMessageId(), `/user${rest}`, body, headers), undefined, (core) => core.session.connectHeaders.login === name);
    }
    return count;
  }

  #deliver(set: Set<SubscriptionCore> | undefined, frames: MessageFrames, only: StompSession | undefined, accept?: (core: SubscriptionCore) => boolean): number {
    if (!set) return 0;
    let count = 0;
    for (const core of set) {
      if ((only && core.session !== only) || !core.connection.isOpen || (accept && !accept(core))) continue;
      deliver(core.connection, frames.frameFor(core));
      count++;
    }
    return count;
  }

  /** The `message-id` of the next publish, unique on the mock. */
  #nextMessageId(): string {
    return String(++this.#publishes);
  }
}
