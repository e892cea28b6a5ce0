//
// Held handshakes: one mechanism for every wait between a client's upgrade
// request and the answer (`handshake.delay`, an async `handshake.verify`, a
// layer's hold: a chaos delay, a proxy's upstream dial). While held, the
// client may leave (the wait is aborted) and the server may close or reset
// (the handshake is dropped); a wait that settles after either is ignored.
//
import type { Duplex } from 'node:stream';
import type { HeldWait } from '../layers/layer.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';

interface Held {
  /** Stops listening and releases what the wait holds. */
  release(): void;
  readonly dropOnReset: boolean;
}

/** A wait of `ms` on the real clock, as a hold. */
export function delayWait(ms: number): HeldWait<void> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = new Promise<void>((resolve) => {
    timer = realSetTimeout(resolve, ms);
  });
  return { outcome, abort: () => realClearTimeout(timer) };
}

/** The handshakes a server holds. */
export class HeldHandshakes {
  readonly #held = new Map<Duplex, Held>();
  readonly #running: () => boolean;

  constructor(running: () => boolean) {
    this.#running = running;
  }

  /**
   * Holds `socket` until `wait` settles, then runs `resume` with its outcome,
   * unless the client left or the server stopped meanwhile. What goes wrong
   * (the wait rejects, `resume` throws) reaches `lost`.
   */
  hold<T>(socket: Duplex, wait: HeldWait<T>, resume: (value: T) => void, lost: (err: unknown) => void): void {
    const onClose = () => {
      this.#held.delete(socket);
      wait.abort?.();
    };
    const entry: Held = {
      release: () => {
        socket.off('close', onClose);
        wait.abort?.();
      },
      dropOnReset: wait.dropOnReset ?? false,
    };
    this.#held.set(socket, entry);
    socket.once('close', onClose);
    wait.outcome
      .then((value) => {
        if (this.#held.get(socket) !== entry) return; // the client left, or the server dropped it
        this.#held.delete(socket);
        socket.off('close', onClose);
        if (!this.#running() || socket.destroyed) {
          wait.abort?.();
          return;
        }
        resume(value);
      })
      .catch(lost);
  }

  /** Drops the held handshakes (server close); with `resetOnly`, those `reset()` drops (their mocks are gone). */
  drop(resetOnly = false): void {
    for (const [socket, held] of this.#held) {
      if (resetOnly && !held.dropOnReset) continue;
      held.release();
      socket.destroy();
      this.#held.delete(socket);
    }
  }
}
