import { invalidArgument, KitMock, type Connection } from '../../kit/index.js';
import { isMockOfType } from '../../util/brand.js';
import { compileChannels } from './channels.js';
import { assertEvent, clientEventFilter, subscriptionFilter, type PusherClientEvent, type PusherClientEventWaitOptions, type PusherConnection, type PusherSubscription, type PusherWaitOptions } from './PusherConnection.js';
import { serverEvent, USER_CHANNEL_PREFIX } from './protocol.js';
import type { PusherState } from './state.js';
import type { PusherEnvelope, PusherMember, PusherMockConfig } from './types.js';
import { fanOut } from './wire.js';

/** Options of {@link PusherMock.trigger}, as the `pusher` server library names them. */
export interface PusherTriggerOptions {
  /** Leave out this client (its `socket_id`), as a backend does for the sender of a change. */
  socket_id?: string;
}

/** What pusher-js and Laravel Echo are configured with to reach the mock (`new Pusher(mock.key, mock.clientOptions)`). */
export interface PusherClientOptions {
  /** The mock's `cluster`, or `mt1` (pusher-js requires one; the mock serves every cluster). */
  cluster: string;
  /** The host the mock listens on. */
  wsHost: string;
  /** The mock's port (for `ws://`). */
  wsPort: number;
  /** The mock's port again (for `wss://`, under TLS). */
  wssPort: number;
  /** True when the mock serves `wss://`. */
  forceTLS: boolean;
  /** WebSocket only: the mock has no HTTP fallback transports. */
  enabledTransports: ('ws' | 'wss')[];
  /** No stats requests to Pusher's servers. */
  disableStats: true;
  /** Present when the mock's path has a prefix before `/app/:key`. */
  wsPath?: string;
  /** The mock's own auth endpoint. */
  authEndpoint: string;
  /** The mock's own user authentication endpoint (the same URL). */
  userAuthentication: {
    /** The mock's auth endpoint. */
    endpoint: string;
    /** pusher-js posts a form over XHR. */
    transport: 'ajax';
  };
}

/**
 * A Pusher Channels app (protocol 7), as Pusher and Laravel Reverb serve it
 * at `/app/{key}`: public, private and presence channels, client events,
 * `pusher:error` codes, and an auth endpoint of its own (`authUrl`) for
 * tests with no backend. pusher-js and Laravel Echo
 * (`broadcaster: 'reverb'`) connect to it unchanged. It has the lifecycle of every mock
 * (`update()` closes its clients with 1012 and pusher-js reconnects).
 *
 * @example
 * ```ts
 * const app = server.mocks.add(pusherKit, { key: 'app-key', secret: 'shh' });
 * const pusher = new Pusher('app-key', app.clientOptions);
 * pusher.subscribe('orders');
 * await app.waitForSubscription('orders');
 * app.trigger('orders', 'order.shipped', { id: 7 });
 * ```
 */
export class PusherMock extends KitMock<PusherMockConfig, PusherConnection> {
  /** True for a Pusher mock, from this copy of wsmock or another; `instanceof Mock` is true for every mock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isMockOfType(value, 'pusher');
  }

  /** The envelope form used by config files and the admin API (`authorize` is left out). */
  override toJSON(): PusherEnvelope {
    return super.toJSON() as PusherEnvelope;
  }

  /** A connection's {@link PusherConnection}: what `waitForConnection()` resolves with. */
  protected override handleOf(connection: Connection): PusherConnection {
    return this.#state.handle(connection);
  }

