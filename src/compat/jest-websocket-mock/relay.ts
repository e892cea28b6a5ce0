//
// The listening side of `WS`: a byte relay in front of a wsmock server.
//
// jest-websocket-mock's users write `new WS('ws://localhost:1234')` and expect
// three things that wsmock's public API cannot give yet (see
// docs/migrating.md and the compat notes in ARCHITECTURE.md):
//
//   - a fixed port on `localhost`, served on 127.0.0.1 and ::1 alike, and freed
//     the moment `WS.clean()` is called (the next test listens on it at once);
//   - `verifyClient` and `selectProtocol`, decided per handshake;
//   - knowing when a client has processed what the server sent (so `await
//     server.connected` means the client is open), and making a client see an
//     `error` event (`server.error()`).
//
// So each port is a PortGroup: plain TCP listeners on the loopback addresses,
// and one wsmock server on an ephemeral port behind them. Each accepted socket
// is a RelayConnection: it reads the HTTP upgrade request, applies
// verifyClient/selectProtocol, forwards the request to wsmock (tagged with a
// header so wsmock's `Connection` can be matched to the relay), and then copies
// frames both ways, reading only frame headers. wsmock speaks the protocol.
//
// Two frames are the relay's own. A probe: `WS` sends a 16-byte binary marker
// through wsmock; the relay turns it into a ping carrying the marker, and the
// client's pong (which the relay keeps) proves the client has processed every
// frame before it. A failure: the marker becomes a frame with a reserved opcode,
// which every client must refuse by failing the connection (`error`, then
// `close` 1006).
//
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import net from 'node:net';
import { createMockServer, WsMockError, WsMockErrorCode, type Connection, type MockServer, type WebSocketMock } from '../../index.js';
import { FrameReader, INVALID_FRAME, Opcode, serverFrame } from './frames.js';

/** The upgrade request as a route sees it. */
export interface HandshakeRequest {
  /** The request target: path and query. */
  url: string;
  /** The path alone. */
  pathname: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The subprotocols the client offered, in order. */
  protocols: string[];
}

/** A route's answer to a handshake. */
export type HandshakeVerdict = { accept: true; protocol: string } | { accept: false; status: number; message: string };

/** What a port needs from whoever serves a path on it (a `WS`). */
export interface Route {
  /** Decides whether to accept a handshake, and with which subprotocol. */
  handshake(request: HandshakeRequest): Promise<HandshakeVerdict>;
  /** A connection was accepted by wsmock for this route. */
  connected(connection: Connection, relay: RelayConnection): void;
}

const RELAY_HEADER = 'x-wsmock-relay';
const MARKER_MAGIC = Buffer.from('wsmockJW', 'latin1');
const MAX_HEAD = 64 * 1024;

/** Whether an address is served only when the machine has it (::1 without IPv6). */
function optionalAddress(address: string, requested: boolean): boolean {
  return address === '::1' && !requested;
}

/**
 * A port served by `WS` instances: loopback listeners, a wsmock server behind
 * them, and the routes (paths) of the instances that share the port.
 */
export class PortGroup {
  static #groups = new Map<number, PortGroup>();

  /** The group listening on `port`, if any. */
  static get(port: number): PortGroup | undefined {
    return PortGroup.#groups.get(port);
  }

