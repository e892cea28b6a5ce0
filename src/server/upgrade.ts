import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CompiledMock } from '../mocks/compile.js';
import type { Route } from '../mocks/MockRegistry.js';
import type { WebSocketMock } from '../mocks/WebSocketMock.js';
import { WsAcceptor } from '../transport/ws.js';
import type { Transport } from '../transport/types.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';

/** Why a handshake was refused, as emitted in the `rejected` event. */
export interface RejectionInfo {
  /** The requested path. */
  path: string;
  /** The HTTP status sent. */
  status: number;
  /** The machine-readable reason, e.g. `websocket_endpoint_not_found`. */
  error: string;
  /** The mock that refused, when one did. */
  mockId?: string;
}

/** What the upgrade handler needs from the server. */
export interface UpgradeHost {
  running(): boolean;
  route(pathname: string): Route;
  /** Open connections of a mock, against its `maxConnections`. */
  openCount(mock: WebSocketMock): number;
  rejected(info: RejectionInfo): void;
  accept(transport: Transport, request: IncomingMessage, mock: WebSocketMock, compiled: CompiledMock, params: Record<string, string>): void;
}

/** Writes an HTTP refusal on a socket that asked to upgrade, then closes it. */
export function writeRefusal(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    `Content-Type: ${type}`,
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return [];
  return header.split(',').map((p) => p.trim()).filter(Boolean);
}

/**
 * Routes HTTP upgrades to mocks and answers the refusals of SPEC §6:
 * unknown path 404, disabled mock 503, `maxConnections` 503, subprotocol 400,
 * `handshake.status`. `handshake.delay` holds the handshake first.
 */
export class UpgradeHandler {
  #host: UpgradeHost;
  #held = new Map<Duplex, NodeJS.Timeout>();
  #acceptor = new WsAcceptor();

  constructor(host: UpgradeHost) {
    this.#host = host;
  }

  handle(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client that resets mid-handshake must not crash the server. A plain
    // function, not a closure: a closure here would keep this handshake's
    // request and head buffer alive for the life of the connection.
    socket.on('error', destroySocket);
    if (!this.#host.running()) {
      socket.destroy();
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = this.#host.route(pathname);
    const delay = route.kind === 'none' ? 0 : route.compiled.handshake.delay;
    if (delay > 0) this.#hold(request, socket, head, pathname, delay);
    else this.#decide(request, socket, head, pathname, route);
  }

  #hold(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string, delay: number): void {
    const timer = realSetTimeout(() => {
      this.#held.delete(socket);
      if (!this.#host.running() || socket.destroyed) return;
      // The mock may have changed while the handshake was held: route again.
      this.#decide(request, socket, head, pathname, this.#host.route(pathname));
    }, delay);
    this.#held.set(socket, timer);
    socket.once('close', () => {
      realClearTimeout(timer);
      this.#held.delete(socket);
    });
  }

  /** Drops handshakes still held by `handshake.delay` (server close). */
  dropHeld(): void {
    for (const [socket, timer] of this.#held) {
      realClearTimeout(timer);
      socket.destroy();
    }
    this.#held.clear();
  }

  /** Refuses a handshake: counted, emitted, answered. */
  refuse(socket: Duplex, pathname: string, status: number, body: Record<string, unknown> | string, mock?: WebSocketMock, headers?: Record<string, string>): void {
    const error = typeof body === 'string' ? 'handshake_refused' : String(body.error ?? 'handshake_refused');
    this.#host.rejected({ path: pathname, status, error, ...(mock ? { mockId: mock.id } : {}) });
    writeRefusal(socket, status, body, headers);
  }

  #decide(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string, route: Route): void {
    if (route.kind === 'none') {
      this.refuse(socket, pathname, 404, { error: 'websocket_endpoint_not_found', path: pathname });
      return;
    }
    const mock = route.mock;
    if (route.kind === 'disabled') {
      this.refuse(socket, pathname, 503, { error: 'endpoint_disabled', path: pathname, mockId: mock.id }, mock);
      return;
    }
    const { compiled } = route;
    if (compiled.handshake.status !== undefined) {
      const body = compiled.handshake.body ?? { error: 'handshake_refused', status: compiled.handshake.status };
      this.refuse(socket, pathname, compiled.handshake.status, body as Record<string, unknown>, mock, compiled.handshake.headers);
      return;
    }
    if (this.#host.openCount(mock) >= compiled.maxConnections) {
      this.refuse(socket, pathname, 503, { error: 'max_connections_reached', path: pathname, mockId: mock.id, maxConnections: compiled.maxConnections }, mock);
      return;
    }
    const offered = offeredProtocols(request);
    const chosen = offered.find((p) => compiled.subprotocols.includes(p));
    if (compiled.requireSubprotocol && chosen === undefined) {
      const error = offered.length === 0 ? 'subprotocol_required' : 'subprotocol_not_supported';
      this.refuse(socket, pathname, 400, { error, offered, supported: compiled.subprotocols }, mock);
      return;
    }
    const options = {
      maxPayload: compiled.maxPayload,
      protocol: chosen,
      headers: compiled.handshake.headers,
      invalid: (error: Error, invalidSocket: Duplex) =>
        this.refuse(invalidSocket, pathname, 400, { error: 'invalid_handshake', message: error.message }, mock),
    };
    this.#acceptor.accept(request, socket, head, options, (transport) => this.#host.accept(transport, request, mock, compiled, route.params));
  }
}