  get #state(): PusherState {
    return this.kitState as PusherState;
  }

  /** The app key clients connect with. */
  get key(): string {
    return this.config.key;
  }

  /** The path with `:key` replaced by the app key: what a client opens. */
  get #appPath(): string {
    return this.path
      .split('/')
      .map((segment) => (segment === ':key' ? encodeURIComponent(this.key) : segment))
      .join('/');
  }

  /** `ws://host:port/app/{key}`: the app's URL (pusher-js adds `?protocol=7&client=js&version=…`). */
  override get url(): string {
    return this.#origin('ws') + this.#appPath;
  }

  /**
   * The mock's auth endpoint (`authEndpoint` of pusher-js, `authEndpoint` of
   * Laravel Echo): a POST of `socket_id` and `channel_name` is answered
   * `{ auth }` (and `channel_data` for a presence channel) signed with the
   * secret; a POST of `socket_id` alone (user authentication) `{ auth, user_data }`.
   * Channels `channels` refuses get 403; `authorize` decides in-process.
   */
  get authUrl(): string {
    return this.#origin('http') + this.#appPath;
  }

  /** The user authentication endpoint: the same URL as {@link authUrl}. */
  get userAuthUrl(): string {
    return this.authUrl;
  }

  /** What pusher-js (or Laravel Echo, with `broadcaster: 'reverb'` and `key`) needs to reach this mock. */
  get clientOptions(): PusherClientOptions {
    const ws = new URL(this.url);
    const port = Number(ws.port);
    const suffix = '/app/:key';
    const prefix = this.path.endsWith(suffix) ? this.path.slice(0, -suffix.length) : '';
    return {
      cluster: this.config.cluster ?? 'mt1',
      wsHost: ws.hostname.replace(/^\[|\]$/g, ''),
      wsPort: port,
      wssPort: port,
      forceTLS: ws.protocol === 'wss:',
      enabledTransports: ['ws', 'wss'],
      disableStats: true,
      ...(prefix ? { wsPath: prefix } : {}),
      authEndpoint: this.authUrl,
      userAuthentication: { endpoint: this.authUrl, transport: 'ajax' },
    };
  }

  /**
   * Sends an event to every client subscribed to `channel` (or to each of
   * `channels`), as the `pusher` server library's `trigger` does: `data`
   * JSON-encoded on the wire (a string goes as it is). `options.socket_id`
   * leaves that client out. Synchronous: returns the number of deliveries.
   *
   * @example
   * ```ts
   * app.trigger('private-orders.7', 'App\\Events\\OrderShipped', { id: 7 });   // Echo: .listen('OrderShipped', …)
   * ```
   */
  trigger(channel: string | string[], event: string, data?: unknown, options: PusherTriggerOptions = {}): number {
    const channels = Array.isArray(channel) ? channel : [channel];
    if (channels.length === 0 || channels.length > 100) throw invalidArgument(`trigger(channel, event, data): give 1 to 100 channels, got ${channels.length}`);
    for (const name of channels) assertEvent(name, event, 'trigger(channel, event, data)');
    if (options.socket_id !== undefined && typeof options.socket_id !== 'string') throw invalidArgument('trigger(…, { socket_id }): socket_id must be a string');
    const except = options.socket_id === undefined ? undefined : this.#bySocketId(options.socket_id);
    let count = 0;
    for (const name of channels) count += fanOut(this.#state.subscribers(name), serverEvent(event, data ?? {}, name), except);
    return count;
  }

  /**
   * Sends an event to every connection signed in as `userId` (on its
   * `#server-to-user-{id}` channel), as the `pusher` server library's
   * `sendToUser` does. Synchronous: returns the number of deliveries.
   */
  sendToUser(userId: string, event: string, data?: unknown): number {
    if (typeof userId !== 'string' || userId === '') throw invalidArgument(`sendToUser(userId, event, data): userId must be a non-empty string, got ${JSON.stringify(userId) ?? String(userId)}`);
    return this.trigger(`${USER_CHANNEL_PREFIX}${userId}`, event, data);
  }

  /**
   * The members of a presence channel, as its subscribers are told: the
   * `channels` config's members, then each subscribed user once. Empty for a
   * channel nobody is on.
   */
  members(channel: string): PusherMember[] {
    if (typeof channel !== 'string') throw invalidArgument(`members(channel): channel must be a string, got ${typeof channel}`);
    const { ids, hash } = this.#state.presence(channel, compileChannels(this.config.channels).preset(channel));
    return ids.map((id) => (hash[id] === null ? { user_id: id } : { user_id: id, user_info: hash[id] }));
  }

  /** The channels with at least one subscriber, and how many each has. */
  get channels(): Record<string, number> {
    return Object.fromEntries(this.#state.channels().map((name) => [name, this.#state.subscribers(name).size]));
  }

  /**
   * Resolves with the next subscription the mock accepted, on any connection,
   * not yet returned by an earlier wait on the mock (those before the call
   * count), to `channel` when given: `{ channel, socketId, member?, connection }`.
   */
  waitForSubscription(channel?: string, options: PusherWaitOptions = {}): Promise<PusherSubscription> {
    const { what, filter } = subscriptionFilter(channel);
    return this.#state.subscriptions.all.next({ what: `${what} on mock "${this.id}"`, filter, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) });
  }

  /**
   * Resolves with the next client event a member triggered, on any
   * connection, not yet returned by an earlier wait on the mock, of `event`
   * and on `options.channel` when given.
   */
  waitForClientEvent(event?: string, options: PusherClientEventWaitOptions = {}): Promise<PusherClientEvent> {
    const { what, filter } = clientEventFilter(event, options.channel);
    return this.#state.clientEvents.all.next({ what: `${what} on mock "${this.id}"`, filter, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) });
  }

  #bySocketId(socketId: string): Connection | undefined {
    return this.connections.find((connection) => this.#state.session(connection).socketId === socketId);
  }

  #origin(scheme: 'ws' | 'http'): string {
    const url = new URL(scheme === 'ws' ? super.url : this.httpUrl);
    return `${url.protocol}//${url.host}`;
  }
}
