//
// The real `phoenix` client (1.8) for tests: sockets over `ws` (Node 20 has
// no global WebSocket) or the client's own LongPoll, disconnected after each
// test, and promises over its callback API.
//
import { Socket, type Channel, type SocketOptions } from 'phoenix';
import { afterEach } from 'vitest';
import WebSocket from 'ws';

const open = new Set<Socket>();

afterEach(() => {
  for (const socket of open) socket.disconnect();
  open.clear();
});

/** A connected client socket (over `ws` unless `options.transport` says otherwise), disconnected after the test. */
export function phoenixSocket(url: string, options: SocketOptions = {}): Socket {
  const socket = new Socket(url, { transport: WebSocket, reconnectAfterMs: () => 20, rejoinAfterMs: () => 20, ...options });
  open.add(socket);
  socket.connect();
  return socket;
}

/** What a push or a join got: its status and response. */
export interface Outcome {
  status: string;
  response: any;
}

/** Resolves with how a push (or a join) was answered: ok, error or timeout. */
export function outcome(push: ReturnType<Channel['push']>): Promise<Outcome> {
  return new Promise((resolve) => {
    push
      .receive('ok', (response) => resolve({ status: 'ok', response }))
      .receive('error', (response) => resolve({ status: 'error', response }))
      .receive('timeout', () => resolve({ status: 'timeout', response: undefined }));
  });
}

/** Resolves with the next payload of `event` on the channel. */
export function nextEvent(channel: Channel, event: string): Promise<any> {
  return new Promise((resolve) => {
    const ref = channel.on(event, (payload) => {
      channel.off(event, ref);
      resolve(payload);
    });
  });
}
