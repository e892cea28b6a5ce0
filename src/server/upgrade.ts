//
// The upgrade's decision chain: route → refusals of SPEC §6 → the layers'
// `route` steps (chaos) → the mock's own rules (`handshake.status`,
// `handshake.verify`, `maxConnections`) → the layers' `accepted` steps (a
// proxy's dial) → subprotocol → transport. The pieces live beside it, as `ws`
// splits its files: refusal.ts (the JSON HTTP refusals), verify.ts (what a
// verifier sees and answers), subprotocol.ts (the choice), held.ts (one
// mechanism for every handshake held: a delay, an async verify, a layer's).
//
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Connection } from '../connections/Connection.js';
import type { Adoption, HandshakeContext, HandshakeHook, HookRefusal, HookVerdict } from '../layers/layer.js';
import type { CompiledMock } from '../mocks/compile.js';
import type { Mock } from '../mocks/Mock.js';
import type { Route } from '../mocks/MockRegistry.js';
import { WsAcceptor } from '../transport/ws.js';
import type { Transport } from '../transport/types.js';
import { isPromiseLike } from '../util/promise.js';
import { toError } from '../util/toError.js';
import { delayWait, HeldHandshakes } from './held.js';
import { refusalError, writeRefusal, type RejectionInfo } from './refusal.js';
import { INVALID_TARGET_ERROR, targetPath } from './requestTarget.js';
import { chooseSubprotocol, offeredProtocols } from './subprotocol.js';
import { handshakeRequest, verdictOf, type Verdict } from './verify.js';

export type { RejectionInfo };

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
  /** The layers' steps of the chain, in the server's layer order. */
  readonly hooks: readonly HandshakeHook[];
}

/** One handshake on its way through the chain. */
interface Upgrade {
  readonly request: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly pathname: string;
}

type MockRoute = Route & { kind: 'mock' };

function destroySocket(this: Duplex): void {
  this.destroy();
}

/**
 * Routes HTTP upgrades to mocks and answers the refusals of SPEC §6:
 * unknown path 404, disabled mock 503, `maxConnections` 503, `handshake.verify`,
 * subprotocol 400, `handshake.status`. `handshake.delay` holds the handshake
 * first, an async `handshake.verify` holds it while it decides, and a layer's
 * step may hold it too.
 */
export class UpgradeHandler {
  readonly #host: UpgradeHost;
  readonly #held: HeldHandshakes;
  readonly #before: readonly HandshakeHook[];
  readonly #after: readonly HandshakeHook[];
  readonly #acceptor = new WsAcceptor();

  constructor(host: UpgradeHost) {
    this.#host = host;
    this.#held = new HeldHandshakes(() => host.running());
    this.#before = host.hooks.filter((hook) => hook.at === 'route');
    this.#after = host.hooks.filter((hook) => hook.at === 'accepted');
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
    const upgrade: Upgrade = { request, socket, head, pathname };
    const route = this.#host.route(pathname);
    if (route.kind === 'none' || route.compiled.handshake.delay === 0) {
      this.#decide(upgrade, route);
      return;
    }
    // The mock may have changed while the handshake was held: route again.
    const { mock } = route;
    this.#held.hold(socket, delayWait(route.compiled.handshake.delay), () => this.#decide(upgrade, this.#host.route(pathname)), (err) => this.#lost(socket, mock, err));
  }

  /**
   * Drops handshakes still held (server close); with `resetOnly`, those
   * waiting on something a reset removes (an upstream: their mocks are gone).
   */
  dropHeld(resetOnly = false): void {
    this.#held.drop(resetOnly);
  }

  /** Refuses a handshake: counted, emitted, answered. */
  refuse(socket: Duplex, pathname: string, status: number, body: Record<string, unknown> | string, mock?: Mock, headers?: Record<string, string>): void {
    this.#host.rejected({ path: pathname, status, error: refusalError(body), ...(mock ? { mockId: mock.id } : {}) });
    writeRefusal(socket, status, body, headers);
  }

