//
// Keeping a connection honest: the idle timeout (no data frame for that
// long closes it with 1001 "idle timeout") and the heartbeat (a ping every
// interval; no pong within the timeout closes it with 1001 "ping timeout").
// Made only for connections whose mock asks for either. Every timer runs on
// the real clock, so fake timers in a test do not stall or fire them.
//
import type { Transport } from '../transport/types.js';
import { realClearInterval, realClearTimeout, realSetInterval, realSetTimeout } from '../util/clock.js';
import { CloseCode } from '../util/closeCodes.js';

/** What the timers act on. */
interface Closable {
  readonly isOpen: boolean;
  close(options: { code: number; reason: string }): Promise<unknown>;
}

export class Liveness {
  readonly #connection: Closable;
  readonly #transport: Transport;
  #idleTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #pongTimer: NodeJS.Timeout | undefined;

  constructor(
    connection: Closable,
    transport: Transport,
    settings: { idleTimeout: number | undefined; heartbeat: { interval: number; timeout: number } | undefined },
  ) {
    this.#connection = connection;
    this.#transport = transport;
    const { idleTimeout, heartbeat } = settings;
    if (idleTimeout !== undefined) {
      this.#idleTimer = realSetTimeout(() => this.#close('idle timeout'), idleTimeout);
    }
    if (heartbeat !== undefined) {
      this.#heartbeatTimer = realSetInterval(() => {
        if (this.#pongTimer || !this.#connection.isOpen) return;
        this.#transport.ping();
        this.#pongTimer = realSetTimeout(() => this.#close('ping timeout'), heartbeat.timeout);
      }, heartbeat.interval);
    }
  }

  /** A data frame went either way: the idle timeout starts again. */
  touch(): void {
    this.#idleTimer?.refresh();
  }

  /** The peer answered the ping. */
  pong(): void {
    if (this.#pongTimer) realClearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
  }

  /** The connection closed: stop every timer. */
  stop(): void {
    if (this.#idleTimer) realClearTimeout(this.#idleTimer);
    if (this.#pongTimer) realClearTimeout(this.#pongTimer);
    if (this.#heartbeatTimer) realClearInterval(this.#heartbeatTimer);
    this.#idleTimer = this.#pongTimer = this.#heartbeatTimer = undefined;
  }

  #close(reason: string): void {
    void this.#connection.close({ code: CloseCode.GOING_AWAY, reason });
  }
}
