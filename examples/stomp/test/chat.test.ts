import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer, type StompMock } from 'wsmock';
import WebSocket from 'ws';
import { joinChat, type Chat } from '../src/chat.js';

let server: MockServer;
let chat: Chat | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await chat?.leave();
  chat = undefined;
  await server.reset();
});
afterAll(() => server.close());

/** Resolves once `check()` holds, re-checked on every change of the chat. */
function until(chat: Chat, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    chat.onChange(() => check() && resolve());
  });
}

/** The broker as the Spring app has it: `/app/chat` handled and sent on to the room's topic, logins checked. */
function broker(): StompMock {
  return server.stomp('/ws', {
    sockjs: true,
    connect: (headers) => (headers.passcode === 'secret' ? true : Promise.reject(new Error('Invalid token'))),
    destinations: { '/app/chat': { reply: { destination: '/topic/chat', body: { from: '{{connect.login}}', text: '{{json.text}}' } } } },
  });
}

/** The SockJS URL of a mock: http://, as the browser app uses it. */
const sockJsUrl = (mock: StompMock) => mock.url.replace(/^ws/, 'http');

it('connects over SockJS with the user’s login and shows what the server publishes to the room', async () => {
  const stomp = broker();
  chat = joinChat({ url: sockJsUrl(stomp), user: 'ada', token: 'secret' });
  await until(chat, () => chat!.state === 'connected');
  const conn = await stomp.waitForConnection();
  expect(conn.headers.login).toBe('ada');
  await stomp.waitForSubscribe('/topic/chat');

  stomp.publish('/topic/chat', { from: 'bob', text: 'hi ada' });
  await until(chat, () => chat!.messages.length === 1);
  expect(chat.messages).toEqual([{ from: 'bob', text: 'hi ada' }]);
});

it('says something: the SEND reaches /app/chat and comes back on the topic', async () => {
  const stomp = broker();
  chat = joinChat({ url: sockJsUrl(stomp), user: 'ada', token: 'secret' });
  await until(chat, () => chat!.state === 'connected');
  await stomp.waitForSubscribe('/topic/chat');

  chat.say('hello');
  expect((await stomp.waitForSend('/app/chat')).json).toEqual({ text: 'hello' });
  await until(chat, () => chat!.messages.length === 1);
  expect(chat.messages).toEqual([{ from: 'ada', text: 'hello' }]);
});

it('shows a private notice sent to this user’s queue, over a plain WebSocket too', async () => {
  const stomp = broker();
  chat = joinChat({ url: stomp.url, user: 'ada', token: 'secret', webSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as globalThis.WebSocket });
  await until(chat, () => chat!.state === 'connected');
  await stomp.waitForSubscribe('/user/queue/notices');
  expect(stomp.publish('/user/ada/queue/notices', 'your order shipped')).toBe(1);
  await until(chat, () => chat!.notices.length === 1);
  expect(chat.notices).toEqual(['your order shipped']);
});

it('shows a refused login, and comes back after the broker restarts', async () => {
  const stomp = broker();
  chat = joinChat({ url: sockJsUrl(stomp), user: 'eve', token: 'wrong' });
  await until(chat, () => chat!.state === 'refused');
  expect(chat.error).toBe('Invalid token');
  await chat.leave();

  chat = joinChat({ url: sockJsUrl(stomp), user: 'ada', token: 'secret' });
  await until(chat, () => chat!.state === 'connected');
  await stomp.waitForConnection();
  await stomp.update({ heartBeat: { outgoing: 0, incoming: 0 } }); // closes its clients with 1012, as a restart does
  await stomp.waitForConnection();
  await until(chat, () => chat!.state === 'connected');
});
