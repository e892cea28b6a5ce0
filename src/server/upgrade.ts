import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CompiledMock } from '../mocks/compile.js';
import type { Route } from '../mocks/MockRegistry.js';
import type { HandshakeRefusal, HandshakeRequest } from '../mocks/types.js';
import type { Mock } from '../mocks/Mock.js';
import { invalidVerifyResult } from '../errors.js';
import { WsAcceptor } from '../transport/ws.js';
import type { Transport } from '../transport/types.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { toError } from '../util/toError.js';
import type { HandshakeFault } from '../chaos/ServerChaos.js';
import { isPromiseLike } from '../util/promise.js';
import type { Connection } from '../connections/Connection.js';
import type { UpstreamReady } from '../proxy/dialer.js';
import { INVALID_TARGET_ERROR, targetPath } from './requestTarget.js';

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
  openCount(mock: Mock): number;
  rejected(info: RejectionInfo): void;
  /** A handshake hook failed (threw, or answered something else): reported as the server's `error`. */
  failed(error: Error, mock: Mock): void;
  /** `adopt`: what the connection takes over before its pipeline starts (a proxy mock's upstream). */
  accept(
    transport: Transport,
    request: IncomingMessage,
    mock: Mock,
    compiled: CompiledMock,
    params: Record<string, string>,
    adopt?: (connection: Connection) => void,
  ): void;
  /** What seeded chaos does to this handshake of `mock` (journaled and counted by the host), if anything. */
  chaos(mock: Mock): HandshakeFault | undefined;
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

function handshakeRequest(request: IncomingMessage, socket: Duplex, pathname: string): HandshakeRequest {
  const url = request.url ?? '/';
  const origin = request.headers.origin;
  return {
    url,
    path: pathname,
    query: Object.fromEntries(new URL(url, 'http://localhost').searchParams),
    headers: request.headers,
    origin: typeof origin === 'string' ? origin : undefined,
    remoteAddress: (socket as Duplex & { remoteAddress?: string }).remoteAddress ?? '',
  };
}

function isRefusal(value: unknown): value is HandshakeRefusal {
  if (typeof value !== 'object' || value === null) return false;
  const { status } = value as { status?: unknown };
  return Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599;
}

/** What a verifier answered: accept, refuse (with what), or a broken answer. */
type Verdict = { accept: true } | { accept: false; refusal: HandshakeRefusal } | { broken: Error };

function verdictOf(result: unknown): Verdict {
  if (result === true) return { accept: true };
  if (result === false) return { accept: false, refusal: { status: 401, body: { error: 'handshake_refused' } } };
  if (isRefusal(result)) return { accept: false, refusal: result };
  let shown: string;
  try {
    shown = JSON.stringify(result) ?? typeof result;
  } catch {
    // A BigInt, a cycle, a value nested past the stack: name its type.
    shown = typeof result;
  }
  return {
    broken: invalidVerifyResult(shown),
  };
}

/**
 * Routes HTTP upgrades to mocks and answers the refusals of SPEC §6:
 * unknown path 404, disabled mock 503, `maxConnections` 503, `handshake.verify`,
 * subprotocol 400, `handshake.status`. `handshake.delay` holds the handshake
 * first, and an async `handshake.verify` holds it while it decides.
 */