  #refuseWith(upgrade: Upgrade, refusal: HookRefusal, mock: Mock): void {
    this.refuse(upgrade.socket, upgrade.pathname, refusal.status, refusal.body, mock, refusal.headers);
  }

  #context(upgrade: Upgrade, route: MockRoute): HandshakeContext {
    return { request: upgrade.request, mock: route.mock, compiled: route.compiled, offered: offeredProtocols(upgrade.request) };
  }

  /** From the route on; `from`: the first layer step still to run (the ones before it decided already). */
  #decide(upgrade: Upgrade, route: Route, from = 0): void {
    const { socket, pathname } = upgrade;
    if (route.kind === 'none') {
      this.refuse(socket, pathname, 404, { error: 'websocket_endpoint_not_found', path: pathname });
      return;
    }
    const mock = route.mock;
    if (route.kind === 'disabled') {
      this.refuse(socket, pathname, 503, { error: 'endpoint_disabled', path: pathname, mockId: mock.id }, mock);
      return;
    }
    // The layers' first steps act before the mock's own rules, as the network
    // would: a held or refused handshake never reaches them.
    for (let i = from; i < this.#before.length; i++) {
      const answer = this.#before[i]!.decide(this.#context(upgrade, route));
      if (answer === undefined) continue;
      if ('hold' in answer) {
        const resume = (verdict: HookVerdict) => {
          if (verdict && 'refuse' in verdict) this.#refuseWith(upgrade, verdict.refuse, mock);
          else this.#decide(upgrade, this.#host.route(pathname), i + 1);
        };
        this.#held.hold(socket, answer.hold, resume, (err) => this.#lost(socket, mock, err));
        return;
      }
      if ('refuse' in answer) {
        this.#refuseWith(upgrade, answer.refuse, mock);
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
      this.#verified(upgrade, route, { accept: true });
      return;
    }
    let result: unknown;
    try {
      result = verify(handshakeRequest(upgrade.request, socket, pathname));
    } catch (err) {
      this.#verified(upgrade, route, { broken: toError(err) });
      return;
    }
    if (!isPromiseLike(result)) {
      this.#verified(upgrade, route, verdictOf(result));
      return;
    }
    // Held while an async verify decides; the client may leave, the server may close.
    const outcome = Promise.resolve(result).then(verdictOf, (err: unknown): Verdict => ({ broken: toError(err) }));
    this.#held.hold(
      socket,
      { outcome },
      (verdict) => {
        // The mock may have changed while verify ran: a different one decides afresh.
        const now = this.#host.route(pathname);
        if (now.kind !== 'mock' || now.mock !== route.mock) this.#decide(upgrade, now);
        else this.#verified(upgrade, now, verdict);
      },
      (err) => this.#lost(socket, mock, err),
    );
  }

  /** What went wrong after a held handshake resumed is reported, and the handshake dropped: never a rejection nobody handles. */
  #lost(socket: Duplex, mock: Mock, err: unknown): void {
    this.#host.failed(toError(err), mock);
    socket.destroy();
  }

  #verified(upgrade: Upgrade, route: MockRoute, verdict: Verdict): void {
    const { socket, pathname } = upgrade;
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
    this.#accepted(upgrade, route, 0, undefined);
  }

  /** The mock accepted: the layers' last steps (a proxy dials its upstream), then the upgrade. */
  #accepted(upgrade: Upgrade, route: MockRoute, from: number, adoption: Adoption | undefined): void {
    for (let i = from; i < this.#after.length; i++) {
      const answer = this.#after[i]!.decide(this.#context(upgrade, route));
      if (answer === undefined) continue;
      if ('refuse' in answer) {
        adoption?.discard();
        this.#refuseWith(upgrade, answer.refuse, route.mock);
        return;
      }
      if ('adopt' in answer) {
        adoption = answer.adopt;
        continue;
      }
      const held = adoption;
      this.#held.hold(
        upgrade.socket,
        answer.hold,
        (verdict) => {
          if (verdict && 'refuse' in verdict) {
            held?.discard();
            this.#refuseWith(upgrade, verdict.refuse, route.mock);
            return;
          }
          const next = verdict?.adopt ?? held;
          // The mock may have changed while the handshake was held: a different one decides afresh.
          const now = this.#host.route(upgrade.pathname);
          if (now.kind !== 'mock' || now.mock !== route.mock || now.compiled !== route.compiled) {
            held?.discard();
            verdict?.adopt.discard();
            this.#decide(upgrade, now);
            return;
          }
          this.#accepted(upgrade, now, i + 1, next);
        },
        (err) => {
          held?.discard();
          this.#lost(upgrade.socket, route.mock, err);
        },
      );
      return;
    }
    this.#upgrade(upgrade, route, adoption);
  }

  #upgrade(upgrade: Upgrade, route: MockRoute, adoption: Adoption | undefined): void {
    const { request, socket, head, pathname } = upgrade;
    const { mock, compiled } = route;
    const choice = chooseSubprotocol(compiled, offeredProtocols(request), () => handshakeRequest(request, socket, pathname), adoption);
    if ('refuse' in choice) {
      if (choice.failed) this.#host.failed(choice.failed, mock);
      adoption?.discard();
      this.#refuseWith(upgrade, choice.refuse, mock);
      return;
    }
    const options = {
      maxPayload: compiled.maxPayload,
      protocol: choice.chosen,
      headers: compiled.handshake.headers,
      invalid: (error: Error, invalidSocket: Duplex) =>
        this.refuse(invalidSocket, pathname, 400, { error: 'invalid_handshake', message: error.message }, mock),
    };
    this.#acceptor.accept(request, socket, head, options, (transport) =>
      this.#host.accept(transport, request, mock, compiled, route.params, adoption && ((connection) => adoption.adopt(connection))),
    );
    // ws accepts (or refuses) synchronously: an adoption nobody took is released.
    adoption?.discard();
  }
}
