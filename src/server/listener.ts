//
// Listening: one HTTP listener, owned by whoever started it and released by
// its `close()`. The mock server and the admin API each have one. A TLS
// listener plugs in here: the scheme of the URLs follows the listener.
//
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WsMockError, WsMockErrorCode } from '../errors.js';
import { hostForUrl } from '../util/hostForUrl.js';

/** What a listener serves. */
export interface ListenerOptions {
  host: string;
  port: number;
  /** Names the listener in errors, e.g. `listen` or `start the admin listener`. */
  what: string;
  request(req: IncomingMessage, res: ServerResponse): void;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** A request Node's HTTP parser refused; default: drop the socket. */
  clientError?(error: NodeJS.ErrnoException, socket: Duplex): void;
}

/** A running listener. */
export interface Listener {
  readonly port: number;
  /** `http` (or `https` once TLS is on). */
  readonly scheme: 'http';
  /** `scheme://host:port`, with the host a client can dial. */
  readonly origin: string;
  /** The same for WebSocket clients: `ws://host:port`. */
  readonly wsOrigin: string;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts listening; rejects `WSMOCK_ERR_LISTEN_FAILED` naming the address and the cause. */
export async function listen(options: ListenerOptions): Promise<Listener> {
  const server: Server = createServer(options.request);
  if (options.upgrade) server.on('upgrade', options.upgrade);
  server.on('clientError', options.clientError ?? ((_error: Error, socket: Duplex) => socket.destroy()));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${options.port} is already in use` : err.message;
      reject(new WsMockError(WsMockErrorCode.LISTEN_FAILED, `Cannot ${options.what} on ${options.host}:${options.port}: ${why}.`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = hostForUrl(options.host);
  let closing: Promise<void> | undefined;
  return {
    port,
    scheme: 'http',
    origin: `http://${host}:${port}`,
    wsOrigin: `ws://${host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
