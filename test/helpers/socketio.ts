//
// socket.io-client sockets for the Socket.IO kit's tests: every socket opened
// with `ioClient()` is closed after each test, so a test run exits by itself.
//
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { afterEach } from 'vitest';

const opened = new Set<Socket>();

/** A socket.io-client socket; reconnection is off unless asked for, so a test sees each close. */
export function ioClient(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  const socket = io(url, { reconnection: false, forceNew: true, ...options });
  opened.add(socket);
  return socket;
}

/** Resolves once the socket is connected (rejects with its connect_error). */
export function connected(socket: Socket): Promise<Socket> {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Resolves with the arguments of the next `event` on the client socket. */
export function next(socket: Socket, event: string): Promise<unknown[]> {
  return new Promise((resolve) => socket.once(event, (...args: unknown[]) => resolve(args)));
}

afterEach(() => {
  for (const socket of opened) socket.disconnect();
  opened.clear();
});
