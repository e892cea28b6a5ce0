//
// What a SignalR mock keeps across its versions: per connection, its
// session and its public handle; the connection tokens negotiate handed out
// and not yet used; each group's members (the index every group send reads);
// and the invocations clients made, kept per connection for the waits.
//
import { randomBytes } from 'node:crypto';
import { ConnectionArrivals, deliver, sharedTextFrame, type Connection, type ConnectionGroup, type OutboundFrame } from '../../kit/index.js';
import type { HubCodec } from './codec.js';
import type { SignalRLongPolling } from './LongPolling.js';
import { encodeJson, type HubMessage } from './protocol.js';
import { HubSession } from './session.js';
import { describeInvocation, SignalRConnection, type SignalRInvocation } from './SignalRConnection.js';

/** The most negotiated connections waiting for their WebSocket; the oldest is forgotten beyond. */
const MAX_PENDING_TOKENS = 10_000;

/** A new SignalR connection id or token: 16 random bytes, base64url (22 characters, as ASP.NET Core's). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export class SignalRState {
  readonly group: ConnectionGroup;
  readonly invocations: ConnectionArrivals<SignalRInvocation>;
  readonly #sessions = new WeakMap<Connection, HubSession>();
  readonly #handles = new WeakMap<Connection, SignalRConnection>();
  /** Negotiated and not yet connected: connection token → connection id. */
  readonly #tokens = new Map<string, string>();
  /** Long-polling clients, by connection token; each leaves the table when it ends. */
  readonly longPolls = new Map<string, SignalRLongPolling>();
  /** Members of each group; a group with none is dropped. */
  readonly #groups = new Map<string, Set<HubSession>>();

  constructor(group: ConnectionGroup) {
    this.group = group;
    this.invocations = new ConnectionArrivals(group, describeInvocation);
  }

  /** A negotiate: a new connection id and the token its WebSocket will name. */
  negotiate(withToken: boolean): { connectionId: string; connectionToken: string } {
    const connectionId = newId();
    const connectionToken = withToken ? newId() : connectionId;
    if (this.#tokens.size >= MAX_PENDING_TOKENS) this.#tokens.delete(this.#tokens.keys().next().value!);
    this.#tokens.set(connectionToken, connectionId);
    return { connectionId, connectionToken };
  }

  /** Whether `token` was negotiated and not used yet. */
  knows(token: string): boolean {
    return this.#tokens.has(token);
  }

  /** The connection's session, made on its first use: the id negotiate gave its token, or a new one (no negotiation). */
  session(connection: Connection): HubSession {
    let session = this.#sessions.get(connection);
    if (!session) {
      const token = connection.query.id;
      const negotiated = token === undefined ? undefined : this.#tokens.get(token);
      if (negotiated !== undefined) this.#tokens.delete(token!);
      session = new HubSession(connection, negotiated ?? newId());
      this.#sessions.set(connection, session);
    }
    return session;
  }

  /** The connection's public handle, the same object every time. */
  handle(connection: Connection): SignalRConnection {
    let handle = this.#handles.get(connection);
    if (!handle) {
      handle = new SignalRConnection(this.session(connection), this);
      this.#handles.set(connection, handle);
    }
    return handle;
  }

  /** Adds the session to `group`. */
  join(session: HubSession, group: string): void {
    session.groups.add(group);
    let members = this.#groups.get(group);
    if (!members) this.#groups.set(group, (members = new Set()));
    members.add(session);
  }

  /** Removes the session from `group`. */
  leave(session: HubSession, group: string): void {
    session.groups.delete(group);
    const members = this.#groups.get(group);
    members?.delete(session);
    if (members?.size === 0) this.#groups.delete(group);
  }

  /** The members of `group`. */
  members(group: string): ReadonlySet<HubSession> {
    return this.#groups.get(group) ?? EMPTY;
  }

  /** Every group with a member, and how many it has. */
  groups(): Record<string, number> {
    return Object.fromEntries([...this.#groups].map(([name, members]) => [name, members.size]));
  }

  /** The sessions whose handshake is done and connection open: what `Clients.All` reaches (kept as a set, so a fan-out looks nothing up). */
  readonly ready = new Set<HubSession>();
}

const EMPTY: ReadonlySet<HubSession> = new Set();

/**
 * Sends `message` to every open session of `recipients` but `except`,
 * encoded once per hub protocol; returns how many got it.
 */
export function fanOut(recipients: Iterable<HubSession>, message: HubMessage, except?: HubSession): number {
  let json: OutboundFrame | undefined;
  let binary: OutboundFrame | undefined;
  let binaryCodec: HubCodec | undefined;
  let count = 0;
  for (const session of recipients) {
    if (session === except || !session.open) continue;
    const codec = session.codec!;
    let frame: OutboundFrame;
    if (!codec.binary) {
      // Encoded to UTF-8 once for every recipient, the journal keeping the text.
      json ??= sharedTextFrame(encodeJson(message));
      frame = json;
    } else {
      if (!binary || binaryCodec !== codec) {
        binaryCodec = codec;
        binary = { payload: codec.encode(message), binary: true };
      }
      frame = binary;
    }
    deliver(session.connection, frame);
    count++;
  }
  return count;
}
