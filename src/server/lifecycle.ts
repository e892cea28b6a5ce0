//
// A server's lifecycle: its state (`starting → running → closing → closed`),
// its listener and certificate, its admin listener, and the order in which
// start, reset and close reach the parts (assemble.ts). MockServer.ts, the
// facade, asks; the order is decided here.
//
import type { EventEmitter } from 'eventemitter3';
import { serverClosedDuringWait, serverNotListening, serverNotRunning } from '../errors.js';
import { groupOf } from '../mocks/Mock.js';
import { CloseCode } from '../util/closeCodes.js';
import { AdminSlot } from './adminSlot.js';
import type { ServerParts } from './assemble.js';
import type { MockServerEvents, ServerState } from './events.js';
import { answerRequest } from './httpRequest.js';
import { listen, type Listener } from './listener.js';
import type { ResolvedOptions } from './options.js';
import { tlsMaterial, type TlsMaterial } from './tls.js';

/** The state of one server and the steps that change it. */
export class Lifecycle {
  /** The admin listener (`server.listenAdmin()`), stopped by `close()`. */
  readonly admin = new AdminSlot();
  readonly #server: EventEmitter<MockServerEvents>;
  readonly #parts: ServerParts;
  readonly #options: ResolvedOptions;
  #state: ServerState = 'starting';
  #listener: Listener | undefined;
  #closing: Promise<void> | undefined;
  /** The certificate of the server's TLS listeners: made at start with `tls`, or for the admin listener's `tls: true`. */
  #tls: TlsMaterial | undefined;

  constructor(server: EventEmitter<MockServerEvents>, parts: ServerParts, options: ResolvedOptions) {
    this.#server = server;
    this.#parts = parts;
    this.#options = options;
  }

  get state(): ServerState {
    return this.#state;
  }

  /** The mock port's listener; throws `WSMOCK_ERR_SERVER_CLOSED` before the server listens. */
  get listener(): Listener {
    if (!this.#listener) {
      throw serverNotListening();
    }
    return this.#listener;
  }

  /** The server's certificate, if it has one. */
  get tls(): TlsMaterial | undefined {
    return this.#tls;
  }

  /** The server's certificate, made now when it has none (the admin listener's `tls: true`). */
  async certificate(): Promise<TlsMaterial> {
    // `tlsMaterial(true)` always makes one.
    return (this.#tls ??= (await tlsMaterial(true))!);
  }

  /** Throws `WSMOCK_ERR_SERVER_CLOSED` naming `action` once the server closes. */
  assertOpen(action: string): void {
    if (this.#state === 'closing' || this.#state === 'closed') {
      throw serverNotRunning(action, this.#state);
    }
  }

  /** Makes the certificate (with `tls`) and binds the mock port: upgrades and plain requests go to the parts. */
  async start(): Promise<void> {
    const { host, port } = this.#options;
    const tls = (this.#tls = await tlsMaterial(this.#options.tls));
    const { requests, upgrades } = this.#parts;
    this.#listener = await listen({
      ...(tls ? { tls } : {}),
      host,
      port,
      what: 'listen',
      request: (req, res) => answerRequest(requests, req, res),
      upgrade: (req, socket, head) => upgrades.handle(req, socket, head),
    });
    this.#state = 'running';
  }

  /** `server.reset()`: every connection closed with 1012, the mocks removed, then what the layers, the manager and the counters keep. */
  async reset(): Promise<void> {
    this.assertOpen('reset');
    const { upgrades, manager, registry, layers, counters } = this.#parts;
    upgrades.dropHeld(true);
    await manager.closeForReset(CloseCode.SERVICE_RESTART, 'server reset');
    await registry.clear();
    // What the layers keep goes back to how the server started (the proxy's
    // upstream sockets gone, chaos back to the option, recordings forgotten).
    await layers.reset();
    manager.clear();
    counters.reset();
    this.#server.emit('reset');
  }

  /** `server.close()`: once, however often it is called. */
  close(): Promise<void> {
    return (this.#closing ??= this.#shutdown());
  }

  async #shutdown(): Promise<void> {
    this.#state = 'closing';
    this.#server.emit('closing');
    const { upgrades, manager, registry, layers } = this.#parts;
    // Stop listening first: no connection is accepted while the others close,
    // and the port is free for the next server when close() resolves.
    this.#listener?.stop();
    upgrades.dropHeld();
    await manager.closeAll(manager.all.open, CloseCode.GOING_AWAY, 'server shutdown');
    await layers.close();
    manager.abortWaits(serverClosedDuringWait());
    for (const mock of registry.list()) {
      groupOf(mock).waits.abortAll(serverClosedDuringWait(mock.id));
    }
    await this.#listener?.close();
    await this.admin.close();
    this.#state = 'closed';
  }
}
