//
// STOMP clients for the STOMP kit's tests: the real @stomp/stompjs Client
// over `ws` (Node 20 has no global WebSocket) or over sockjs-client, with
// every callback recorded in order for event-driven waits; and raw frames
// for the tests that speak the wire themselves.
//
import { Client, Versions, type IFrame, type IMessage, type StompHeaders, type StompSubscription } from '@stomp/stompjs';
import SockJS from 'sockjs-client';
import WebSocket from 'ws';
import { realClearTimeout, realSetTimeout } from '../../src/util/clock.js';

/** One callback the client got. */
export type StompEvent =
  | { type: 'connect'; frame: IFrame }
  | { type: 'stomp-error'; frame: IFrame }
  | { type: 'close'; code: number; reason: string }
  | { type: 'heartbeat' }
  | { type: 'message'; message: IMessage };

/** What {@link stompClient} takes. */
export interface StompClientOptions {
  /** Connect through sockjs-client (`true`, or the transports it may use). */
  sockjs?: boolean | string[];
  connectHeaders?: StompHeaders;
  /** ms; default 0 (off) both ways, so that a test's client owns no timer it did not ask for. */
  heartbeatIncoming?: number;
  heartbeatOutgoing?: number;
  /** ms; default 0: no reconnect. */
  reconnectDelay?: number;
  /** STOMP versions to offer, e.g. `['1.1']`. */
  versions?: string[];
}

/** A real client and everything it got. */
export interface RecordedClient {
  readonly client: Client;
  readonly events: StompEvent[];
  /** Resolves with the `count`-th event of `type` (1 = the first), waiting for it if needed. */
  next<T extends StompEvent['type']>(type: T, count?: number, timeout?: number): Promise<Extract<StompEvent, { type: T }>>;
  /** The messages to its subscriptions, in order. */
  readonly received: IMessage[];
  /** Subscribes, recording each message as a `message` event. */
  subscribe(destination: string, headers?: StompHeaders): StompSubscription;
}

const clients = new Set<Client>();

/** The http(s) URL of a ws(s) mock URL, for sockjs-client. */
export function httpOf(url: string): string {
  return url.replace(/^ws/, 'http');
}

/** A started stompjs Client of `url` (a mock's `ws://` URL), recorded; stopped by {@link deactivateClients}. */
export function stompClient(url: string, options: StompClientOptions = {}): RecordedClient {
  const events: StompEvent[] = [];
  const waiters = new Set<() => void>();
  const push = (event: StompEvent) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  };
  const { sockjs } = options;
  const client = new Client({
    webSocketFactory: () =>
      sockjs
        ? new SockJS(httpOf(url), null, Array.isArray(sockjs) ? { transports: sockjs } : {})
        : new WebSocket(url, options.versions ? options.versions.map((v) => `v${v.replace('.', '')}.stomp`) : ['v12.stomp', 'v11.stomp', 'v10.stomp']),
    connectHeaders: options.connectHeaders ?? {},
    heartbeatIncoming: options.heartbeatIncoming ?? 0,
    heartbeatOutgoing: options.heartbeatOutgoing ?? 0,
    reconnectDelay: options.reconnectDelay ?? 0,
    ...(options.versions ? { stompVersions: new Versions(options.versions) } : {}),
    onConnect: (frame) => push({ type: 'connect', frame }),
    onStompError: (frame) => push({ type: 'stomp-error', frame }),
    onWebSocketClose: (event: { code: number; reason: string }) => push({ type: 'close', code: event.code, reason: event.reason }),
    onHeartbeatReceived: () => push({ type: 'heartbeat' }),
  });
  const received: IMessage[] = [];
  clients.add(client);
  client.activate();
  return {
    client,
    events,
    received,
    subscribe(destination, headers = {}) {
      return client.subscribe(
        destination,
        (message) => {
          received.push(message);
          push({ type: 'message', message });
        },
        headers,
      );
    },
    next(type, count = 1, timeout = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.filter((event) => event.type === type)[count - 1];
          if (!found) return false;
          waiters.delete(check);
          realClearTimeout(timer);
          resolve(found as never);
          return true;
        };
        const timer = realSetTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} #${count} within ${timeout} ms; got ${events.map((event) => event.type).join(', ') || 'nothing'}`));
        }, timeout);
        if (!check()) waiters.add(check);
      });
    },
  };
}

/** Deactivates every client made here: no reconnect, no timer left behind. */
export async function deactivateClients(): Promise<void> {
  await Promise.all([...clients].map((client) => client.deactivate({ force: true })));
  clients.clear();
}

/** A raw STOMP frame: command, headers, body, NUL. */
export function frame(command: string, headers: Record<string, string> = {}, body = ''): string {
  return `${command}\n${Object.entries(headers)
    .map(([name, value]) => `${name}:${value}\n`)
    .join('')}\n${body}\0`;
}

/** A server frame read back: command, headers (raw, not unescaped), body. */
export interface RawFrame {
  command: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads the frames of one WebSocket message (heart-beat EOLs skipped). */
export function parseFrames(text: string): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const part of text.split('\0')) {
    const trimmed = part.replace(/^[\r\n]+/, '');
    if (trimmed === '') continue;
    const blank = trimmed.indexOf('\n\n');
    const [command, ...lines] = trimmed.slice(0, blank).split('\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (!(line.slice(0, colon) in headers)) headers[line.slice(0, colon)] = line.slice(colon + 1);
    }
    frames.push({ command: command!, headers, body: trimmed.slice(blank + 2) });
  }
  return frames;
}
