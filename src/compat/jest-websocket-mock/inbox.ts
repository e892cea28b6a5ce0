//
// The messages a `WS` has received and not yet handed out: `nextMessage` and
// the matchers take them in order, including ones that arrived before the call.
//

/** A message as `WS` keeps it: the text (or bytes) as received, or the parsed JSON with `jsonProtocol`. */
export type DeserializedMessage<TMessage = object> = string | TMessage;

/** A message being waited for, and how to stop waiting (the matchers' timeout). */
export interface Take {
  message: Promise<DeserializedMessage>;
  cancel: () => void;
}

/** Received messages in order, handed to takers oldest first. */
export class Inbox {
  readonly #queue: DeserializedMessage[] = [];
  readonly #takers: ((message: DeserializedMessage) => void)[] = [];

  /** A message arrived: to the oldest waiting taker, else queued. */
  push(message: DeserializedMessage): void {
    const taker = this.#takers.shift();
    if (taker) taker(message);
    else this.#queue.push(message);
  }

  /** The next message not yet taken. */
  take(): Take {
    if (this.#queue.length > 0) return { message: Promise.resolve(this.#queue.shift()!), cancel: () => undefined };
    let taker!: (message: DeserializedMessage) => void;
    const message = new Promise<DeserializedMessage>((resolve) => (taker = resolve));
    this.#takers.push(taker);
    return {
      message,
      cancel: () => {
        const at = this.#takers.indexOf(taker);
        if (at !== -1) this.#takers.splice(at, 1);
      },
    };
  }
}
