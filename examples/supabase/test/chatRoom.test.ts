import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import WebSocket from 'ws';
import { joinRoom, type ChatRoom } from '../src/chatRoom.js';

let server: MockServer;
let supabase: SupabaseClient;
let room: ChatRoom | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await room?.leave();
  await supabase.realtime.disconnect();
  await server.reset();
});
afterAll(() => server.close());

/** The app's client, made as the app makes it; only its Realtime part reaches the mock. */
function client(): SupabaseClient {
  return createClient(server.httpUrl, 'anon-key', {
    auth: { persistSession: false },
    // Node 22 has a global WebSocket; Node 20 needs `ws`.
    realtime: { transport: WebSocket as never },
  });
}

/** Resolves once `check()` holds, re-checked on every change of the room. */
function until(room: ChatRoom, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    room.onChange(() => check() && resolve());
  });
}

it('broadcasts what the user says, and shows what others say', async () => {
  const realtime = server.supabase();
  supabase = client();
  room = joinRoom(supabase, 'lobby', 'ada');
  await room.ready;
  const channel = await realtime.waitForJoin('chat:lobby');
  expect(channel.config.broadcast).toEqual({ self: true, ack: true });

  await room.say('hello');
  const push = await channel.waitForPush('broadcast');
  expect(push.payload).toEqual({ type: 'broadcast', event: 'message', payload: { from: 'ada', text: 'hello' } });
  realtime.broadcast('chat:lobby', 'message', { from: 'bob', text: 'hi ada' });
  await until(room, () => room!.messages.length === 2);
  expect(room.messages).toEqual([
    { from: 'ada', text: 'hello' },
    { from: 'bob', text: 'hi ada' },
  ]);
});

it('shows the rows inserted for its room, and only those', async () => {
  const realtime = server.supabase();
  supabase = client();
  room = joinRoom(supabase, 'lobby', 'ada');
  await room.ready;
  expect(realtime.postgresChange({ table: 'messages', eventType: 'INSERT', new: { id: 1, room: 'kitchen', text: 'elsewhere' } })).toBe(0);
  expect(realtime.postgresChange({ table: 'messages', eventType: 'INSERT', new: { id: 2, room: 'lobby', text: 'saved' } })).toBe(1);
  await until(room, () => room!.saved.length === 1);
  expect(room.saved).toEqual([{ id: 2, room: 'lobby', text: 'saved' }]);
});

it('lists who is online: the user, and whoever else the server tracks', async () => {
  const realtime = server.supabase();
  supabase = client();
  room = joinRoom(supabase, 'lobby', 'ada');
  await room.ready;
  realtime.presence('chat:lobby').track('bob', { online_at: 'now' });
  await until(room, () => room!.online().length === 2);
  expect(room.online()).toEqual(['ada', 'bob']);
  expect(realtime.presence('chat:lobby').list().ada?.metas).toMatchObject([{ online_at: expect.any(String) }]);
});
