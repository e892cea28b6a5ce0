import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { eventOptions } from 'wsmock/vitest';
import { Chat } from '../src/chat.js';

let server: MockServer;
const chats: Chat[] = [];
const chat = (token = 'good') => {
  const client = new Chat(server.url, token);
  chats.push(client);
  return client;
};

beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  for (const client of chats.splice(0)) client.close();
  await server.reset();
});
afterAll(() => server.close());

describe('Chat', () => {
  it('joins a room and hears what the room says', async () => {
    const mock = server.socketio('/socket.io/', {
      events: {
        join: (args, socket) => {
          socket.join(String(args[0]));
          return { members: ['ada', 'bob'] };
        },
      },
    });
    const client = chat();
    await client.connected();
    expect(await client.join('general')).toEqual(['ada', 'bob']);

    mock.to('general').emit('message', { from: 'bob', text: 'hi ada' });
    await expect.poll(() => client.messages).toEqual([{ from: 'bob', text: 'hi ada' }]);
  });

  it('sends messages the test answers itself', async () => {
    const mock = server.socketio('/socket.io/', { events: { join: { ack: [{ members: [] }] } } });
    const client = chat();
    const socket = await mock.waitForConnection();
    expect(socket.auth).toEqual({ token: 'good' });

    const sent = client.say('general', 'hello');
    const say = await socket.waitForEvent('say');
    expect(say.args).toEqual([{ room: 'general', text: 'hello' }]);
    say.ack({ id: 7 });
    expect(await sent).toBe(7);
    await expect(socket).not.toReceiveEvent('say', eventOptions({ within: 50 }));
  });

  it('reports the server refusing the token', async () => {
    server.socketio('/socket.io/', { connect: (socket) => (socket.auth.token === 'good' ? true : { message: 'bad token', data: { retry: false } }) });
    await expect(chat('expired').connected()).rejects.toMatchObject({ message: 'bad token', data: { retry: false } });
  });

  it('reconnects when the server restarts the mock', async () => {
    const mock = server.socketio();
    const client = chat();
    const first = await mock.waitForConnection();
    await mock.update({ events: { join: { ack: [{ members: ['new'] }] } } });
    const second = await mock.waitForConnection();
    expect(second.id).not.toBe(first.id);
    await client.connected();
    expect(await client.join('general')).toEqual(['new']);
  });
});
