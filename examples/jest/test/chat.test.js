const { createMockServer } = require('wsmock');
const { messageMatching } = require('wsmock/jest');
const { connectChat } = require('../src/chatClient');

let server;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

test('joins the room it was given, then says what the user types', async () => {
  const chat = server.websocket('/chat', { echoMode: false });
  const client = connectChat(chat.url, { user: 'ada', room: 'general' });
  const conn = await chat.waitForConnection();

  await expect(conn).toReceiveMessage({ type: 'join', room: 'general', user: 'ada' });
  await client.say('hello');
  await expect(conn).toReceiveMessage(expect.objectContaining({ type: 'say', text: 'hello' }));
  expect(conn.query).toEqual({ user: 'ada' });
});

test('answers every ping with a pong carrying its id', async () => {
  const chat = server.websocket('/chat', { echoMode: false });
  connectChat(chat.url, { user: 'bob', room: 'r' });
  const conn = await chat.waitForConnection();
  await conn.send({ type: 'ping', id: 7 });
  await expect(conn).toReceiveMessage(messageMatching({ type: 'json', path: '$.type', value: 'join' }));
  await expect(conn).toReceiveMessage({ type: 'pong', id: 7 });
  expect(conn).toHaveReceivedMessages([{ type: 'pong', id: 7 }, expect.objectContaining({ type: 'join' })]);
});

test('says nothing unprompted, even under fake timers', async () => {
  jest.useFakeTimers();
  try {
    const chat = server.websocket('/chat', { echoMode: false });
    connectChat(chat.url, { user: 'cy', room: 'r' });
    const conn = await chat.waitForConnection();
    await expect(conn).toReceiveMessage(expect.objectContaining({ type: 'join' }));
    // The window runs on the real clock: fake timers do not stall it.
    await expect(conn).not.toReceiveMessage(undefined, { within: 100 });
  } finally {
    jest.useRealTimers();
  }
});

test('leaving closes with 4000, and the mock counts connections', async () => {
  const chat = server.websocket('/chat', { echoMode: false });
  const a = connectChat(chat.url, { user: 'a', room: 'r' });
  connectChat(chat.url, { user: 'b', room: 'r' });
  await expect(chat).toHaveConnections(2);
  const first = await chat.waitForConnection({ predicate: (c) => c.query.user === 'a' });
  await a.leave();
  await expect(first).toBeClosed({ code: 4000, reason: 'left' });
  await expect(chat).toHaveConnections(1);
});

// The matchers' failure messages, as Jest prints them.
describe('failure messages', () => {
  test('a different message shows a diff and the recent journal', async () => {
    const chat = server.websocket('/chat', { echoMode: false });
    connectChat(chat.url, { user: 'dee', room: 'lobby' });
    const conn = await chat.waitForConnection();
    await expect(expect(conn).toReceiveMessage({ type: 'join', room: 'general', user: 'dee' })).rejects.toThrow(
      /The next message on conn-\d+ is not the expected one\.[\s\S]*-\s+"room": "general",[\s\S]*\+\s+"room": "lobby",[\s\S]*← in {2}\{"type":"join","room":"lobby","user":"dee"\}/,
    );
  });

  test('a negative assertion names what arrived', async () => {
    const chat = server.websocket('/chat', { echoMode: false });
    connectChat(chat.url, { user: 'eve', room: 'r' });
    const conn = await chat.waitForConnection();
    await expect(expect(conn).not.toReceiveMessage(expect.objectContaining({ type: 'join' }), { within: 2000 })).rejects.toThrow(
      'Received: {"type":"join","room":"r","user":"eve"}',
    );
  });

  test('the wrong subject says what was expected', async () => {
    await expect(expect({}).toBeClosed()).rejects.toThrow('toBeClosed() works on a wsmock Connection (from mock.waitForConnection()).');
  });
});
