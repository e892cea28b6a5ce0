import { expect as jestExpect } from 'expect';
import { describe, expect, it } from 'vitest';
import { eventOptions, wsmockMatchers } from '../src/adapters/vitest.js';
import { wsmockMatchers as jestMatchers } from '../src/adapters/jest.js';
import { wsmockMatchers as playwrightMatchers } from '../src/adapters/playwright.js';
import { useMockServer } from './helpers/server.js';
import { connected, ioClient } from './helpers/socketio.js';
import { failure } from './helpers/failures.js';

// toReceiveEvent with Vitest's expect, Jest's expect, and the Playwright
// registration (its context without `equals`), against real clients.
expect.extend(wsmockMatchers);
jestExpect.extend(jestMatchers as never);

const server = useMockServer();

async function pair() {
  const io = server.socketio({ events: { sync: { ack: [] } } });
  const client = await connected(ioClient(server.url, { transports: ['websocket'] }));
  return { io, client, socket: await io.waitForConnection() };
}

describe('toReceiveEvent (Vitest)', () => {
  it('takes the next event of that name and compares its arguments, asymmetric matchers too', async () => {
    const { client, socket } = await pair();
    client.emit('chat', 'hello', { at: 1 });
    client.emit('join', 'general');
    await expect(socket).toReceiveEvent('join', 'general');
    await expect(socket).toReceiveEvent('chat', 'hello', { at: expect.any(Number) });
    const later = expect(socket).toReceiveEvent('typing');
    client.emit('typing');
    await later;
  });

  it('fails with the expected and received arguments and what the socket emitted', async () => {
    const { client, socket } = await pair();
    client.emit('join', 'random');
    const message = await failure(expect(socket).toReceiveEvent('join', 'general'));
    expect(message).toContain('The next "join" on socket');
    expect(message).toContain('has other arguments');
    expect(message).toContain('"general"');
    expect(message).toContain('"random"');
    expect(message).toContain('["join","random"]');
  });

  it('fails after the timeout naming what arrived instead', async () => {
    const { client, socket } = await pair();
    client.emit('other', 1);
    await client.emitWithAck('sync');
    const message = await failure(expect(socket).toReceiveEvent('join', eventOptions({ timeout: 30 })));
    expect(message).toContain('Expected: the event "join"');
    expect(message).toContain('Timed out after 30 ms');
    expect(message).toContain('["other",1]');
  });

  it('.not passes when no such event comes within the window, fails when one does', async () => {
    const { client, socket } = await pair();
    client.emit('join', 'random');
    await client.emitWithAck('sync');
    await expect(socket).not.toReceiveEvent('kick', eventOptions({ within: 30 }));
    await expect(socket).not.toReceiveEvent('join', 'general', eventOptions({ within: 30 }));
    const message = await failure(expect(socket).not.toReceiveEvent('join', eventOptions({ within: 30 })));
    expect(message).toContain('Expected no event "join"');
    expect(message).toContain('Received: ["join","random"]');
  });

  it('refuses a subject that is not a Socket.IO socket, even with .not', async () => {
    const { socket } = await pair();
    await expect(expect(socket.connection).toReceiveEvent('x')).rejects.toThrow(/works on a wsmock Socket.IO socket/);
    await expect(expect(socket.connection).not.toReceiveEvent('x')).rejects.toThrow(/works on a wsmock Socket.IO socket/);
  });
});

describe('toReceiveEvent (Jest and Playwright registrations)', () => {
  it('works with Jest expect', async () => {
    const { client, socket } = await pair();
    client.emit('join', 'general', Buffer.from('x'));
    await (jestExpect(socket) as unknown as { toReceiveEvent(...args: unknown[]): Promise<void> }).toReceiveEvent('join', 'general', Buffer.from('x'));
    const jestFailure = await failure(
      (jestExpect(socket) as unknown as { toReceiveEvent(...args: unknown[]): Promise<void> }).toReceiveEvent('join', eventOptions({ timeout: 20 })),
    );
    expect(jestFailure).toContain('Expected: the event "join"');
  });

  it('compares with its own equality under Playwright (no runner equals)', async () => {
    const { client, socket } = await pair();
    client.emit('join', { room: 'general', at: 3 });
    const ctx = {
      isNot: false,
      promise: '',
      equals: () => {
        throw new Error('Playwright does not let custom matchers call equals');
      },
      utils: { matcherHint: (name: string) => `expect(received).${name}()`, printExpected: String, printReceived: String, diff: () => null },
    };
    const result = await playwrightMatchers.toReceiveEvent.call(ctx, socket, 'join', { room: 'general', at: expect.any(Number) });
    expect(result.pass).toBe(true);
  });
});
