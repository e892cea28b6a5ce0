//
// The kits' factories: `server.socketio()`, `server.graphql()`, … are sugar
// over `server.mocks.add(kit, config)` by type, one method per built-in kit.
// A new built-in kit adds its method here (and its line in kits/builtins.ts);
// MockServer extends this class and supplies the registry. Kit types are
// imported type-only: no kit's code is loaded from here.
//
import { EventEmitter } from 'eventemitter3';
import type { Mock } from '../mocks/Mock.js';
import type { GraphQLMock } from '../kits/graphql/GraphQLMock.js';
import type { GraphQLMockConfig } from '../kits/graphql/types.js';
import type { JsonRpcMock } from '../kits/jsonrpc/JsonRpcMock.js';
import type { JsonRpcMockConfig } from '../kits/jsonrpc/types.js';
import type { SseMock } from '../kits/sse/SseMock.js';
import type { SseMockConfig } from '../kits/sse/types.js';
import type { SocketIoMockConfig } from '../kits/socketio/config.js';
import type { SocketIoMock } from '../kits/socketio/SocketIoMock.js';
import type { PusherMock } from '../kits/pusher/PusherMock.js';
import type { PusherMockConfig } from '../kits/pusher/types.js';
import type { PhoenixMock } from '../kits/phoenix/PhoenixMock.js';
import type { PhoenixMockConfig } from '../kits/phoenix/types.js';
import type { SupabaseMock } from '../kits/phoenix/supabase/SupabaseMock.js';
import type { SupabaseMockConfig } from '../kits/phoenix/supabase/types.js';
import type { MockServerEvents } from './events.js';
import type { ActionCableMock } from '../kits/actioncable/ActionCableMock.js';
import type { ActionCableMockConfig } from '../kits/actioncable/types.js';
import type { MqttMock } from '../kits/mqtt/MqttMock.js';
import type { MqttMockConfig } from '../kits/mqtt/types.js';
import type { StompMock } from '../kits/stomp/StompMock.js';
import type { StompMockConfig } from '../kits/stomp/types.js';
import type { SignalRMock } from '../kits/signalr/SignalRMock.js';
import type { SignalRMockConfig } from '../kits/signalr/types.js';

type AddOfType = (server: KitFactories, type: string, input: unknown, defaultPath: boolean) => Mock;
let addOfType: AddOfType;

/** Called once by MockServer: how a factory adds a mock of a type to its server. */
export function provideAddOfType(impl: AddOfType): void {
  addOfType = impl;
}

/**
 * The built-in kits' factory methods of {@link MockServer}: each defines a
 * mock of its kit, as `server.mocks.add(kit, config)` does.
 */
export abstract class KitFactories extends EventEmitter<MockServerEvents> {
  /**
   * Defines a Socket.IO mock (Engine.IO v4 over long-polling and WebSocket,
   * Socket.IO protocol v5) at `path` (or `options.path`), `/socket.io/` by default: a
   * `socket.io-client` with default options reaches it at `server.url`.
   * Throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const io = server.socketio('/socket.io/', {
   *   events: { join: { emit: ['joined', { ok: true }] }, ping: { ack: ['pong'] } },
   *   namespaces: { '/admin': { refuse: { message: 'admins only' } } },
   * });
   * const socket = await io.waitForConnection();
   * ```
   */
  socketio(path?: string, options?: Omit<SocketIoMockConfig, 'path'>): SocketIoMock;
  /** Defines a Socket.IO mock from one config object (`path` defaults to `/socket.io/`). */
  socketio(options: Partial<SocketIoMockConfig>): SocketIoMock;
  socketio(pathOrOptions?: string | Partial<SocketIoMockConfig>, options: Omit<SocketIoMockConfig, 'path'> = {}): SocketIoMock {
    return this.#add('socketio', pathOrOptions, options, true) as SocketIoMock;
  }