  /**
   * The group for `port` (created when none listens there), listening on every
   * address in `addresses`. `port` 0 makes a new group on a free port.
   */
  static open(port: number, addresses: readonly string[], requested: ReadonlySet<string>, label: string): PortGroup {
    const group = (port === 0 ? undefined : PortGroup.#groups.get(port)) ?? new PortGroup(port);
    group.#listenAll(addresses, requested, label);
    return group;
  }

  /** The port every listener of the group uses. */
  port = 0;
  readonly #listeners = new Map<string, net.Server>();
  readonly #listening: Promise<void>[] = [];
  readonly #routes = new Map<string, Route>();
  readonly #mocks = new Map<string, WebSocketMock>();
  readonly #relays = new Set<RelayConnection>();
  readonly #server: Promise<MockServer>;
  #closing: Promise<void> | undefined;
  #relaySeq = 0;

  private constructor(port: number) {
    this.port = port;
    if (port !== 0) PortGroup.#groups.set(port, this);
    this.#server = createMockServer({ host: '127.0.0.1', port: 0 });
    // Observed here so an early failure is never reported as unhandled; it
    // reaches users through `ready`.
    this.#server.catch(() => undefined);
  }

  /** Resolves when every listener listens and the wsmock server runs; rejects with the first failure. */
  get ready(): Promise<void> {
    return Promise.all([...this.#listening, this.#server]).then(() => undefined);
  }

  /** Whether the group is closing (its port already free). */
  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** Whether a route serves `pathname`. */
  has(pathname: string): boolean {
    return this.#routes.has(pathname);
  }

  /** Serves `pathname` with `route`. */
  add(pathname: string, route: Route): void {
    this.#routes.set(pathname, route);
  }

  /**
   * Stops serving `pathname` (when `route` still serves it). The last route
   * leaving closes the group: the port is free when this returns, and the
   * promise settles when every connection and the wsmock server are closed.
   */
  remove(pathname: string, route: Route): Promise<void> {
    if (this.#routes.get(pathname) === route) this.#routes.delete(pathname);
    return this.#routes.size === 0 ? this.close() : Promise.resolve();
  }

  /** Frees the port at once, then closes connections and the wsmock server. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    if (PortGroup.#groups.get(this.port) === this) PortGroup.#groups.delete(this.port);
    const listenersClosed = [...this.#listeners.values()].map(
      (listener) => new Promise<void>((resolve) => (listener.listening ? listener.close(() => resolve()) : resolve())),
    );
    this.#closing = (async () => {
      const server = await this.#server.catch(() => undefined);
      await server?.close();
      await Promise.all([...this.#relays].map((relay) => relay.done));
      await Promise.all(listenersClosed);
    })();
    return this.#closing;
  }

  #listenAll(addresses: readonly string[], requested: ReadonlySet<string>, label: string): void {
    const todo = addresses.filter((address) => !this.#listeners.has(address));
    if (todo.length === 0) return;
    let listening: Promise<void>;
    if (this.port !== 0) {
      listening = Promise.all(todo.map((address) => this.#listenOn(address, requested, label))).then(() => undefined);
    } else {
      // Port 0: the first address picks a free port, and the others listen on the same one.
      const [first, ...rest] = todo;
      listening = this.#listenOn(first!, requested, label).then(async () => {
        await Promise.all(rest.map((address) => this.#listenOn(address, requested, label)));
      });
    }
    listening.catch(() => undefined);
    this.#listening.push(listening);
  }

  #listenOn(address: string, requested: ReadonlySet<string>, label: string): Promise<void> {
    const listener = net.createServer((socket) => this.#accept(socket));
    this.#listeners.set(address, listener);
    const wanted = this.port;
    const listening = new Promise<void>((resolve, reject) => {
      listener.once('listening', () => {
        if (this.port === 0) {
          this.port = (listener.address() as net.AddressInfo).port;
          if (!this.#closing) PortGroup.#groups.set(this.port, this);
        }
        resolve();
      });
      listener.once('error', (err: NodeJS.ErrnoException) => {
        this.#listeners.delete(address);
        if (optionalAddress(address, requested.has(address)) && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')) {
          resolve(); // no IPv6 loopback on this machine: 127.0.0.1 serves localhost alone
          return;
        }
        const why =
          err.code === 'EADDRINUSE'
            ? `port ${wanted} is already in use on ${address} by another process. Stop that process, or give WS a free port`
            : err.code === 'EACCES'
              ? `port ${wanted} needs privileges this process does not have. Give WS a port above 1023`
              : `${err.message}. Check the URL's host and port`;
        reject(new WsMockError(WsMockErrorCode.LISTEN_FAILED, `Cannot listen for ${label}: ${why}.`, { cause: err }));
      });
    });
    // The bind happens on the next tick, before any client can have resolved the host and connected.
    listener.listen({ host: address, port: wanted });
    return listening;
  }

  #accept(socket: net.Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    const relay = new RelayConnection(`${++this.#relaySeq}`, socket, this);
    this.#relays.add(relay);
    void relay.done.then(() => this.#relays.delete(relay));
  }

  /** @internal The route serving `pathname`, for a relay that read a request. */
  route(pathname: string): Route | undefined {
    return this.#routes.get(pathname);
  }

  /** @internal The wsmock server's port, with a mock for `pathname` defined on it. */
  async upstream(pathname: string, relays: Map<string, RelayConnection>): Promise<number> {
    const server = await this.#server;
    if (!this.#mocks.has(pathname)) {
      this.#mocks.set(
        pathname,
        server.websocket(pathname, {
          echoMode: false,
          onConnection: (connection) => {
            const relay = relays.get(String(connection.headers[RELAY_HEADER]));
            if (relay) relay.attach(connection);
            else void connection.close({ code: 1011, reason: 'no relay for this connection' });
          },
        }),
      );
    }
    return server.port;
  }

  /** @internal Relays waiting for wsmock to accept their upgrade, by id. */
  readonly pending = new Map<string, RelayConnection>();
}

type Marker = { kind: 'probe' | 'fail'; resolve: () => void };

/** One client socket, relayed to wsmock. */
export class RelayConnection {
  /** Settles when both sockets are closed. */
  readonly done: Promise<void>;
  /** The subprotocol agreed with the client ('' for none). */
  protocol = '';
  /** The URL the client asked for, as it wrote it (scheme, Host header, path). */
  url = '';

  readonly #id: string;
  readonly #client: net.Socket;
  readonly #group: PortGroup;
  #upstream: net.Socket | undefined;
  #route: Route | undefined;
  #head: Buffer = Buffer.alloc(0);
  #markers = new Map<string, Marker>();
  #failed = false;
  #clientClosing = false;
  #closingWaiters: (() => void)[] = [];
  #resolveDone!: () => void;
  #open = 2;

  constructor(id: string, client: net.Socket, group: PortGroup) {
    this.#id = id;
    this.#client = client;
    this.#group = group;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    client.setNoDelay(true);
    client.on('error', () => client.destroy());
    client.on('close', () => this.#closed('client'));
    client.on('data', this.#onRequestData);
  }

  /** Whether the client has sent its close frame (it is CLOSING until the TCP connection ends). */
  get clientClosing(): boolean {
    return this.#clientClosing;
  }

  /** Resolves when the client sends a close frame or the connection ends. */
  whenClientCloses(): Promise<void> {
    if (this.#clientClosing || this.#open < 2) return Promise.resolve();
    return new Promise((resolve) => this.#closingWaiters.push(resolve));
  }

  /**
   * Resolves once the client has processed every frame wsmock sent on
   * `connection` before this call (a ping round trip), or the connection ends.
   */
  probe(connection: Connection): Promise<void> {
    return this.#mark(connection, 'probe');
  }

  /** Makes the client fail the connection: it fires `error`, then `close` with 1006. */
  fail(connection: Connection): Promise<void> {
    return this.#mark(connection, 'fail');
  }

  #mark(connection: Connection, kind: Marker['kind']): Promise<void> {
    const token = Buffer.concat([MARKER_MAGIC, randomBytes(8)]);
    return new Promise<void>((resolve) => {
      if (!connection.isOpen || this.#open < 2) {
        resolve();
        return;
      }
      this.#markers.set(token.toString('hex'), { kind, resolve });
      connection.send(token, { binary: true }).catch(() => this.#settleMarker(token.toString('hex')));
    });
  }

  #settleMarker(key: string): void {
    const marker = this.#markers.get(key);
    if (!marker) return;
    this.#markers.delete(key);
    marker.resolve();
  }

  /** @internal wsmock accepted the upgrade: hand the connection to the route. */
  attach(connection: Connection): void {
    this.#group.pending.delete(this.#id);
    this.#route?.connected(connection, this);
  }

  // --- the HTTP upgrade ---------------------------------------------------

  #onRequestData = (chunk: Buffer): void => {
    this.#head = Buffer.concat([this.#head, chunk]);
    const end = this.#head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (this.#head.length > MAX_HEAD) this.#refuse(431, 'The request headers are too large.');
      return;
    }
    this.#client.off('data', this.#onRequestData);
    this.#client.pause();
    const rest = this.#head.subarray(end + 4);
    void this.#handshake(this.#head.subarray(0, end).toString('latin1'), rest);
  };

  async #handshake(head: string, rest: Buffer): Promise<void> {
    const [requestLine = '', ...lines] = head.split('\r\n');
    const [method = '', target = '/'] = requestLine.split(' ');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const pathname = new URL(target, 'http://relay').pathname;
    this.url = `ws://${headers.host ?? `localhost:${this.#group.port}`}${target}`;
    if (method !== 'GET' || (headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      this.#refuse(426, 'This port serves WebSocket connections only.');
      return;
    }
    const route = this.#group.route(pathname);
    if (!route) {
      this.#refuse(404, `No WS serves ${pathname} on port ${this.#group.port}.`);
      return;
    }
    const protocols = (headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    let verdict: HandshakeVerdict;
    try {
      verdict = await route.handshake({ url: target, pathname, headers, protocols });
    } catch (err) {
      verdict = { accept: false, status: 500, message: `The WS handshake options threw: ${String(err)}` };
    }
    if (!verdict.accept) {
      this.#refuse(verdict.status, verdict.message);
      return;
    }
    this.#route = route;
    this.protocol = verdict.protocol;
    let port: number;
    try {
      port = await this.#group.upstream(pathname, this.#group.pending);
    } catch (err) {
      this.#refuse(503, `The mock server behind this port is not running: ${String(err)}`);
      return;
    }
    if (this.#open < 2) return;
    // wsmock negotiates no subprotocol (the relay chose it) and learns which relay this is.
    const forwarded = [
      requestLine,
      ...lines.filter((line) => !/^sec-websocket-protocol\s*:/i.test(line) && !line.toLowerCase().startsWith(`${RELAY_HEADER}:`)),
      `${RELAY_HEADER}: ${this.#id}`,
    ].join('\r\n');
    this.#group.pending.set(this.#id, this);
    const upstream = net.connect({ host: '127.0.0.1', port });
    this.#upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => upstream.destroy());
    upstream.on('close', () => this.#closed('upstream'));
    upstream.write(`${forwarded}\r\n\r\n`);
    if (rest.length > 0) upstream.write(rest);
    let response = Buffer.alloc(0);
    const onResponse = (chunk: Buffer) => {
      response = Buffer.concat([response, chunk]);
      const end = response.indexOf('\r\n\r\n');
      if (end === -1) return;
      upstream.off('data', onResponse);
      let responseHead = response.subarray(0, end).toString('latin1');
      const upgraded = /^HTTP\/1\.1 101/.test(responseHead);
      if (upgraded && this.protocol) responseHead += `\r\nSec-WebSocket-Protocol: ${this.protocol}`;
      this.#client.write(`${responseHead}\r\n\r\n`);
      if (!upgraded) {
        this.#pipeRaw(response.subarray(end + 4));
        return;
      }
      this.#relayFrames(response.subarray(end + 4));
    };
    upstream.on('data', onResponse);
  }

  #refuse(status: number, message: string): void {
    const body = Buffer.from(message);
    this.#client.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${message}`,
    );
  }

  // --- after the upgrade --------------------------------------------------

  #pipeRaw(rest: Buffer): void {
    const upstream = this.#upstream!;
    if (rest.length > 0) this.#client.write(rest);
    upstream.on('data', (chunk: Buffer) => this.#client.write(chunk));
    upstream.on('end', () => this.#client.end());
    this.#client.on('data', (chunk: Buffer) => upstream.write(chunk));
    this.#client.on('end', () => upstream.end());
    this.#client.resume();
  }

  #relayFrames(rest: Buffer): void {
    const upstream = this.#upstream!;
    const fromServer = new FrameReader();
    const fromClient = new FrameReader();
    const toClient = (chunk: Buffer) => {
      const out: Buffer[] = [];
      for (const frame of fromServer.push(chunk)) {
        if (this.#failed) continue; // the client has failed the connection: nothing more reaches it
        const marker = frame.opcode === Opcode.binary && frame.raw.length === 18 ? this.#markerFor(frame.payload()) : undefined;
        if (!marker) {
          out.push(frame.raw);
        } else if (marker.kind === 'probe') {
          out.push(serverFrame(Opcode.ping, frame.payload()));
        } else {
          this.#failed = true;
          out.push(INVALID_FRAME);
          this.#settleMarker(frame.payload().toString('hex'));
        }
      }
      if (out.length > 0) this.#client.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    };
    const toServer = (chunk: Buffer) => {
      const out: Buffer[] = [];
      for (const frame of fromClient.push(chunk)) {
        if (frame.opcode === Opcode.pong) {
          const key = frame.payload().toString('hex');
          if (this.#markers.has(key)) {
            this.#settleMarker(key); // our probe's answer: wsmock never sees it
            continue;
          }
        } else if (frame.opcode === Opcode.close) {
          this.#clientClosing = true;
          this.#wakeClosing();
        }
        out.push(frame.raw);
      }
      if (out.length > 0) upstream.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    };
    if (rest.length > 0) toClient(rest);
    upstream.on('data', toClient);
    upstream.on('end', () => this.#client.end());
    this.#client.on('data', toServer);
    this.#client.on('end', () => upstream.end());
    this.#client.resume();
  }

  #markerFor(payload: Buffer): Marker | undefined {
    if (!payload.subarray(0, MARKER_MAGIC.length).equals(MARKER_MAGIC)) return undefined;
    return this.#markers.get(payload.toString('hex'));
  }

  #wakeClosing(): void {
    const waiters = this.#closingWaiters;
    this.#closingWaiters = [];
    for (const wake of waiters) wake();
  }

  #closed(side: 'client' | 'upstream'): void {
    if (side === 'client') this.#upstream?.destroy();
    else this.#client.destroy();
    this.#open = side === 'client' && !this.#upstream ? 0 : this.#open - 1;
    this.#wakeClosing();
    for (const key of [...this.#markers.keys()]) this.#settleMarker(key);
    if (this.#open <= 0) {
      this.#group.pending.delete(this.#id);
      this.#resolveDone();
    }
  }
}
