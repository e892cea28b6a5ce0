// A small chat client over Socket.IO: the code under test. It signs in with a
// token, joins a room (the server acks with the room's members), sends
// messages (acked with their id) and keeps the messages it hears.
import { io, type Socket } from 'socket.io-client';

export interface ChatMessage {
  from: string;
  text: string;
}

export class Chat {
  readonly messages: ChatMessage[] = [];
  readonly #socket: Socket;

  constructor(url: string, token: string) {
    this.#socket = io(url, { auth: { token }, reconnectionDelay: 50, reconnectionDelayMax: 100 });
    this.#socket.on('message', (message: ChatMessage) => this.messages.push(message));
  }

  /** Resolves once connected; rejects with the server's refusal. */
  connected(): Promise<void> {
    if (this.#socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#socket.once('connect', () => resolve());
      this.#socket.once('connect_error', reject);
    });
  }

  /** Joins a room; resolves with its members. */
  async join(room: string): Promise<string[]> {
    const { members } = (await this.#socket.timeout(2000).emitWithAck('join', room)) as { members: string[] };
    return members;
  }

  /** Sends a message; resolves with the id the server gave it. */
  async say(room: string, text: string): Promise<number> {
    const { id } = (await this.#socket.timeout(2000).emitWithAck('say', { room, text })) as { id: number };
    return id;
  }

  close(): void {
    this.#socket.disconnect();
  }
}
