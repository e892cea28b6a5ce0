import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { joinChat, type ChatMessage, type ChatRoom } from '../src/chatRoom.js';

let server: MockServer;
const rooms: ChatRoom[] = [];
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await Promise.all(rooms.splice(0).map((room) => room.leave()));
  await server.reset();
});
afterAll(() => server.close());

const join = async (url: string, user: string) => {
  const room = await joinChat(url, user);
  rooms.push(room);
  return room;
};
/** Resolves with the next message `room` receives. */
const nextMessage = (room: ChatRoom) => new Promise<ChatMessage>((resolve) => room.onMessage(resolve));

it('a message one user says reaches everyone in the room (the hub broadcasts it, as Clients.All.SendAsync)', async () => {
  const hub = server.signalr('/chat', {
    methods: { SendMessage: { send: { target: 'ReceiveMessage', args: ['{{arguments.0}}', '{{arguments.1}}'] } } },
  });
  const [ada, bob] = [await join(hub.hubUrl, 'ada'), await join(hub.hubUrl, 'bob')];
  const atBob = nextMessage(bob);
  await ada.say('hello bob');
  expect(await atBob).toEqual({ user: 'ada', text: 'hello bob' });
  expect(ada.messages).toEqual([{ user: 'ada', text: 'hello bob' }]);
  const call = await hub.waitForInvocation('SendMessage');
  expect(call.arguments).toEqual(['ada', 'hello bob']);
});

it('loads the history the test answers with (a manual hub method)', async () => {
  const hub = server.signalr('/chat', { methods: { GetHistory: 'manual' } });
  const ada = await join(hub.hubUrl, 'ada');
  const history = ada.history();
  const call = await hub.waitForInvocation('GetHistory');
  await call.complete([{ user: 'bob', text: 'earlier' }]);
  expect(await history).toEqual([{ user: 'bob', text: 'earlier' }]);
});

it('shows what the server pushes, and answers the server when it asks (a client result)', async () => {
  const hub = server.signalr('/chat');
  const ada = await join(hub.hubUrl, 'ada');
  const conn = await hub.waitForConnection();
  const pushed = nextMessage(ada);
  hub.send('ReceiveMessage', 'system', 'maintenance at noon');
  expect(await pushed).toEqual({ user: 'system', text: 'maintenance at noon' });
  expect(await conn.invoke('WhoAreYou')).toEqual({ user: 'ada', typing: false });
});

it('comes back after the server restarts (update() closes its clients; the client reconnects)', async () => {
  const hub = server.signalr('/chat');
  const ada = await join(hub.hubUrl, 'ada');
  await hub.waitForConnection();
  const back = new Promise<void>((resolve) => ada.onReconnected(resolve));
  await hub.update({ methods: { GetHistory: { result: [] } } });
  await back;
  expect(await ada.history()).toEqual([]);
});
