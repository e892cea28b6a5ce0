import { KitMock, type Connection, type WaitForConnectionOptions } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import { quietWait } from '../../util/promise.js';
import { MessageType } from './protocol.js';
import { assertName, invocationFilter, type SignalRConnection, type SignalRInvocation, type SignalRWaitOptions } from './SignalRConnection.js';
import { fanOut, type SignalRState } from './state.js';
import type { SignalREnvelope, SignalRMockConfig } from './types.js';

/** A set of a hub mock's connections, from `mock.clients`: what a hub's `Clients.All` or `Clients.Group(name)` is. */
export interface SignalRGroup {
  /** The group's name (`*` for `clients.all`). */
  readonly name: string;
  /** Its members now. */
  readonly connections: SignalRConnection[];
  /** Calls the client method `target` on every member; returns how many got it. */
  send(target: string, ...args: unknown[]): number;
}

/** What a hub's `Clients` is, on a mock: `mock.clients`. */
export interface SignalRClients {
  /** Every connection whose handshake is done (`Clients.All`). */
  readonly all: SignalRGroup;
  /** The members of group `name` (`Clients.Group(name)`). */
  group(name: string): SignalRGroup;
}

/**
 * A SignalR hub, as an ASP.NET Core app maps it (`app.MapHub<ChatHub>("/hub")`):
 * negotiate, the WebSocket and long-polling transports, the JSON and MessagePack hub
 * protocols, the hub's methods (functions, declarative answers, or answered
 * by the test), client results, streams both ways, groups and pings. The
 * `@microsoft/signalr` client connects to `mock.hubUrl` unchanged. It has the
 * lifecycle of every mock (`update()` closes its clients with 1012; a client
 * built `withAutomaticReconnect()` reconnects).
 *
 * @example
 * ```ts
 * const hub = server.signalr('/chat', { methods: { SendMessage: (user, text) => `${user}: ${text}` } });
 * const connection = new HubConnectionBuilder().withUrl(hub.hubUrl, { WebSocket: ws }).build();
 * await connection.start();
 * expect(await connection.invoke('SendMessage', 'ada', 'hi')).toBe('ada: hi');
 * hub.send('ReceiveMessage', 'system', 'welcome');              // Clients.All.SendAsync
 * ```
 */
export class SignalRMock extends KitMock<SignalRMockConfig, SignalRConnection> {
  /** True for a SignalR mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'signalr');
  }

  /** The envelope form used by config files and the admin API (functions left out). */
  override toJSON(): SignalREnvelope {
    return super.toJSON() as SignalREnvelope;
  }

  /** What the client's `withUrl()` takes: the hub's `http://` URL (negotiate is under it). */
  get hubUrl(): string {
    return this.httpUrl;
  }

  /**
   * Resolves with the next connection not yet returned by an earlier call
   * on this handle (including those before the call), once its handshake is
   * done (or failed): messages sent to it then reach the client.
   */
  override waitForConnection(options: WaitForConnectionOptions = {}): Promise<SignalRConnection> {
    return quietWait(async () => {
      const conn = await super.waitForConnection(options);
      const session = this.#state.session(conn.connection);
      // The handshake is awaited within the same timeout, so a client that never sends one fails the wait, saying so.
      return this.connectionGroup.wait({
        find: () => (session.handshaken || !conn.connection.isOpen ? conn : undefined),
        waiters: session.settled,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        what: `the hub handshake of ${conn.id} on mock "${this.id}"`,
        seen: () => (session.phase === 'loading' ? 'its protocol was loading' : 'no handshake'),
      });
    });
  }

  /** A connection's {@link SignalRConnection}: what `waitForConnection()` resolves with. */
  protected override handleOf(connection: Connection): SignalRConnection {
    return this.#state.handle(connection);
  }

  /**
   * Calls the client method `target` with `args` on every connection whose
   * handshake is done, as `Clients.All.SendAsync` does; encoded once per hub
   * protocol. Synchronous: returns how many got it.
   */
  send(target: string, ...args: unknown[]): number {
    assertName(target, 'send(target, ...args): target');
    return fanOut(this.#state.ready, { type: MessageType.Invocation, target, arguments: args });
  }

  /**
   * The connections in group `name` (joined with `conn.join(name)`), and a
   * send to them: `Clients.Group(name)`. The same as `clients.group(name)`.
   *
   * @example
   * ```ts
   * conn.join('room-1');
   * hub.group('room-1').send('ReceiveMessage', 'system', 'hello room');
   * ```
   */
  group(name: string): SignalRGroup {
    return this.clients.group(name);
  }

  /**
   * The hub's `Clients`: `clients.all` and `clients.group(name)` (its
   * members, and a send to them).
   *
   * @example
   * ```ts
   * conn.join('room-1');
   * hub.clients.group('room-1').send('ReceiveMessage', 'system', 'hello room');
   * ```
   */
  get clients(): SignalRClients {
    const state = this.#state;
    const all = this;
    return {
      all: {
        name: '*',
        get connections() {
          return [...state.ready].map((session) => state.handle(session.connection));
        },
        send: (target: string, ...args: unknown[]) => all.send(target, ...args),
      },
      group(name: string): SignalRGroup {
        assertName(name, 'clients.group(name): name');
        return {
          name,
          get connections() {
            return [...state.members(name)].map((session) => state.handle(session.connection));
          },
          send(target: string, ...args: unknown[]): number {
            assertName(target, 'clients.group(name).send(target, ...args): target');
            return fanOut(state.members(name), { type: MessageType.Invocation, target, arguments: args });
          },
        };
      },
    };
  }

  /** The groups with at least one member, and how many each has. */
  get groups(): Record<string, number> {
    return this.#state.groups();
  }

  /**
   * Resolves with the next invocation a client made, on any connection, not
   * yet returned by an earlier wait on the mock (those before the call
   * count), of `target` when given. Answer it with `complete(result)` or
   * `fail(error)` when its method is `manual`.
   */
  waitForInvocation(target?: string, options: SignalRWaitOptions = {}): Promise<SignalRInvocation> {
    let filter;
    try {
      filter = invocationFilter(target);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#state.invocations.all.next({ what: `${filter.what} on mock "${this.id}"`, filter: filter.filter, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) });
  }

  get #state(): SignalRState {
    return this.kitState as SignalRState;
  }
}
