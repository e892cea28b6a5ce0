// The code under test: a chat room's client, as an ASP.NET Core app's front
// end writes it with @microsoft/signalr. It knows nothing of wsmock.
import { HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';

/** A message of the room. */
export interface ChatMessage {
  user: string;
  text: string;
}

/** A joined chat room. */
export interface ChatRoom {
  /** Every message the room received, oldest first. */
  readonly messages: ChatMessage[];
  /** Calls `listener` with each message as it arrives. */
  onMessage(listener: (message: ChatMessage) => void): void;
  /** Calls `listener` each time the connection is back after a drop. */
  onReconnected(listener: () => void): void;
  /** Posts a message to the room (the hub's `SendMessage`). */
  say(text: string): Promise<void>;
  /** The room's earlier messages (the hub's `GetHistory`). */
  history(): Promise<ChatMessage[]>;
  /** Leaves the room. */
  leave(): Promise<void>;
}

/** Joins the chat hub at `hubUrl` as `user`; resolves once connected. */
export async function joinChat(hubUrl: string, user: string): Promise<ChatRoom> {
  const connection: HubConnection = new HubConnectionBuilder().withUrl(hubUrl).withAutomaticReconnect([0, 100, 500]).configureLogging(LogLevel.None).build();
  const messages: ChatMessage[] = [];
  const listeners: ((message: ChatMessage) => void)[] = [];
  connection.on('ReceiveMessage', (from: string, text: string) => {
    const message = { user: from, text };
    messages.push(message);
    for (const listener of listeners) listener(message);
  });
  // The server asks who is typing what (a client result).
  connection.on('WhoAreYou', () => ({ user, typing: false }));
  await connection.start();
  return {
    messages,
    onMessage: (listener) => void listeners.push(listener),
    onReconnected: (listener) => connection.onreconnected(() => listener()),
    say: (text) => connection.invoke('SendMessage', user, text),
    history: () => connection.invoke<ChatMessage[]>('GetHistory'),
    leave: () => connection.stop(),
  };
}