  /**
   * Defines a GraphQL over WebSocket mock (default path `/graphql`) speaking
   * graphql-ws's `graphql-transport-ws` and the legacy `graphql-ws` of
   * subscriptions-transport-ws. Validates like {@link MockServer.websocket}.
   *
   * @example
   * ```ts
   * const gql = server.graphql('/graphql', {
   *   connectionInit: (payload) => payload?.token === 'secret',
   *   operations: { GetUser: { data: { user: { id: '{{variables.id}}' } } } },
   * });
   * const op = await gql.waitForOperation({ operationName: 'OnPrice' });
   * await op.next({ price: 1 });
   * ```
   */
  graphql(path?: string, options?: Omit<GraphQLMockConfig, 'path'>): GraphQLMock;
  /** Defines a GraphQL mock from one config object (`path` defaults to `/graphql`). */
  graphql(options: Partial<GraphQLMockConfig>): GraphQLMock;
  graphql(pathOrOptions?: string | Partial<GraphQLMockConfig>, options: Omit<GraphQLMockConfig, 'path'> = {}): GraphQLMock {
    return this.#add('graphql', pathOrOptions, options, true) as GraphQLMock;
  }

  /**
   * Defines a JSON-RPC 2.0 mock: requests, notifications and batches answered
   * from `methods` (declarative answers or in-process functions), the
   * specification's errors for the rest. Validates synchronously and throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field, `WSMOCK_ERR_DUPLICATE_ID`
   * or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const rpc = server.jsonrpc('/rpc', { methods: {
   *   add: { result: '{{params[0]}}' },               // numbers stay numbers
   *   divide: ([a, b]) => a / b,                       // in-process
   *   checkout: { manual: true },                      // the test answers: rpc.waitForCall('checkout')
   *   fail: { error: { code: -32000, message: 'down' } },
   * } });
   * ```
   */
  jsonrpc(config: JsonRpcMockConfig): JsonRpcMock;
  /** Defines a JSON-RPC 2.0 mock at `path`; see the overload above. */
  jsonrpc(path: string, config?: Omit<JsonRpcMockConfig, 'path'>): JsonRpcMock;
  jsonrpc(pathOrConfig: string | JsonRpcMockConfig, config?: Omit<JsonRpcMockConfig, 'path'>): JsonRpcMock {
    return this.#add('jsonrpc', pathOrConfig, config, false) as JsonRpcMock;
  }

  /**
   * Defines a Server-Sent Events mock: every GET on `path` opens a stream
   * (an `SseConnection`, held by the same connection manager as
   * WebSocket connections) that gets `events`. Validates synchronously and
   * throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const feed = server.sse('/feed', { retry: 500, events: [{ event: 'hello', data: { user: '{{connection.query.user}}' } }] });
   * const source = new EventSource(`${server.httpUrl}/feed?user=ada`);
   * const conn = await feed.waitForConnection();
   * await conn.send({ event: 'price', id: '1', data: { price: 12 } });
   * ```
   */
  sse(config: SseMockConfig): SseMock;
  /** Defines a Server-Sent Events mock at `path`; see the overload above. */
  sse(path: string, config?: Omit<SseMockConfig, 'path'>): SseMock;
  sse(pathOrConfig: string | SseMockConfig, config?: Omit<SseMockConfig, 'path'>): SseMock {
    return this.#add('sse', pathOrConfig, config, false) as SseMock;
  }

  /**
   * Defines a Pusher Channels app (protocol 7) served at `/app/{key}` as
   * Pusher and Laravel Reverb serve it (`path` defaults to `/app/:key`):
   * pusher-js and Laravel Echo (`broadcaster: 'reverb'`) connect with
   * `mock.clientOptions`; with a `secret`, private and presence subscriptions
   * are checked; `mock.authUrl` signs them for tests with no backend. Throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field, `WSMOCK_ERR_DUPLICATE_ID`
   * or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const app = server.pusher({ key: 'app-key', secret: 'app-secret' });
   * const pusher = new Pusher('app-key', app.clientOptions);       // authEndpoint: app.authUrl
   * pusher.subscribe('private-orders');
   * await app.waitForSubscription('private-orders');
   * app.trigger('private-orders', 'order.shipped', { id: 7 });
   * ```
   */
  pusher(config: Omit<PusherMockConfig, 'path'> & { path?: string }): PusherMock {
    return this.#add('pusher', config, undefined, true) as PusherMock;
  }

