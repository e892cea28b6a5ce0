//
// The listening side of `WS`: one wsmock server per host and port, shared by
// the `WS` instances that serve different paths on it. Each path is a mock
// whose handshake hooks and onConnection belong to its `WS`. The last path
// leaving closes the server, which stops listening at once: the next test may
// listen on the port as soon as `WS.clean()` returns.
//
import {
  createMockServer,
  WsMockError,
  WsMockErrorCode,
  type Connection,
  type HandshakeVerifier,
  type MockServer,
  type SubprotocolSelector,
  type WebSocketMock,
} from '../../index.js';
import { compatListenFailed } from '../../errors.js';

/** What a `WS` gives the port for its path. */
export interface PathRoute {
  verify: HandshakeVerifier | undefined;
  subprotocols: SubprotocolSelector;
  connected(connection: Connection): void;
}

/** Compat servers wait as long as a client takes (the original's waits have no timeout). */
const PING_TIMEOUT = 30_000;

/**
 * A fixed port found in use is tried again for up to a second before `WS`
 * reports it. Jest gives every test file its own copy of this module, so the
 * record of servers still stopping (below) does not reach across files: a
 * server the previous file closed before it listened may hold the port for a
 * moment yet, and so may a Jest worker that is exiting.
 */
const BUSY_RETRIES = 20;
const BUSY_RETRY_MS = 50;

function isPortBusy(err: unknown): boolean {
  return err instanceof WsMockError && err.code === WsMockErrorCode.LISTEN_FAILED && (err.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Starts a server on `port`; a busy fixed port is tried again, a bounded number of times. */
async function listenOn(host: string, port: number): Promise<MockServer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await createMockServer({ host, port, timeout: PING_TIMEOUT });
    } catch (err) {
      if (port === 0 || attempt >= BUSY_RETRIES || !isPortBusy(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}

/** The error `WS` reports for a port it cannot listen on, in the original's words. */
function listenFailure(err: unknown, label: string, port: number, host: string): Error {
  if (!(err instanceof WsMockError) || err.code !== WsMockErrorCode.LISTEN_FAILED) return err as Error;
  const cause = err.cause as NodeJS.ErrnoException & { address?: string };
  const address = cause?.address ?? host;
  const why =
    cause?.code === 'EADDRINUSE'
      ? `port ${port} is already in use on ${address} by another process. Stop that process, or give WS a free port`
      : cause?.code === 'EACCES'
        ? `port ${port} needs privileges this process does not have. Give WS a port above 1023`
        : `${cause?.message ?? err.message}. Check the URL's host and port`;
  return compatListenFailed(label, why, err);
}

/** One wsmock server on a host and port, and the paths `WS` instances serve on it. */
export class PortServer {
  static #live = new Set<PortServer>();
  /** Ports of servers closed before they listened: a new server there waits until they stopped. */
  static #stopping = new Map<number, Promise<void>>();

  /**
   * The live server on `port` that serves `host` (a `localhost` server serves
   * 127.0.0.1 and ::1 too), or a new one. Port 0 always makes a new one.
   */
  static open(host: string, port: number, label: string): PortServer {
    if (port !== 0) {
      for (const server of PortServer.#live) {
        if (server.port === port && (server.#host === host || server.#host === 'localhost')) return server;
      }
    }
    return new PortServer(host, port, label);
  }

  /** Resolves once it listens; rejects with a `WsMockError` naming the port when it cannot. */
  readonly ready: Promise<void>;
  readonly #host: string;
  readonly #requested: number;
  readonly #routes = new Map<string, { route: PathRoute; mock: Promise<WebSocketMock | undefined> }>();
  readonly #starting: Promise<MockServer>;
  #server: MockServer | undefined;
  #closing: Promise<void> | undefined;

  private constructor(host: string, port: number, label: string) {
    this.#host = host;
    this.#requested = port;
    // Listening starts now (createMockServer binds before its first await),
    // unless a server closed on this port before it even listened.
    const start = () => listenOn(host, port);
    const previous = port === 0 ? undefined : PortServer.#stopping.get(port);
    this.#starting = (previous ? previous.then(start) : start()).then(
      (server) => (this.#server = server),
      (err: unknown) => {
        PortServer.#live.delete(this);
        throw listenFailure(err, label, port, host);
      },
    );
    this.ready = this.#starting.then(() => undefined);
    this.ready.catch(() => undefined); // reported through `ready` to whoever awaits it
    PortServer.#live.add(this);
  }

  /** The port it listens on (the requested one until it listens). */
  get port(): number {
    return this.#server?.port ?? this.#requested;
  }

  /** Whether a `WS` serves `pathname` here. */
  has(pathname: string): boolean {
    return this.#routes.has(pathname);
  }

  /** Serves `pathname` for a `WS`, once the server runs. */
  add(pathname: string, route: PathRoute): void {
    const mock = this.#starting.then(
      (server) =>
        this.#closing || this.#routes.get(pathname)?.route !== route
          ? undefined
          : server.websocket(pathname, {
              echoMode: false,
              subprotocols: route.subprotocols,
              ...(route.verify ? { handshake: { verify: route.verify } } : {}),
              onConnection: (connection) => route.connected(connection),
            }),
      () => undefined,
    );
    this.#routes.set(pathname, { route, mock });
  }

  /**
   * Stops serving `pathname`. The last path leaving closes the server: it stops
   * listening before this returns (when it already listens), and the promise
   * settles once every connection and the server are closed.
   */
  remove(pathname: string, route: PathRoute): Promise<void> {
    const entry = this.#routes.get(pathname);
    if (entry?.route !== route) return Promise.resolve();
    this.#routes.delete(pathname);
    if (this.#routes.size > 0) return entry.mock.then((mock) => mock?.remove()).then(() => undefined);
    return this.#close();
  }

  #close(): Promise<void> {
    PortServer.#live.delete(this);
    if (this.#closing) return this.#closing;
    if (this.#server) {
      this.#closing = this.#server.close();
      return this.#closing;
    }
    // Not listening yet: close once it does, and let a new server on the port wait for that.
    let closed!: Promise<void>;
    const stopped = this.#starting.then(
      (server) => {
        closed = server.close(); // stops listening before it returns
      },
      () => {
        closed = Promise.resolve();
      },
    );
    const port = this.#requested;
    PortServer.#stopping.set(port, stopped);
    void stopped.then(() => {
      if (PortServer.#stopping.get(port) === stopped) PortServer.#stopping.delete(port);
    });
    this.#closing = stopped.then(() => closed);
    return this.#closing;
  }
}
