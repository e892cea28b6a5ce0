// Migration example: a test written for jest-websocket-mock, running on
// wsmock/jest-websocket-mock. The changes from the original test are marked.
// The chat client under test (src/chatClient.js) is a real `ws` client.
const WS = require('wsmock/jest-websocket-mock').default; // was: require('jest-websocket-mock').default
const { connectChat } = require('../src/chatClient');

afterEach(() => WS.clean());

test('joins the room, answers pings and shows what others say', async () => {
  const server = new WS('ws://localhost:4512', { jsonProtocol: true });
  const chat = connectChat('ws://localhost:4512', { user: 'ada', room: 'general' });

  await server.connected;
  await expect(server).toReceiveMessage({ type: 'join', room: 'general', user: 'ada' });

  server.send({ type: 'ping', id: 7 });
  await expect(server).toReceiveMessage({ type: 'pong', id: 7 });

  await server.send({ type: 'say', from: 'bob', text: 'hi' }); // added `await`: delivery takes a round trip
  expect(chat.heard).toEqual(['bob: hi']);
  expect(server).toHaveReceivedMessages([{ type: 'join', room: 'general', user: 'ada' }]);
});
