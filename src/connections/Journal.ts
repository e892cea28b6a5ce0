//
// A connection's journal: every frame, both directions, recorded once.
// `conn.messages`, `conn.received` and `mock.messages` are views of it, and
// `waitForMessage` reads it through a cursor.
//
// Frames are kept in columns (the payload in one array, the numbers in typed
// arrays), not as one object each: a connection that nobody reads costs the
// garbage collector its payloads alone. A frame's `Message` is made the first
// time someone reads it (a view, a wait) and kept from then on, so every
// later read returns the same object.
//
// It also keeps the totals of the client's frames (how many each way, their
// bytes, the last one's time), which the limit does not drop: a connection's
// figures live with its frames, so one that has seen none holds neither.
//
// With a limit the oldest frames are dropped first, inbound frames that no
// wait has reached included (a journal that kept them would grow without
// bound on a connection nobody waits on). A wait that finds its frames gone
// says how many were dropped.
//
import { FrameMessage, nextFrameSeq, type MessageDirection } from './Message.js';

/** The directions a wait reads: what the client sent, and (proxy mocks) what the upstream sent. */
export type ReadDirection = 'in' | 'upstream-in';

/** Where the waits of one direction stand. */
class Cursor {
  /** Absolute position of the first frame `take` has not looked at. */
  position = 0;
  /** Frames of this direction dropped before `take` reached them. */
  lostUnread = 0;
}

// A frame's kind, one byte: its direction's index, plus BINARY.
const DIRECTIONS: readonly MessageDirection[] = ['in', 'out', 'upstream-in', 'upstream-out'];
const DIRECTION_MASK = 3;
const BINARY = 4;
// The numbers of a frame, in its row of `#numbers`.
const SEQ = 0;
const AT = 1;
const SIZE = 2;
const ROW = 3;
/** What crossed a connection with its client, whatever the limit dropped: `conn.info()`'s figures. */
export interface JournalTotals {
  messagesSent: number;
  messagesRecv: number;
  bytesSent: number;
  bytesRecv: number;
  /** When the newest frame either way was recorded (ms since the epoch), or `null`. */
  lastMessageAt: number | null;
}

/** Rows a journal starts with; it doubles when full. */
const FIRST_CAPACITY = 8;

function directionCode(direction: MessageDirection): number {
  switch (direction) {
    case 'in':
      return 0;
    case 'out':
      return 1;
    case 'upstream-in':
      return 2;
    default:
      return 3;
  }
}

export class Journal {
  readonly #limit: number;
  readonly #connectionId: string;
  // The columns, one row per frame; rows before `#head` are dropped.
  #data: (string | Buffer | undefined)[] = [];
  /** Each frame's Message once someone has read it. */
  #messages: (FrameMessage | undefined)[] = [];
  #kinds = new Uint8Array(FIRST_CAPACITY);
  #numbers = new Float64Array(FIRST_CAPACITY * ROW);
  /** The value a frame was serialised from, by absolute position (frames sent as JSON only). */
  #json: Map<number, unknown> | undefined;
  /** Row of the oldest frame kept. */
  #head = 0;
  /** Frames dropped so far: the absolute position of row `#head`. */
  #dropped = 0;
  readonly #in = new Cursor();
  /** Made for the first upstream frame (proxy mocks only). */
  #upstream: Cursor | undefined;
  // Totals of `record`'s frames, never dropped.
  #messagesSent = 0;
  #messagesRecv = 0;
  #bytesSent = 0;
  #bytesRecv = 0;
  #lastAt: number | null = null;

  /** `limit`: the most frames kept (Infinity: all); `connectionId`: what its messages name. */
  constructor(limit: number, connectionId: string) {
    this.#limit = limit;
    this.#connectionId = connectionId;
  }

  /**
   * Records a frame without making its Message (see {@link newest}), dropping
   * the oldest beyond the limit, and counts it in the totals (`in` and `out`). `at` is in milliseconds since the epoch;
   * `json`, the value a frame sent as JSON was serialised from. Returns the
   * frame's sequence number.
   */
  record(direction: MessageDirection, binary: boolean, data: string | Buffer, size: number, at: number, json?: unknown): number {
    const seq = nextFrameSeq();
    const code = directionCode(direction);
    this.#add(code | (binary ? BINARY : 0), data, size, at, seq, json, undefined);
    if (code === 0) {
      this.#messagesRecv++;
      this.#bytesRecv += size;
    } else if (code === 1) {
      this.#messagesSent++;
      this.#bytesSent += size;
    }
    this.#lastAt = at;
    return seq;
  }

