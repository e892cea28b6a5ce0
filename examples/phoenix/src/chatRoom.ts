//
// The app under test: a chat room on Phoenix Channels. It joins `room:<id>`
// with the user's nick, keeps the messages the room broadcasts and who is
// online (Phoenix Presence), and sends messages, resolving with the id the
// server gives each one.
//
import { Presence, Socket, type Channel } from 'phoenix';
import WebSocket from 'ws';

export interface ChatRoom {
  /** Resolves once joined; rejects with the server's reason when the join is refused. */
  readonly joined: Promise<void>;
  readonly messages: { from: string; body: string }[];
  /** Who is online, by nick. */
  online(): string[];
  /** Sends a message; resolves with its id, rejects with the server's reason. */
  send(body: string): Promise<number>;
  /** Runs `listener` on every change (a message, a presence sync). */
  onChange(listener: () => void): void;
  /** How many times the room errored (the server crashed it; the client rejoins). */
  readonly errors: number;
  close(): void;
}

/** Joins room `room` at the Phoenix endpoint `url` (`ws://host/socket`) as `nick`. */
export function openChatRoom(url: string, room: string, nick: string, token: string): ChatRoom {
  // Node 20 has no global WebSocket: the client takes `ws` as its transport.
  const socket = new Socket(url, { transport: WebSocket, params: { token }, rejoinAfterMs: () => 50 });
  socket.connect();
  const channel: Channel = socket.channel(`room:${room}`, { nick });
  const presence = new Presence(channel);
  const listeners: (() => void)[] = [];
  const changed = () => listeners.forEach((listener) => listener());
  const state = { messages: [] as { from: string; body: string }[], errors: 0 };

  channel.on('new_msg', (message: { from: string; body: string }) => {
    state.messages.push(message);
    changed();
  });
  channel.onError(() => {
    state.errors++;
    changed();
  });
  presence.onSync(changed);

  const joined = new Promise<void>((resolve, reject) => {
    channel
      .join()
      .receive('ok', () => resolve())
      .receive('error', (response: { reason?: string }) => reject(new Error(response?.reason ?? 'join refused')));
  });

  return {
    joined,
    messages: state.messages,
    online: () => presence.list((key) => key).sort(),
    send: (body) =>
      new Promise((resolve, reject) => {
        channel
          .push('new_msg', { body })
          .receive('ok', (response: { id: number }) => resolve(response.id))
          .receive('error', (response: { reason?: string }) => reject(new Error(response?.reason ?? 'refused')))
          .receive('timeout', () => reject(new Error('timeout')));
      }),
    onChange: (listener) => listeners.push(listener),
    get errors() {
      return state.errors;
    },
    close: () => socket.disconnect(),
  };
}
