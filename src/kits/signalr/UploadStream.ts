//
// A stream a client sends to the server (`connection.send('Upload', subject)`):
// its items arrive as StreamItem messages under a stream id, its end as a
// Completion. A method reads it as an async iterable. Items wait here until
// read, at most MAX_HELD of them: a client that sends more than a method
// reads ends its connection (upload.ts's caller closes it) rather than
// growing the queue without bound.
//

/** The most items a stream holds unread before the connection is closed. */
export const MAX_HELD = 1000;

/** One of a client's streams to the server, read by a hub method with `for await`. */
export class UploadStream implements AsyncIterable<unknown> {
  /** The client's stream id. */
  readonly id: string;
  readonly #items: unknown[] = [];
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(id: string) {
    this.id = id;
  }

  /** Whether the client completed it (or the connection ended). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Adds an item; false when the stream already holds {@link MAX_HELD} unread. */
  push(item: unknown): boolean {
    if (this.#ended) return true;
    if (this.#items.length >= MAX_HELD) return false;
    this.#items.push(item);
    this.#wakeUp();
    return true;
  }

  /** The client completed the stream, with an error when it failed it. */
  end(error?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error !== undefined) this.#error = new Error(error);
    this.#wakeUp();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<unknown> {
    for (;;) {
      if (this.#items.length > 0) {
        yield this.#items.shift();
        continue;
      }
      if (this.#ended) {
        if (this.#error) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
