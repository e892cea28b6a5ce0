// The app's chat room on Action Cable: one subscription to ChatChannel for a
// room. `received` messages are shown in order; `speak` performs the
// channel's `speak` action; the room says whether the server confirmed,
// rejected or dropped it.
import { createConsumer } from '@rails/actioncable';

export interface ChatMessage {
  user: string;
  text: string;
}

export type RoomState = 'joining' | 'joined' | 'rejected' | 'disconnected';

export interface ChatRoom {
  readonly state: RoomState;
  readonly messages: readonly ChatMessage[];
  /** Runs `listener` after each change. */
  onChange(listener: () => void): void;
  speak(text: string): void;
  leave(): void;
}

export function joinRoom(cableUrl: string, room: string, user: string): ChatRoom {
  const consumer = createConsumer(cableUrl);
  const messages: ChatMessage[] = [];
  const listeners: Array<() => void> = [];
  let state: RoomState = 'joining';
  const set = (next: RoomState) => {
    state = next;
    listeners.forEach((listener) => listener());
  };
  const subscription = consumer.subscriptions.create(
    { channel: 'ChatChannel', room },
    {
      connected: () => set('joined'),
      rejected: () => set('rejected'),
      disconnected: ({ willAttemptReconnect }) => set(willAttemptReconnect ? 'joining' : 'disconnected'),
      received: (data) => {
        messages.push(data as ChatMessage);
        listeners.forEach((listener) => listener());
      },
    },
  );
  return {
    get state() {
      return state;
    },
    messages,
    onChange: (listener) => listeners.push(listener),
    speak: (text) => subscription.perform('speak', { user, text }),
    leave: () => consumer.disconnect(),
  };
}
