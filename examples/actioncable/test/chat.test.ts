import * as ActionCable from '@rails/actioncable';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import WebSocket from 'ws';
import { joinRoom, type ChatRoom } from '../src/chat.js';

// In the browser the client finds WebSocket and window on the global. In
// Node, hand it `ws` (Node 20 has no global WebSocket) and give its
// connection monitor the addEventListener it expects of window.
ActionCable.adapters.WebSocket = WebSocket;
(globalThis as Record<string, unknown>).addEventListener ??= () => {};
(globalThis as Record<string, unknown>).removeEventListener ??= () => {};

let server: MockServer;
let room: ChatRoom | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  room?.leave();
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

/** The chat channel as the Rails app has it: each room a stream, `speak` broadcast to it. */
const chatChannel = {
  ChatChannel: {
    streamFrom: 'chat_{{params.room}}',
    actions: { speak: { broadcast: { stream: 'chat_{{params.room}}', message: { user: '{{data.user}}', text: '{{data.text}}' } } } },
  },
};

it('joins the room and shows what the server broadcasts to it', async () => {
  const cable = server.actioncable('/cable', { channels: chatChannel });
  room = joinRoom(cable.url, 'lobby', 'ada');
  await until(room, () => room!.state === 'joined');
  const sub = await cable.waitForSubscription({ channel: 'ChatChannel', params: { room: 'lobby' } });
  expect(sub.streams).toEqual(['chat_lobby']);

  cable.broadcast('chat_lobby', { user: 'bob', text: 'hi ada' });
  await until(room, () => room!.messages.length === 1);
  expect(room.messages).toEqual([{ user: 'bob', text: 'hi ada' }]);
});

it('speaks to the room: the action reaches the server, which broadcasts it back', async () => {
  const cable = server.actioncable('/cable', { channels: chatChannel });
  room = joinRoom(cable.url, 'lobby', 'ada');
  await until(room, () => room!.state === 'joined');
  const sub = await cable.waitForSubscription();

  room.speak('hello');
  expect(await sub.waitForAction('speak')).toEqual({ action: 'speak', data: { action: 'speak', user: 'ada', text: 'hello' } });
  await until(room, () => room!.messages.length === 1);
  expect(room.messages).toEqual([{ user: 'ada', text: 'hello' }]);
});

it('shows a room the server refuses, and a connection the server drops for good', async () => {
  const cable = server.actioncable('/cable', { channels: { ChatChannel: { subscribe: 'manual' } } });
  room = joinRoom(cable.url, 'vip', 'ada');
  const sub = await cable.waitForSubscription({ params: { room: 'vip' } });
  await sub.reject();
  await until(room, () => room!.state === 'rejected');

  const other = joinRoom(cable.url, 'lobby', 'bob');
  try {
    await (await cable.waitForSubscription({ params: { room: 'lobby' } })).confirm();
    await until(other, () => other.state === 'joined');
    await cable.waitForConnection(); // the first room's
    const conn = await cable.waitForConnection();
    await conn.disconnect({ reason: 'unauthorized', reconnect: false });
    await until(other, () => other.state === 'disconnected');
  } finally {
    other.leave();
  }
});
