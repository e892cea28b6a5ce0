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

export class Journal {
  readonly #limit: number;
  #entries: FrameMessage[] = [];
  /** Index in `#entries` of the oldest frame kept. */
  #head = 0;
  /** Frames dropped so far: the absolute position of `#entries[#head]`. */
  #dropped = 0;
  /** Absolute position of the first frame `take` has not looked at. */
  #cursor = 0;
  /** Inbound frames dropped before `take` reached them. */
  #lostUnread = 0;

  /** `limit`: the most frames kept (Infinity: all). */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Records a frame, dropping the oldest beyond the limit. */
  push(message: FrameMessage): void {
    this.#entries.push(message);
    if (this.#entries.length - this.#head > this.#limit) this.#dropOldest();
  }

  #dropOldest(): void {
    const message = this.#entries[this.#head]!;
    if (message.direction === 'in' && this.#dropped >= this.#cursor) this.#lostUnread++;
    this.#head++;
    this.#dropped++;
    if (this.#cursor < this.#dropped) this.#cursor = this.#dropped;
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

  /** Inbound frames kept, oldest first. */
  inbound(): FrameMessage[] {
    const out: FrameMessage[] = [];
    for (let i = this.#head; i < this.#entries.length; i++) if (this.#entries[i]!.direction === 'in') out.push(this.#entries[i]!);
    return out;
  }

  /** Inbound frames `take` has not reached yet. */
  unread(): FrameMessage[] {
    const out: FrameMessage[] = [];
    for (let i = this.#cursor - this.#dropped + this.#head; i < this.#entries.length; i++) {
      if (this.#entries[i]!.direction === 'in') out.push(this.#entries[i]!);
    }
    return out;
  }

  /**
   * The first inbound frame after the cursor that satisfies `test`; the
   * cursor moves past it (frames skipped on the way are consumed too).
   */
  take(test: (message: FrameMessage) => boolean): FrameMessage | undefined {
    for (let i = this.#cursor - this.#dropped + this.#head; i < this.#entries.length; i++) {
      const message = this.#entries[i]!;
      if (message.direction === 'in' && test(message)) {
        this.#cursor = this.#dropped + (i - this.#head) + 1;
        return message;
      }
    }
    return undefined;
  }

  /** Inbound frames the limit dropped before any wait reached them. */
  get lostUnread(): number {
    return this.#lostUnread;
  }

  /** The most frames kept. */
  get limit(): number {
    return this.#limit;
  }
}
