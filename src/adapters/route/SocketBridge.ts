//
// One page WebSocket carried to the mock server. Playwright's
// `ws.connectToServer()` opens the page's own URL from the page, which is the
// production host the test wants to avoid; the bridge instead opens a real `ws`
// client from Node to the mock server (the page's path and query, its
// subprotocols) and pipes frames and closes both ways. The mock sees an
// ordinary connection, so everything a mock does applies.
//
// The page's socket opens when the mock server's handshake does: the route
// handler waits for the upstream's `open` before it returns (Playwright opens
// the page's socket after the handler, unless it was closed). A refused or
// failed handshake closes the page's socket first, with 1006 (failShim.ts
// makes that the browser's error + close).
//
import WebSocket from 'ws';
import type { WebSocketRoute } from '@playwright/test';
import { ABNORMAL_CLOSURE } from './failShim.js';

/** Where a bridge dials: the mock server's URL for this socket, and the CA of a `tls` server. */
export interface UpstreamTarget {
  url: string;
  ca?: string;
}

/** A page socket and the `ws` client carrying it; owned by the set it is in until both ends are closed. */
export class SocketBridge {
  readonly #route: WebSocketRoute;
  readonly #upstream: WebSocket;
  /** Whether the page's socket was told it is closed (the page ends its close when the mock answers it). */
  #pageClosed = false;
  #pageClosing: Promise<void> = Promise.resolve();

  private constructor(route: WebSocketRoute, target: UpstreamTarget, owner: Set<SocketBridge>) {
    this.#route = route;
    this.#upstream = new WebSocket(target.url, route.protocols(), target.ca ? { ca: target.ca } : {});
    owner.add(this);
    this.#upstream.on('close', (code, reason) => {
      owner.delete(this);
      this.#closePage(code, reason.toString());
    });
    // Errors end in `close` (1006); the handshake's is read by open().
    this.#upstream.on('error', () => undefined);
    this.#upstream.on('message', (data, isBinary) => {
      if (this.#pageClosed) return;
      const buffer = data as Buffer; // binaryType 'nodebuffer'
      route.send(isBinary ? buffer : buffer.toString('utf8'));
    });
    route.onMessage((message) => {
      if (this.#upstream.readyState === WebSocket.OPEN) this.#upstream.send(message);
    });
    // The page asked to close (or went away): the mock's answering close ends the page's side.
    route.onClose((code, reason) => this.close(code, reason));
  }

  /**
   * Carries `route` to `target`: resolves once the mock server accepted the
   * handshake (the page's socket then opens), or once the page's socket was
   * failed because it refused (or could not be reached).
   */
  static async open(route: WebSocketRoute, target: UpstreamTarget, owner: Set<SocketBridge>): Promise<void> {
    const bridge = new SocketBridge(route, target, owner);
    const upstream = bridge.#upstream;
    await new Promise<void>((resolve) => {
      const settle = (): void => {
        upstream.off('open', settle);
        upstream.off('close', settle);
        resolve();
      };
      upstream.on('open', settle);
      upstream.on('close', settle);
    });
    // The page's socket must be closed before the handler returns, or Playwright opens it.
    await bridge.#pageClosing;
  }

  /** Closes the upstream with the page's code and reason (none: 1005 at the mock), or at once while it is still dialling. */
  close(code?: number, reason?: string): void {
    const upstream = this.#upstream;
    if (upstream.readyState === WebSocket.CONNECTING) return void upstream.terminate();
    if (upstream.readyState !== WebSocket.OPEN) return;
    if (code === undefined) upstream.close();
    else upstream.close(code, reason);
  }

  #closePage(code: number, reason: string): void {
    if (this.#pageClosed) return;
    this.#pageClosed = true;
    // A close without a close frame (a refused or dropped connection) is 1006 for the page, as in a browser.
    this.#pageClosing = this.#route.close({ code, reason: code === ABNORMAL_CLOSURE ? '' : reason });
  }
}