export class UpgradeHandler {
  #host: UpgradeHost;
  /** Handshakes held by a delay or an async verify, with what stops their wait. */
  #held = new Map<Duplex, () => void>();
  /** The held handshakes that wait for a proxy mock's upstream (a subset of `#held`). */
  #dialling = new Set<Duplex>();
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
    const pathname = targetPath(request.url);
    if (pathname === undefined) {
      const target = request.url ?? '';
      this.refuse(socket, target, 400, { error: INVALID_TARGET_ERROR, target });
      return;
    }
    const route = this.#host.route(pathname);
    const delay = route.kind === 'none' ? 0 : route.compiled.handshake.delay;
    // The mock may have changed while the handshake was held: route again.
    if (delay > 0) this.#hold(socket, delay, () => this.#decide(request, socket, head, pathname, this.#host.route(pathname)));
    else this.#decide(request, socket, head, pathname, route);
  }

  #hold(socket: Duplex, delay: number, then: () => void): void {
    const timer = realSetTimeout(() => {
      this.#held.delete(socket);
      if (!this.#host.running() || socket.destroyed) return;
      then();
    }, delay);
    this.#held.set(socket, () => realClearTimeout(timer));
    socket.once('close', () => {
      realClearTimeout(timer);
      this.#held.delete(socket);
    });
  }

  /**
   * Drops handshakes still held by `handshake.delay`, an async
   * `handshake.verify` or an upstream (server close); with `upstreamOnly`,
   * only those waiting for an upstream (server reset: their mocks are gone).
   */
  dropHeld(upstreamOnly = false): void {
    for (const [socket, stop] of this.#held) {
      if (upstreamOnly && !this.#dialling.has(socket)) continue;
      stop();
      socket.destroy();
      this.#held.delete(socket);
    }
    this.#dialling.clear();
  }

  /** Refuses a handshake: counted, emitted, answered. */
  refuse(socket: Duplex, pathname: string, status: number, body: Record<string, unknown> | string, mock?: Mock, headers?: Record<string, string>): void {
    const error = typeof body === 'string' ? 'handshake_refused' : String(body.error ?? 'handshake_refused');
    this.#host.rejected({ path: pathname, status, error, ...(mock ? { mockId: mock.id } : {}) });
    writeRefusal(socket, status, body, headers);
  }

  #decide(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string, route: Route, chaosDecided = false): void {
    if (route.kind === 'none') {
      this.refuse(socket, pathname, 404, { error: 'websocket_endpoint_not_found', path: pathname });
      return;
    }
    const mock = route.mock;
    if (route.kind === 'disabled') {
      this.refuse(socket, pathname, 503, { error: 'endpoint_disabled', path: pathname, mockId: mock.id }, mock);
      return;
    }
    if (!chaosDecided) {
      // Seeded chaos acts first, as the network would: a held or refused
      // handshake never reaches the mock's own rules.
      const fault = this.#host.chaos(mock);
      if (fault) {
        const refuseOrGo = () => {
          if (fault.refuse === undefined) this.#decide(request, socket, head, pathname, this.#host.route(pathname), true);
          else this.refuse(socket, pathname, fault.refuse, { error: 'chaos_refused', status: fault.refuse, mockId: mock.id }, mock);
        };
        if (fault.delay > 0) this.#hold(socket, fault.delay, refuseOrGo);
        else refuseOrGo();
        return;
      }
    }
    const { compiled } = route;
    if (compiled.handshake.status !== undefined) {
      const body = compiled.handshake.body ?? { error: 'handshake_refused', status: compiled.handshake.status };
      this.refuse(socket, pathname, compiled.handshake.status, body as Record<string, unknown>, mock, compiled.handshake.headers);
      return;
    }
    const verify = compiled.handshake.verify;
    if (!verify) {
      this.#verified(request, socket, head, pathname, route, { accept: true });
      return;
    }
    let result: unknown;
    try {
      result = verify(handshakeRequest(request, socket, pathname));
    } catch (err) {
      this.#verified(request, socket, head, pathname, route, { broken: toError(err) });
      return;
    }
    if (isPromiseLike(result)) {
      this.#holdVerify(request, socket, head, pathname, route, Promise.resolve(result));
      return;
    }
    this.#verified(request, socket, head, pathname, route, verdictOf(result));
  }

  /** Holds the handshake while an async verify decides; the client may leave, the server may close. */
  #holdVerify(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string, route: Route & { kind: 'mock' }, pending: Promise<unknown>): void {
    const onClose = () => this.#held.delete(socket);
    this.#held.set(socket, () => socket.off('close', onClose));
    socket.once('close', onClose);
    pending.then(verdictOf, (err: unknown) => ({ broken: toError(err) })).then((verdict: Verdict) => {
      if (!this.#held.has(socket)) return; // the client left, or the server closed
      this.#held.delete(socket);
      socket.off('close', onClose);
      if (!this.#host.running() || socket.destroyed) return;
      // The mock may have changed while verify ran: a different one decides afresh.
      const now = this.#host.route(pathname);
      if (now.kind !== 'mock' || now.mock !== route.mock) {
        this.#decide(request, socket, head, pathname, now);
        return;
      }
      this.#verified(request, socket, head, pathname, now, verdict);
    }).catch((err: unknown) => this.#lost(socket, route.mock, err));
  }

  /** What went wrong after a held handshake resumed is reported, and the handshake dropped: never a rejection nobody handles. */
  #lost(socket: Duplex, mock: Mock, err: unknown): void {
    this.#host.failed(toError(err), mock);
    socket.destroy();
  }

  #verified(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string, route: Route & { kind: 'mock' }, verdict: Verdict): void {
    const { mock } = route;
    if ('broken' in verdict) {
      this.#host.failed(verdict.broken, mock);
      this.refuse(socket, pathname, 500, { error: 'handshake_verify_failed', message: verdict.broken.message }, mock);
      return;
    }
    if (!verdict.accept) {
      const { status, headers, body } = verdict.refusal;
      this.refuse(socket, pathname, status, (body ?? { error: 'handshake_refused', status }) as Record<string, unknown>, mock, headers);
      return;
    }
    if (this.#host.openCount(mock) >= route.compiled.maxConnections) {
      this.refuse(socket, pathname, 503, { error: 'max_connections_reached', path: pathname, mockId: mock.id, maxConnections: route.compiled.maxConnections }, mock);
      return;
    }
    if (route.compiled.upstream) this.#holdUpstream(request, socket, head, pathname, route);
    else this.#upgrade(request, socket, head, pathname, route);
  }

  /**
   * A proxy mock: holds the handshake while the client's own upstream
   * connection opens. The upstream's refusal is the client's (its status), an
   * upstream that cannot be reached is 502; the client leaving or the server
   * closing abandons the upstream.
   */
  #holdUpstream(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string, route: Route & { kind: 'mock' }): void {
    const pending = route.compiled.upstream!(request, offeredProtocols(request));
    const onClose = () => {
      this.#held.delete(socket);
      this.#dialling.delete(socket);
      pending.abort();
    };
    this.#held.set(socket, () => {
      socket.off('close', onClose);
      pending.abort();
    });
    this.#dialling.add(socket);
    socket.once('close', onClose);
    pending.outcome.then((outcome) => {
      if (!this.#held.has(socket)) return; // the client left, or the server closed: already aborted
      this.#held.delete(socket);
      this.#dialling.delete(socket);
      socket.off('close', onClose);
      if (!this.#host.running() || socket.destroyed) {
        pending.abort();
        return;
      }
      if ('refusal' in outcome) {
        this.refuse(socket, pathname, outcome.refusal.status, outcome.refusal.body as Record<string, unknown>, route.mock);
        return;
      }
      // The mock may have changed while the upstream answered: a different one decides afresh.
      const now = this.#host.route(pathname);
      if (now.kind !== 'mock' || now.mock !== route.mock || now.compiled !== route.compiled) {
        outcome.ready.discard();
        this.#decide(request, socket, head, pathname, now);
        return;
      }
      this.#upgrade(request, socket, head, pathname, now, outcome.ready);
    }).catch((err: unknown) => this.#lost(socket, route.mock, err));
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string, route: Route & { kind: 'mock' }, upstream?: UpstreamReady): void {
    const { mock, compiled } = route;
    const offered = offeredProtocols(request);
    let chosen: string | undefined;
    if (upstream) {
      // A proxy: the upstream chose.
      chosen = upstream.protocol === '' ? undefined : upstream.protocol;
    } else if (typeof compiled.subprotocols === 'function') {
      let selected: string | false | undefined;
      try {
        selected = compiled.subprotocols(offered, handshakeRequest(request, socket, pathname));
      } catch (err) {
        const error = toError(err);
        this.#host.failed(error, mock);
        this.refuse(socket, pathname, 500, { error: 'subprotocol_selection_failed', message: error.message }, mock);
        return;
      }
      if (selected === false || (selected !== undefined && !offered.includes(selected))) {
        this.refuse(socket, pathname, 400, { error: 'subprotocol_not_supported', offered, ...(selected === false ? {} : { chosen: selected }) }, mock);
        return;
      }
      chosen = selected;
    } else {
      const supported = compiled.subprotocols;
      chosen = offered.find((p) => supported.includes(p));
    }
    if (compiled.requireSubprotocol && chosen === undefined) {
      const error = offered.length === 0 ? 'subprotocol_required' : 'subprotocol_not_supported';
      const supported = typeof compiled.subprotocols === 'function' ? {} : { supported: compiled.subprotocols };
      this.refuse(socket, pathname, 400, { error, offered, ...supported }, mock);
      return;
    }
    const options = {
      maxPayload: compiled.maxPayload,
      protocol: chosen,
      headers: compiled.handshake.headers,
      invalid: (error: Error, invalidSocket: Duplex) =>
        this.refuse(invalidSocket, pathname, 400, { error: 'invalid_handshake', message: error.message }, mock),
    };
    this.#acceptor.accept(request, socket, head, options, (transport) =>
      this.#host.accept(transport, request, mock, compiled, route.params, upstream && ((connection) => upstream.adopt(connection))),
    );
    // ws accepts (or refuses) synchronously: an upstream nobody adopted is closed.
    upstream?.discard();
  }
}
