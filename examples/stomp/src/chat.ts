// The app's chat on a Spring back end (`@EnableWebSocketMessageBroker` with
// `withSockJS()`): @stomp/stompjs over SockJS, or over a plain WebSocket.
// It subscribes to the room's topic and to its own reply queue, sends with
// `/app/chat`, and shows what arrives in order.
import { Client } from '@stomp/stompjs';
import SockJS from 'sockjs-client';

export interface ChatMessage {
  from: string;
  text: string;
}

export type ChatState = 'connecting' | 'connected' | 'refused' | 'disconnected';

export interface Chat {
  readonly state: ChatState;
  readonly messages: readonly ChatMessage[];
  /** What the server said privately (`/user/queue/notices`). */
  readonly notices: readonly string[];
  /** The ERROR the broker sent, if it refused the connection. */
  readonly error: string | undefined;
  /** Runs `listener` after each change. */
  onChange(listener: () => void): void;
  say(text: string): void;
  leave(): Promise<void>;
}

export interface ChatOptions {
  /** The broker's endpoint: `http://host/ws` for SockJS, `ws://host/ws` for a plain WebSocket. */
  url: string;
  user: string;
  token: string;
  /** Makes the plain WebSocket (the browser has one; in Node, pass `ws`'s). */
  webSocket?: (url: string, protocols: string[]) => WebSocket;
}

export function joinChat(options: ChatOptions): Chat {
  const messages: ChatMessage[] = [];
  const notices: string[] = [];
  const listeners: Array<() => void> = [];
  let state: ChatState = 'connecting';
  let error: string | undefined;
  const changed = () => listeners.forEach((listener) => listener());
  const client = new Client({
    webSocketFactory: () => (options.webSocket ? options.webSocket(options.url, ['v12.stomp', 'v11.stomp']) : new SockJS(options.url)),
    connectHeaders: { login: options.user, passcode: options.token },
    reconnectDelay: 50,
    heartbeatIncoming: 0,
    heartbeatOutgoing: 0,
    onConnect: () => {
      client.subscribe('/topic/chat', (frame) => {
        messages.push(JSON.parse(frame.body) as ChatMessage);
        changed();
      });
      client.subscribe('/user/queue/notices', (frame) => {
        notices.push(frame.body);
        changed();
      });
      state = 'connected';
      changed();
    },
    onStompError: (frame) => {
      error = frame.headers.message;
      state = 'refused';
      // A refused login is final: no reconnect.
      void client.deactivate();
      changed();
    },
    onWebSocketClose: () => {
      if (state === 'connected') state = 'connecting';
      changed();
    },
  });
  client.activate();
  return {
    get state() {
      return state;
    },
    messages,
    notices,
    get error() {
      return error;
    },
    onChange: (listener) => void listeners.push(listener),
    say: (text) => client.publish({ destination: '/app/chat', body: JSON.stringify({ text }), headers: { 'content-type': 'application/json' } }),
    leave: async () => {
      await client.deactivate();
      state = 'disconnected';
    },
  };
}