  /**
   * Defines an ActionCable mock (default path `/cable`) speaking
   * `actioncable-v1-json` as a Rails 8.1 server does: `welcome`, pings,
   * subscriptions confirmed, rejected or held for the test, actions answered
   * from `channels`, broadcasts to streams. Throws `WSMOCK_ERR_INVALID_CONFIG`
   * naming every bad field, `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const cable = server.actioncable('/cable', { channels: {
   *   ChatChannel: { streamFrom: 'chat_{{params.room}}' },
   * } });
   * const sub = await cable.waitForSubscription({ channel: 'ChatChannel' });
   * cable.broadcast('chat_1', { text: 'hello' });
   * ```
   */
  actioncable(path?: string, options?: Omit<ActionCableMockConfig, 'path'>): ActionCableMock;
  /** Defines an ActionCable mock from one config object (`path` defaults to `/cable`). */
  actioncable(options: Partial<ActionCableMockConfig>): ActionCableMock;
  actioncable(pathOrOptions?: string | Partial<ActionCableMockConfig>, options: Omit<ActionCableMockConfig, 'path'> = {}): ActionCableMock {
    return this.#add('actioncable', pathOrOptions, options, true) as ActionCableMock;
  }

  /**
   * Defines a Phoenix Channels mock at `path` (default `/socket`): the
   * `phoenix` client connects to `mock.url` (it adds `/websocket`, or
   * `/longpoll` for its long-poll fallback), with both serializers (vsn
   * 1.0.0 and 2.0.0), joins answered from `channels`, and presence.
   * Throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const mock = server.phoenix('/socket', { channels: {
   *   'room:*': { join: { status: 'ok' }, events: { new_msg: { reply: { status: 'ok' }, broadcast: true } } },
   * } });
   * const channel = await mock.waitForJoin('room:lobby');
   * mock.broadcast('room:lobby', 'new_msg', { body: 'hi' });
   * ```
   */
  phoenix(path?: string, options?: Omit<PhoenixMockConfig, 'path'>): PhoenixMock;
  /** Defines a Phoenix Channels mock from one config object (`path` defaults to `/socket`). */
  phoenix(options: Partial<PhoenixMockConfig>): PhoenixMock;
  phoenix(pathOrOptions?: string | Partial<PhoenixMockConfig>, options: Omit<PhoenixMockConfig, 'path'> = {}): PhoenixMock {
    return this.#add('phoenix', pathOrOptions, options, true) as PhoenixMock;
  }

  /**
   * Defines a Supabase Realtime mock: a Phoenix Channels endpoint at
   * `/realtime/v1` (or `options.path`) answering as the Realtime server does
   * (broadcast, presence, postgres_changes, access tokens). A supabase-js
   * client made with `createClient(server.httpUrl, anyKey)` reaches it; only
   * Realtime is mocked. Throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad
   * field, `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const realtime = server.supabase();
   * const supabase = createClient(server.httpUrl, 'anon-key', { realtime: { transport: WebSocket } });
   * supabase.channel('room1').on('broadcast', { event: 'cursor' }, show).subscribe();
   * const channel = await realtime.waitForJoin('room1');
   * realtime.postgresChange({ table: 'messages', eventType: 'INSERT', new: { id: 1, body: 'hi' } });
   * ```
   */
  supabase(options: Partial<SupabaseMockConfig> = {}): SupabaseMock {
    return this.#add('supabase', options, undefined, true) as SupabaseMock;
  }

