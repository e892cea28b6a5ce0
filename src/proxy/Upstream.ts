//
// `conn.upstream`: the test's handle on a proxy connection's upstream side.
// It holds no state of its own: the link (proxy/UpstreamLink.ts) owns the
// socket, and the connection's journal holds the frames.
//
import type { MatchSpec } from '../behaviour/types.js';
import { encodeSendData } from '../connections/encode.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo, CloseOptions, SendData, SendOptions, WaitOptions } from '../connections/types.js';

/** What the handle asks of the link behind it. */
export interface UpstreamControl {
  readonly url: string;
  readonly protocol: string;
  readonly readyState: number;
  readonly closeInfo: CloseInfo | undefined;
  send(frame: { payload: string | Buffer; binary: boolean }): Promise<void>;
  close(options: CloseOptions): Promise<CloseInfo>;
  wait(matcher: MatchSpec | ((message: Message) => boolean) | undefined, options: WaitOptions): Promise<Message>;
  messages(): Message[];
}

/**
 * The upstream side of a proxy mock's connection (`conn.upstream`; `null` on
 * connections of other mocks). Frames sent here go to the upstream server,
 * not to the client, and are journaled as `upstream-out`; what the upstream
 * sends is journaled as `upstream-in`.
 *
 * @example
 * ```ts
 * const conn = await feed.waitForConnection();
 * await conn.upstream!.send({ type: 'subscribe', topic: 'prices' });
 * const ack = await conn.upstream!.waitForMessage({ type: 'json', path: '$.type', value: 'subscribed' });
 * ```
 */
export class Upstream {
  readonly #control: UpstreamControl;

  /** @internal Made by the proxy for each connection. */
  constructor(control: UpstreamControl) {
    this.#control = control;
  }

  /** The upstream URL this connection was proxied to. */
  get url(): string {
    return this.#control.url;
  }

  /** The subprotocol the upstream chose (the client's too), or `null`. */
  get protocol(): string | null {
    return this.#control.protocol === '' ? null : this.#control.protocol;
  }

  /** The upstream socket's ready state: 1 open, 2 closing, 3 closed. */
  get readyState(): number {
    return this.#control.readyState;
  }

  /** How the upstream side closed, once it has: `by` is `server` when wsmock closed it, `client` when the upstream did, `network` for a drop. */
  get closeInfo(): CloseInfo | undefined {
    return this.#control.closeInfo;
  }

  /** The frames exchanged with the upstream (`upstream-in` and `upstream-out`), in order, from the connection's journal. */
  get messages(): Message[] {
    return this.#control.messages();
  }

  /**
   * Sends a frame to the upstream (an object as JSON text, a string as text,
   * bytes as binary). Resolves once written; rejects
   * `WSMOCK_ERR_CONNECTION_CLOSED` when the upstream side is closed.
   */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    let frame: { payload: string | Buffer; binary: boolean };
    try {
      frame = encodeSendData(data, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#control.send(frame);
  }

  /**
   * Closes the upstream side with this code and reason (default 1000); the
   * client is closed the same way, as when the upstream closes. Resolves when
   * the upstream's close handshake completes.
   */
  close(options: CloseOptions = {}): Promise<CloseInfo> {
    return this.#control.close(options);
  }

  /**
   * Resolves with the next frame from the upstream not yet returned by an
   * earlier call that satisfies `matcher`, including frames that arrived
   * before the call (a cursor of its own, apart from `conn.waitForMessage`).
   */
  waitForMessage(matcher?: MatchSpec | ((message: Message) => boolean), options: WaitOptions = {}): Promise<Message> {
    return this.#control.wait(matcher, options);
  }
}
