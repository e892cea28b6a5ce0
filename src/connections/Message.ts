/**
 * Which way a frame travelled: `in` from the client, `out` to the client; on a
 * proxy mock also `upstream-in` from the upstream server and `upstream-out` to it.
 */
export type MessageDirection = 'in' | 'out' | 'upstream-in' | 'upstream-out';

/** One frame in a connection's journal, inbound or outbound. */
export interface Message {
  /** `in`: the client sent it; `out`: the server sent it; `upstream-in` / `upstream-out`: from / to a proxy mock's upstream. */
  readonly direction: MessageDirection;
  /** The connection it travelled on. */
  readonly connectionId: string;
  /** Whether it was a binary frame. */
  readonly binary: boolean;
  /** The payload: a string for text frames, a Buffer for binary ones. */
  readonly data: string | Buffer;
  /** The text of a text frame; `undefined` for binary frames. */
  readonly text: string | undefined;
  /** The parsed JSON when the text is JSON; `undefined` otherwise. Parsed once, on first use. */
  readonly json: unknown;
  /** Payload size in bytes. */
  readonly size: number;
  /** When it was received or sent (the test's clock, so fake dates apply). */
  readonly at: Date;
}

const NOT_PARSED = Symbol('not parsed');
// Orders frames of different connections (a mock's journal is the merge of its connections').
let frames = 0;

/** The next frame's position among every frame of the process (what `FrameMessage.seq` holds). */
export function nextFrameSeq(): number {
  return frames++;
}
// Times are kept as milliseconds since this module loaded: a small integer
// (V8 stores it in the object) rather than a boxed double per journaled frame,
// for about twelve days of uptime; after that it is a double again, still right.
const EPOCH = Date.now();

/**
 * A journaled frame, as readers get it. The journal keeps its frames in
 * columns and makes this object when someone reads one (Journal.ts); the
 * text is decoded once when the frame arrives; JSON is parsed at most once per
 * object, the first time anyone (a matcher, a test) asks for it.
 */
export class FrameMessage implements Message {
  readonly direction: MessageDirection;
  readonly connectionId: string;
  readonly binary: boolean;
  readonly data: string | Buffer;
  readonly size: number;
  /** Position among every frame of the process: orders frames across connections. */
  readonly seq: number;
  // Milliseconds since EPOCH until someone asks for the Date: one allocation less per frame.
  #at: number | Date;
  #json: unknown;

  constructor(
    direction: MessageDirection,
    connectionId: string,
    binary: boolean,
    data: string | Buffer,
    size: number,
    json: unknown = NOT_PARSED,
    at: number = Date.now(),
    seq: number = frames++,
  ) {
    this.direction = direction;
    this.connectionId = connectionId;
    this.binary = binary;
    this.data = data;
    this.size = size;
    this.seq = seq;
    this.#at = at - EPOCH;
    this.#json = json;
  }

  get at(): Date {
    if (typeof this.#at === 'number') this.#at = new Date(EPOCH + this.#at);
    return this.#at;
  }

  get text(): string | undefined {
    if (this.binary) return undefined;
    return typeof this.data === 'string' ? this.data : this.data.toString('utf8');
  }

  get json(): unknown {
    if (this.#json === NOT_PARSED) this.#json = parseJson(this.text);
    return this.#json;
  }

  /** A plain object with every field, for logs, snapshots and the admin API. */
  toJSON(): Record<string, unknown> {
    return {
      direction: this.direction,
      connectionId: this.connectionId,
      binary: this.binary,
      data: typeof this.data === 'string' ? this.data : this.data.toString('base64'),
      text: this.text,
      json: this.json,
      size: this.size,
      at: this.at.toISOString(),
    };
  }
}

// JSON text can only start with these (after white space); checking first
// avoids throwing and catching for every plain-text frame.
const JSON_START = /^\s*[[{"\-0-9tfn]/;

/** The JSON value of `text`, or undefined when it is not JSON (parsed once: the journal's messages and the contract checks share it). */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined || !JSON_START.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A short, single-line rendering of a message for error messages. */
export function describeMessage(message: Message, max = 80): string {
  const body = message.text ?? `<binary ${message.size} bytes>`;
  const flat = body.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
