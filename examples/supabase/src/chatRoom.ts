// The app's chat room on Supabase Realtime: messages broadcast between
// members (its own included), the rows inserted into `messages` for this
// room, and who is online (presence, keyed by the user's name).
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';

export interface ChatMessage {
  from: string;
  text: string;
}

export interface ChatRoom {
  /** Messages broadcast in the room, in arrival order (this user's own included). */
  readonly messages: readonly ChatMessage[];
  /** Rows inserted into `messages` for this room. */
  readonly saved: readonly Record<string, unknown>[];
  /** The users online now. */
  online(): string[];
  /** Resolves once the room is joined and this user is online in it. */
  readonly ready: Promise<void>;
  /** Broadcasts a message to the room. */
  say(text: string): Promise<void>;
  /** Runs `listener` after each change. */
  onChange(listener: () => void): void;
  leave(): Promise<void>;
}

export function joinRoom(supabase: SupabaseClient, room: string, user: string): ChatRoom {
  const messages: ChatMessage[] = [];
  const saved: Record<string, unknown>[] = [];
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((listener) => listener());
  const channel: RealtimeChannel = supabase.channel(`chat:${room}`, { config: { broadcast: { self: true, ack: true }, presence: { key: user } } });
  channel
    .on('broadcast', { event: 'message' }, ({ payload }) => {
      messages.push(payload as ChatMessage);
      changed();
    })
    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: `room=eq.${room}` }, (change) => {
      saved.push(change.new);
      changed();
    })
    .on('presence', { event: 'sync' }, changed);
  const ready = new Promise<void>((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') channel.track({ online_at: new Date().toISOString() }).then(() => resolve(), reject);
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(err ?? new Error(status));
    });
  });
  return {
    messages,
    saved,
    online: () => Object.keys(channel.presenceState()).sort(),
    ready,
    async say(text) {
      const status = await channel.send({ type: 'broadcast', event: 'message', payload: { from: user, text } });
      if (status !== 'ok') throw new Error(`message not sent: ${status}`);
    },
    onChange: (listener) => listeners.push(listener),
    leave: async () => {
      await supabase.removeChannel(channel);
    },
  };
}
