//
// conn.ping(): pings in flight on one connection, each settled by the pong
// that echoes its payload. A client answers a ping after every frame sent
// before it, so a pong proves the client has received them. Made on the
// first ping: most connections are never pinged. Timeouts run on the real clock.
//
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { WsMockError, pongTimedOut } from '../errors.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { quietWait } from '../util/promise.js';

/** The largest control frame payload (RFC 6455 §5.5). */
export const MAX_PING_PAYLOAD = 125;

interface Pending {
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout;
  resolve(ms: number): void;
  reject(error: WsMockError): void;
}

export class Pings {
  /** Pending pings by payload (hex), oldest first: the same payload may be in flight twice. */
  readonly #pending = new Map<string, Pending[]>();

  /** Payloads for pings sent without data: unique per connection. */
  static payload(): Buffer {
    return randomBytes(8);
  }

  /** Tracks a ping carrying `payload`; resolves with the round trip in ms when its pong arrives. */
  track(payload: Buffer, timeout: number, describe: () => string): Promise<number> {
    const key = payload.toString('hex');
    // Marked handled: a ping nobody awaits, failed by the close reset() makes, is no unhandled rejection.
    return quietWait(() => new Promise<number>((resolve, reject) => {
      const entry: Pending = {
        startedAt: performance.now(),
        timer: realSetTimeout(() => {
          this.#remove(key, entry);
          reject(pongTimedOut(timeout, describe()));
        }, timeout),
        resolve,
        reject,
      };
      const list = this.#pending.get(key);
      if (list) list.push(entry);
      else this.#pending.set(key, [entry]);
    }));
  }

  /** A pong arrived: settles the oldest ping with that payload (other pongs, e.g. unsolicited ones, are ignored). */
  pong(data: Buffer): void {
    const key = data.toString('hex');
    const entry = this.#pending.get(key)?.[0];
    if (!entry) return;
    this.#remove(key, entry);
    realClearTimeout(entry.timer);
    entry.resolve(performance.now() - entry.startedAt);
  }

  /** The connection closed: every pending ping fails with `error`. */
  fail(error: () => WsMockError): void {
    for (const list of this.#pending.values()) {
      for (const entry of list) {
        realClearTimeout(entry.timer);
        entry.reject(error());
      }
    }
    this.#pending.clear();
  }

  #remove(key: string, entry: Pending): void {
    const list = this.#pending.get(key);
    if (!list) return;
    const at = list.indexOf(entry);
    if (at !== -1) list.splice(at, 1);
    if (list.length === 0) this.#pending.delete(key);
  }
}
