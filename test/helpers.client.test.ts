//
// The shared test client's own guarantees: its safety nets run on the real
// clock and say what they waited for.
//
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';

const server = useMockServer();
afterEach(() => {
  vi.useRealTimers();
});

describe('test client', () => {
  it('next() times out on the real clock under fake timers, naming the URL, the wait and the frame awaited', async () => {
    const mock = server.websocket({ path: '/quiet', echoMode: false });
    const client = await connect(mock.url);
    vi.useFakeTimers();
    await expect(client.next(50)).rejects.toThrow(`${mock.url}: no frame arrived within 50 ms (awaited frame #1; 0 received)`);
  });

  it('a read pending when the socket closes fails with the close code', async () => {
    const mock = server.websocket({ path: '/closing', echoMode: false });
    const client = await connect(mock.url);
    const reading = expect(client.next()).rejects.toThrow(`${mock.url} closed with 4000 while a frame was awaited`);
    await (await mock.waitForConnection()).close({ code: 4000 });
    await reading;
    await expect(client.next()).rejects.toThrow(`${mock.url} closed with 4000 and no frame is left to read`);
  });
});
