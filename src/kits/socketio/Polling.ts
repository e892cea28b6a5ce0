//
// The long-polling half of an Engine.IO session: packets wait in a queue for
// the client's next GET (one held at a time), and frames written in one tick
// leave in one response.
//
import type { ServerResponse } from 'node:http';
import { encodePayload, type EnginePacket } from './engineParser.js';

/** Called once the frame it belongs to is written (or failed). */
export type Callback = (err?: Error) => void;

/** The error of a write on a session that has ended. */
export const SESSION_CLOSED = new Error('the Engine.IO session is closed');

/** Answers a GET with packets, as a polling payload. */
function respond(response: ServerResponse, packets: readonly EnginePacket[], done?: (err?: Error) => void): void {
  if (response.writableEnded || response.destroyed) {
    done?.(SESSION_CLOSED);
    return;
  }
  const body = encodePayload(packets);
  response.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
  response.end(body, () => done?.());
}

export class Polling {
  /** The held GET. */
  #poll: ServerResponse | undefined;
  #posting = false;
  #queue: EnginePacket[] = [];
  #callbacks: Callback[] = [];
  #flushScheduled = false;

  /** Holds a GET until there is something to send; false when one is held already (the client overlaps). */
  hold(response: ServerResponse): boolean {
    if (this.#poll) return false;
    this.#poll = response;
    response.once('close', () => {
      if (this.#poll === response) this.#poll = undefined;
    });
    if (this.#queue.length > 0) this.#flush();
    return true;
  }

  /** Queues a packet for the held (or next) GET. */
  send(packet: EnginePacket, callback?: Callback): void {
    this.#queue.push(packet);
    if (callback) this.#callbacks.push(callback);
    if (this.#poll && !this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => {
        this.#flushScheduled = false;
        this.#flush();
      });
    }
  }

  /** Whether a POST is being read: a second one at once breaks the session. */
  beginPost(): boolean {
    if (this.#posting) return false;
    this.#posting = true;
    return true;
  }

  endPost(): void {
    this.#posting = false;
  }

  /**
   * Polling is over: the held GET gets `last` instead of the queue, and the
   * queued packets (noops left out) and their callbacks are handed back, for
   * the WebSocket that takes over, or to fail.
   */
  stop(last: EnginePacket): { packets: EnginePacket[]; callbacks: Callback[] } {
    if (this.#poll) respond(this.#poll, [last]);
    this.#poll = undefined;
    const taken = { packets: this.#queue.filter((p) => p.type !== 'noop'), callbacks: this.#callbacks };
    this.#queue = [];
    this.#callbacks = [];
    return taken;
  }

  /** Drops the held GET's socket (a terminate). */
  destroy(): void {
    this.#poll?.destroy();
    this.#poll = undefined;
  }

  #flush(): void {
    const poll = this.#poll;
    if (!poll || this.#queue.length === 0) return;
    this.#poll = undefined;
    const callbacks = this.#callbacks;
    respond(poll, this.#queue, (err) => {
      for (const callback of callbacks) callback(err);
    });
    this.#queue = [];
    this.#callbacks = [];
  }
}
