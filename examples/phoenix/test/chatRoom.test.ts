import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { openChatRoom, type ChatRoom } from '../src/chatRoom.js';

let server: MockServer;
let room: ChatRoom | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  room?.close();
  await server.reset();
});
afterAll(() => server.close());

/** Resolves once `check()` holds, re-checked on every change of the room. */
function until(room: ChatRoom, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    room.onChange(() => check() && resolve());
  });
}

it('joins with the nick and token, sends a message the config answers, and shows what the room broadcasts', async () => {
  const phoenix = server.phoenix('/socket', {
    channels: {
      'room:*': {
        join: { status: 'ok' },
        events: { new_msg: { reply: { status: 'ok', response: { id: 1 } }, broadcast: true } },
      },
    },
  });
  room = openChatRoom(phoenix.url, 'lobby', 'ada', 'secret');
  await room.joined;
  const channel = await phoenix.waitForJoin('room:lobby');
  expect(channel.payload).toEqual({ nick: 'ada' });
  expect((await phoenix.waitForConnection()).params).toEqual({ token: 'secret' });

  expect(await room.send('hello')).toBe(1);
  phoenix.broadcast('room:lobby', 'new_msg', { from: 'bob', body: 'hi ada' });
  await until(room, () => room!.messages.length === 2);
  // The config broadcast the client's own message back to the room (payload as sent), then the test's.
  expect(room.messages).toEqual([{ body: 'hello' }, { from: 'bob', body: 'hi ada' }]);
});

it('reports a refused join, and a message the test answers with an error', async () => {
  const phoenix = server.phoenix('/socket', { channels: { 'room:*': { join: 'manual' } } });
  const refused = openChatRoom(phoenix.url, 'vip', 'ada', 'secret');
  await (await phoenix.waitForJoin('room:vip')).error({ reason: 'members only' });
  await expect(refused.joined).rejects.toThrow('members only');
  refused.close();

  room = openChatRoom(phoenix.url, 'lobby', 'ada', 'secret');
  const channel = await phoenix.waitForJoin('room:lobby');
  await channel.ok();
  await room.joined;
  const sent = room.send('spam');
  const push = await channel.waitForPush('new_msg');
  expect(push.payload).toEqual({ body: 'spam' });
  await push.reply('error', { reason: 'slow down' });
  await expect(sent).rejects.toThrow('slow down');
});

it('lists who is online from Phoenix Presence', async () => {
  const phoenix = server.phoenix();
  phoenix.presence('room:lobby').track('bob', { online_at: 1 });
  room = openChatRoom(phoenix.url, 'lobby', 'ada', 'secret');
  await until(room, () => room!.online().length === 1);
  expect(room.online()).toEqual(['bob']);
  phoenix.presence('room:lobby').track('cy', { online_at: 2 });
  phoenix.presence('room:lobby').untrack('bob');
  await until(room, () => room!.online().join() === 'cy');
});

it('rejoins after the server crashes the channel', async () => {
  const phoenix = server.phoenix();
  room = openChatRoom(phoenix.url, 'lobby', 'ada', 'secret');
  await room.joined;
  await (await phoenix.waitForJoin('room:lobby')).crash();
  const rejoined = await phoenix.waitForJoin('room:lobby');
  expect(rejoined.status).toBe('joined');
  expect(room.errors).toBe(1);
});
