//
// Listening: one Listener over one or more node HTTP servers (`localhost`
// is 127.0.0.1 and ::1 on the same port), owned by whoever started it and
// released by its `close()`. The mock server and the admin API each have one.
// With `tls` it is an HTTPS server (and WebSocket upgrades arrive over TLS):
// the scheme of the URLs follows the listener, nothing above it changes.
//
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WsMockError, listenFailed } from '../errors.js';
import { hostForUrl } from '../util/hostForUrl.js';

/** What a listener serves. */
export interface ListenerOptions {
  /** An address, or `localhost` for 127.0.0.1 and ::1 on one port. */
  host: string;
  port: number;
  /** Names the listener in errors, e.g. `listen` or `start the admin listener`. */
  what: string;
  request(req: IncomingMessage, res: ServerResponse): void;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** A request Node's HTTP parser refused; default: drop the socket. */
  clientError?(error: NodeJS.ErrnoException, socket: Duplex): void;
  /** Serve HTTPS (and `wss://`) with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** A running listener. */
export interface Listener {
  readonly port: number;
  /** `https` with `tls`, else `http`. */
  readonly scheme: 'http' | 'https';
  /** `scheme://host:port`, with the host a client can dial. */
  readonly origin: string;
  /** The same for WebSocket clients: `ws://host:port`, or `wss://` with `tls`. */
  readonly wsOrigin: string;
  /** Stops accepting connections at once (the port is free); open ones stay until `close()`. */
  stop(): void;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

/** How many times port 0 is retried when ::1 has the port 127.0.0.1 got taken. */
const PAIR_ATTEMPTS = 5;

function failure(options: ListenerOptions, address: string, port: number, err: NodeJS.ErrnoException): WsMockError {
  const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message;
  return listenFailed(options.what, address, port, why, err);
}

type Server = HttpServer | HttpsServer;

function bind(options: ListenerOptions, address: string, port: number): Promise<Server> {
  // A TLS handshake that fails (a client that does not trust the certificate)
  // is `tlsClientError`, which Node answers by destroying that socket alone.
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, options.request)
    : createServer(options.request);
  if (options.upgrade) server.on('upgrade', options.upgrade);
  server.on('clientError', options.clientError ?? ((_error: Error, socket: Duplex) => socket.destroy()));
  return new Promise<Server>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(err);
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      // Recorded now: `close` may be emitted before anyone asks (stop(), then close()).
      (server as Bound)[kClosed] = new Promise<void>((done) => server.once('close', () => done()));
      resolve(server);
    });
  });
}

const kClosed = Symbol('closed');
type Bound = Server & { [kClosed]: Promise<void> };

/** Stops listening and drops open connections; resolves once the server has emitted `close`. */
function closeServer(server: Server): Promise<void> {
  const closed = (server as Bound)[kClosed];
  if (server.listening) server.close();
  server.closeAllConnections();
  return closed;
}

/** `localhost`: 127.0.0.1, then ::1 on the same port (skipped when the machine has no IPv6 loopback). */
async function bindLocalhost(options: ListenerOptions): Promise<Server[]> {
  for (let attempt = 1; ; attempt++) {
    const v4 = await bind(options, '127.0.0.1', options.port).catch((err: NodeJS.ErrnoException) => {
      throw failure(options, 'localhost', options.port, err);
    });
    const port = (v4.address() as AddressInfo).port;
    try {
      return [v4, await bind(options, '::1', port)];
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return [v4];
      await closeServer(v4);
      // Port 0: 127.0.0.1's free port is taken on ::1; draw another one.
      if (code === 'EADDRINUSE' && options.port === 0 && attempt < PAIR_ATTEMPTS) continue;
      throw failure(options, '::1', port, err as NodeJS.ErrnoException);
    }
  }
}

/** Starts listening; rejects `WSMOCK_ERR_LISTEN_FAILED` naming the address and the cause. */
export async function listen(options: ListenerOptions): Promise<Listener> {
  const servers =
    options.host === 'localhost'
      ? await bindLocalhost(options)
      : [
          await bind(options, options.host, options.port).catch((err: NodeJS.ErrnoException) => {
            throw failure(options, options.host, options.port, err);
          }),
        ];
  const port = (servers[0]!.address() as AddressInfo).port;
  const host = hostForUrl(options.host);
  const scheme = options.tls ? 'https' : 'http';
  let closing: Promise<void> | undefined;
  return {
    port,
    scheme,
    origin: `${scheme}://${host}:${port}`,
    wsOrigin: `${options.tls ? 'wss' : 'ws'}://${host}:${port}`,
    stop() {
      // server.close() closes the listening handle now; its callback waits for open connections.
      for (const server of servers) if (server.listening) server.close();
    },
    close() {
      closing ??= Promise.all(servers.map(closeServer)).then(() => undefined);
      return closing;
    },
  };
}