  /** What the client and the server sent each other through `record` (upstream frames are counted by the proxy). */
  totals(): JournalTotals {
    return { messagesSent: this.#messagesSent, messagesRecv: this.#messagesRecv, bytesSent: this.#bytesSent, bytesRecv: this.#bytesRecv, lastMessageAt: this.#lastAt };
  }

  /** Records a frame whose Message exists already: reads return that object. */
  push(message: FrameMessage): void {
    const kind = directionCode(message.direction) | (message.binary ? BINARY : 0);
    this.#add(kind, message.data, message.size, message.at.getTime(), message.seq, undefined, message);
  }

  /**
   * The Message of the frame recorded last. `keep`: the journal keeps it, so
   * every later read returns this object (someone may hold it: a listener, a
   * wait); otherwise it is the caller's alone (the journal makes its own if
   * the frame is read later), and costs the garbage collector nothing once
   * the caller is done with it.
   */
  newest(keep: boolean): FrameMessage {
    const row = this.#data.length - 1;
    return keep ? this.#message(row) : (this.#messages[row] ?? this.#make(row));
  }

  #add(kind: number, data: string | Buffer, size: number, at: number, seq: number, json: unknown, message: FrameMessage | undefined): void {
    const row = this.#data.length;
    if (row === this.#kinds.length) this.#grow();
    this.#data.push(data);
    this.#messages.push(message);
    this.#kinds[row] = kind;
    const numbers = this.#numbers;
    numbers[row * ROW + SEQ] = seq;
    numbers[row * ROW + AT] = at;
    numbers[row * ROW + SIZE] = size;
    if (json !== undefined) (this.#json ??= new Map()).set(this.#dropped + row - this.#head, json);
    if (row + 1 - this.#head > this.#limit) this.#dropOldest();
  }

  #grow(): void {
    const kinds = new Uint8Array(this.#kinds.length * 2);
    kinds.set(this.#kinds);
    this.#kinds = kinds;
    const numbers = new Float64Array(this.#numbers.length * 2);
    numbers.set(this.#numbers);
    this.#numbers = numbers;
  }

  #make(row: number): FrameMessage {
    const kind = this.#kinds[row]!;
    const numbers = this.#numbers;
    return new FrameMessage(
      DIRECTIONS[kind & DIRECTION_MASK]!,
      this.#connectionId,
      (kind & BINARY) !== 0,
      this.#data[row]!,
      numbers[row * ROW + SIZE]!,
      this.#json?.get(this.#dropped + row - this.#head),
      numbers[row * ROW + AT]!,
      numbers[row * ROW + SEQ]!,
    );
  }

  #message(row: number): FrameMessage {
    return (this.#messages[row] ??= this.#make(row));
  }

  #direction(row: number): MessageDirection {
    return DIRECTIONS[this.#kinds[row]! & DIRECTION_MASK]!;
  }

  #cursor(direction: string): Cursor | undefined {
    if (direction === 'in') return this.#in;
    return direction === 'upstream-in' ? (this.#upstream ??= new Cursor()) : undefined;
  }

  #dropOldest(): void {
    const row = this.#head;
    const cursor = this.#cursor(this.#direction(row));
    if (cursor && this.#dropped >= cursor.position) cursor.lostUnread++;
    this.#json?.delete(this.#dropped);
    this.#data[row] = undefined;
    this.#messages[row] = undefined;
    this.#head++;
    this.#dropped++;
    if (this.#in.position < this.#dropped) this.#in.position = this.#dropped;
    if (this.#upstream && this.#upstream.position < this.#dropped) this.#upstream.position = this.#dropped;
    // Compact now and then: amortised O(1) per frame, at most twice the limit held.
    if (this.#head >= this.#limit && this.#head >= 1024) {
      const head = this.#head;
      const rows = this.#data.length;
      this.#data = this.#data.slice(head);
      this.#messages = this.#messages.slice(head);
      this.#kinds.copyWithin(0, head, rows);
      this.#numbers.copyWithin(0, head * ROW, rows * ROW);
      this.#head = 0;
    }
  }

  /** Row of the frame at absolute `position`. */
  #row(position: number): number {
    return position - this.#dropped + this.#head;
  }

  /** Every frame kept, oldest first. */
  all(): FrameMessage[] {
    const out: FrameMessage[] = [];
    for (let row = this.#head; row < this.#data.length; row++) out.push(this.#message(row));
    return out;
  }

  /** Frames kept of one direction (default: inbound), oldest first. */
  inbound(direction: ReadDirection = 'in'): FrameMessage[] {
    return this.#collect(this.#head, direction);
  }

  /** Frames of `direction` that `take` has not reached yet. */
  unread(direction: ReadDirection = 'in'): FrameMessage[] {
    return this.#collect(this.#row(this.#cursor(direction)!.position), direction);
  }

  #collect(from: number, direction: ReadDirection): FrameMessage[] {
    const code = directionCode(direction);
    const out: FrameMessage[] = [];
    for (let row = from; row < this.#data.length; row++) if ((this.#kinds[row]! & DIRECTION_MASK) === code) out.push(this.#message(row));
    return out;
  }

  /**
   * The first frame of `direction` (default: inbound) after its cursor that
   * satisfies `test`; the cursor moves past it (frames skipped on the way are
   * consumed too). Each direction has its own cursor.
   */
  take(test: (message: FrameMessage) => boolean, direction: ReadDirection = 'in'): FrameMessage | undefined {
    const cursor = this.#cursor(direction)!;
    const code = directionCode(direction);
    for (let row = this.#row(cursor.position); row < this.#data.length; row++) {
      if ((this.#kinds[row]! & DIRECTION_MASK) !== code) continue;
      const message = this.#message(row);
      if (test(message)) {
        cursor.position = this.#dropped + (row - this.#head) + 1;
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
