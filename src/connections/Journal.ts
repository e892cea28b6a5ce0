//
// A connection's journal: every frame, both directions, recorded once.
// `conn.messages`, `conn.received` and `mock.messages` are views of it, and
// `waitForMessage` reads it through a cursor.
//
// With a limit the oldest frames are dropped first, inbound frames that no
// wait has reached included (a journal that kept them would grow without
// bound on a connection nobody waits on). A wait that finds its frames gone
// says how many were dropped.
//
import type { FrameMessage } from './Message.js';

/** The directions a wait reads: what the client sent, and (proxy mocks) what the upstream sent. */
export type ReadDirection = 'in' | 'upstream-in';

/** Where the waits of one direction stand. */
class Cursor {
  /** Absolute position of the first frame `take` has not looked at. */
  position = 0;
  /** Frames of this direction dropped before `take` reached them. */
  lostUnread = 0;
}

export class Journal {
  readonly #limit: number;
  #entries: FrameMessage[] = [];
  /** Index in `#entries` of the oldest frame kept. */
  #head = 0;
  /** Frames dropped so far: the absolute position of `#entries[#head]`. */
  #dropped = 0;
  readonly #in = new Cursor();
  /** Made for the first upstream frame (proxy mocks only). */
  #upstream: Cursor | undefined;

  /** `limit`: the most frames kept (Infinity: all). */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Records a frame, dropping the oldest beyond the limit. */
  push(message: FrameMessage): void {
    this.#entries.push(message);
    if (this.#entries.length - this.#head > this.#limit) this.#dropOldest();
  }

  #cursor(direction: string): Cursor | undefined {
    if (direction === 'in') return this.#in;
    return direction === 'upstream-in' ? (this.#upstream ??= new Cursor()) : undefined;
  }

  #dropOldest(): void {
    const message = this.#entries[this.#head]!;
    const cursor = this.#cursor(message.direction);
    if (cursor && this.#dropped >= cursor.position) cursor.lostUnread++;
    this.#head++;
    this.#dropped++;
    if (this.#in.position < this.#dropped) this.#in.position = this.#dropped;
    if (this.#upstream && this.#upstream.position < this.#dropped) this.#upstream.position = this.#dropped;
    // Compact now and then: amortised O(1) per frame, at most twice the limit held.
    if (this.#head >= this.#limit && this.#head >= 1024) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Every frame kept, oldest first. */
  all(): FrameMessage[] {
    return this.#entries.slice(this.#head);
  }

  /** Frames kept of one direction (default: inbound), oldest first. */
  inbound(direction: ReadDirection = 'in'): FrameMessage[] {
    const out: FrameMessage[] = [];
    for (let i = this.#head; i < this.#entries.length; i++) if (this.#entries[i]!.direction === direction) out.push(this.#entries[i]!);
    return out;
  }

  /** Frames of `direction` that `take` has not reached yet. */
  unread(direction: ReadDirection = 'in'): FrameMessage[] {
    const out: FrameMessage[] = [];
    for (let i = this.#cursor(direction)!.position - this.#dropped + this.#head; i < this.#entries.length; i++) {
      if (this.#entries[i]!.direction === direction) out.push(this.#entries[i]!);
    }
    return out;
  }

  /**
   * The first frame of `direction` (default: inbound) after its cursor that
   * satisfies `test`; the cursor moves past it (frames skipped on the way are
   * consumed too). Each direction has its own cursor.
   */
  take(test: (message: FrameMessage) => boolean, direction: ReadDirection = 'in'): FrameMessage | undefined {
    const cursor = this.#cursor(direction)!;
    for (let i = cursor.position - this.#dropped + this.#head; i < this.#entries.length; i++) {
      const message = this.#entries[i]!;
      if (message.direction === direction && test(message)) {
        cursor.position = this.#dropped + (i - this.#head) + 1;
        return message;
      }
    }
    return undefined;
  }

  /** Frames of `direction` the limit dropped before any wait reached them. */
  lost(direction: ReadDirection = 'in'): number {
    return this.#cursor(direction)!.lostUnread;
  }

  /** Inbound frames the limit dropped before any wait reached them. */
  get lostUnread(): number {
    return this.#in.lostUnread;
  }

  /** The most frames kept. */
  get limit(): number {
    return this.#limit;
  }
}
