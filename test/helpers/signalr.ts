//
// @microsoft/signalr clients for the SignalR kit's tests: built against a
// mock's hubUrl with `ws` as the WebSocket (Node 20 has no global one),
// logging off, stopped after each test.
//
import { HubConnectionBuilder, HttpTransportType, LogLevel, type HubConnection, type IHttpConnectionOptions, type IHubProtocol } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import WebSocket from 'ws';
import type { SignalRMock } from '../../src/index.js';

const live = new Set<HubConnection>();

/** What {@link hubClient} builds with. */
export interface HubClientOptions {
  /** Skip negotiate: the client opens the hub's URL as a WebSocket directly. */
  skipNegotiation?: boolean;
  /** `messagepack`: the MessagePack hub protocol; default JSON. */
  protocol?: 'json' | 'messagepack';
  /** `withAutomaticReconnect(delays)`. */
  reconnect?: number[];
  /** More options of `withUrl()`. */
  http?: IHttpConnectionOptions;
  /** The URL, when not the mock's `hubUrl`. */
  url?: string;
}

/** A HubConnection for `mock`, not started. */
export function hubClient(mock: SignalRMock, options: HubClientOptions = {}): HubConnection {
  const skip = options.skipNegotiation === true;
  let builder = new HubConnectionBuilder()
    // `WebSocket` is an option the client reads (its typings leave it out): Node 20 has no global WebSocket.
    .withUrl(options.url ?? mock.hubUrl, {
      WebSocket,
      ...(skip ? { skipNegotiation: true, transport: HttpTransportType.WebSockets } : {}),
      ...options.http,
    } as IHttpConnectionOptions)
    .configureLogging(LogLevel.None);
  if (options.protocol === 'messagepack') builder = builder.withHubProtocol(new MessagePackHubProtocol() as unknown as IHubProtocol);
  if (options.reconnect) builder = builder.withAutomaticReconnect(options.reconnect);
  const connection = builder.build();
  live.add(connection);
  return connection;
}

/** A started HubConnection for `mock`. */
export async function startedClient(mock: SignalRMock, options: HubClientOptions = {}): Promise<HubConnection> {
  const connection = hubClient(mock, options);
  await connection.start();
  return connection;
}

/**
 * Stops every client made by {@link hubClient}. Call it in an `afterEach`
 * registered after `useMockServer()` (hooks run last-registered first): a
 * client reconnecting when the server resets would reach the next test's mock.
 */
export async function stopHubClients(): Promise<void> {
  await Promise.all([...live].map((connection) => connection.stop().catch(() => {})));
  live.clear();
}

/** Resolves with the arguments of the next call of client method `target`. */
export function nextCall(connection: HubConnection, target: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const handler = (...args: unknown[]) => {
      connection.off(target, handler);
      resolve(args);
    };
    connection.on(target, handler);
  });
}