  /**
   * Defines an MQTT 3.1.1 and 5 broker over WebSocket at `path` (default
   * `/mqtt`, subprotocols `mqtt` and `mqttv3.1`): CONNECT with `auth`,
   * subscriptions with `+` and `#`, QoS 0, 1 and 2 both ways, retained
   * messages, wills, keep-alive, persistent sessions. Throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const broker = server.mqtt('/mqtt', { topics: { 'cmd/+': { reply: { topic: 'ack/{{levels.1}}', payload: 'ok' } } } });
   * const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
   * const sent = await broker.waitForPublish('cmd/+');
   * ```
   */
  mqtt(path?: string, options?: Omit<MqttMockConfig, 'path'>): MqttMock;
  /** Defines an MQTT broker from one config object (`path` defaults to `/mqtt`). */
  mqtt(options: Partial<MqttMockConfig>): MqttMock;
  mqtt(pathOrOptions?: string | Partial<MqttMockConfig>, options: Omit<MqttMockConfig, 'path'> = {}): MqttMock {
    return this.#add('mqtt', pathOrOptions, options, true) as MqttMock;
  }

  /**
   * Defines a STOMP mock (default path `/ws`) speaking STOMP 1.0 to 1.2 over
   * WebSocket (subprotocols `v12.stomp`, `v11.stomp`, `v10.stomp`), and over
   * SockJS with `sockjs: true`, as a Spring broker does: CONNECTED (or a
   * refusal), subscriptions, SENDs answered from `destinations` or relayed to
   * subscribers, receipts, transactions, heart-beats. Throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const stomp = server.stomp('/ws', { destinations: {
   *   '/app/chat': { reply: { destination: '/topic/messages', body: { text: '{{json.text}}' } } },
   * } });
   * await stomp.waitForSubscribe('/topic/messages');
   * stomp.publish('/topic/messages', { text: 'hello' });
   * ```
   */
  stomp(path?: string, options?: Omit<StompMockConfig, 'path'>): StompMock;
  /** Defines a STOMP mock from one config object (`path` defaults to `/ws`). */
  stomp(options: Partial<StompMockConfig>): StompMock;
  stomp(pathOrOptions?: string | Partial<StompMockConfig>, options: Omit<StompMockConfig, 'path'> = {}): StompMock {
    return this.#add('stomp', pathOrOptions, options, true) as StompMock;
  }

  /**
   * Defines a SignalR hub mock at `path` (default `/hub`), as ASP.NET Core
   * maps a hub: negotiate, WebSockets and long polling, the JSON and MessagePack
   * hub protocols, `methods` answered by functions, declaratively, or by the
   * test (`'manual'`), client results, streams both ways and groups. The
   * `@microsoft/signalr` client connects to `mock.hubUrl`. Throws
   * `WSMOCK_ERR_INVALID_CONFIG` naming every bad field,
   * `WSMOCK_ERR_DUPLICATE_ID` or `WSMOCK_ERR_PATH_CONFLICT`.
   *
   * @example
   * ```ts
   * const hub = server.signalr('/chat', { methods: {
   *   SendMessage: { send: { target: 'ReceiveMessage', args: ['{{arguments.0}}', '{{arguments.1}}'] } },
   * } });
   * const connection = new HubConnectionBuilder().withUrl(hub.hubUrl, { WebSocket: ws }).build();
   * ```
   */
  signalr(path?: string, options?: Omit<SignalRMockConfig, 'path'>): SignalRMock;
  /** Defines a SignalR hub mock from one config object (`path` defaults to `/hub`). */
  signalr(options: Partial<SignalRMockConfig>): SignalRMock;
  signalr(pathOrOptions?: string | Partial<SignalRMockConfig>, options: Omit<SignalRMockConfig, 'path'> = {}): SignalRMock {
    return this.#add('signalr', pathOrOptions, options, true) as SignalRMock;
  }

  #add(type: string, pathOrConfig: unknown, config: object | undefined, defaultPath: boolean): Mock {
    return addOfType(this, type, typeof pathOrConfig === 'string' ? { ...config, path: pathOrConfig } : pathOrConfig, defaultPath);
  }
}
