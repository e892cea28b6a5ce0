import { handleBrand, invalidArgument, type CloseInfo, type CloseOptions, type Connection } from '../../kit/index.js';
import { assertMessageArgs, describeDestination, destinationFilter, type StompDestinationFilter, type StompWaitOptions } from './filters.js';
import type { StompVersion } from './frame.js';
import type { StompAck, StompSession, StompSubscription } from './session.js';
import type { StompSend } from './StompSend.js';
import { writeFrame } from './wire.js';

const brand = handleBrand('stomp-connection');

/** A MESSAGE to the connection's own subscriptions of a destination; returns how many. */
export type SessionPublish = (destination: string, body: unknown, headers: Readonly<Record<string, string>> | undefined) => number;

/** The close that follows an ERROR frame: the spec has the server close the connection after it. */
export const ERROR_CLOSE = { code: 1002, reason: 'STOMP ERROR' };

/**
 * A client's STOMP connection, from `mock.waitForConnection()` once it got
 * CONNECTED: its CONNECT headers and version, its subscriptions, its SENDs
 * and ACKs, and what the server can do to it (`send` a MESSAGE to its
 * subscriptions, `error`).
 *
 * @example
 * ```ts
 * const conn = await stomp.waitForConnection();
 * expect(conn.headers.login).toBe('ada');
 * await conn.waitForSubscribe('/user/queue/replies');
 * conn.send('/user/queue/replies', { ok: true });
 * ```
 */
export class StompConnection {
  /** The underlying WebSocket connection: journal (the STOMP frames), counters, `close()`. */
  readonly connection: Connection;
  readonly #session: StompSession;
  readonly #publish: SessionPublish;

  /** @internal Made by the mock's state, one per connection. */
  constructor(session: StompSession, publish: SessionPublish) {
    this.connection = session.connection;
    this.#session = session;
    this.#publish = publish;
    brand.mark(this);
  }

  /** True for a STOMP connection handle from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return brand.test(value);
  }

  /** The connection's id, e.g. `conn-3` (also the `session` header of CONNECTED). */
  get id(): string {
    return this.connection.id;
  }

  /** The headers of the client's CONNECT (`login`, `passcode`, `host`, `accept-version`, `heart-beat`, its own). */
  get headers(): Readonly<Record<string, string>> {
    return this.#session.connectHeaders;
  }

  /** The version agreed on. */
  get version(): StompVersion {
    return this.#session.version;
  }

  /** The live subscriptions, in order. */
  get subscriptions(): StompSubscription[] {
    return [...this.#session.subscriptions.values()].map((core) => core.view);
  }

  /** The ACK and NACK frames the client sent, in order (transactional ones once committed). */
  get acks(): StompAck[] {
    return [...this.#session.acks];
  }

  /**
   * Sends a MESSAGE to each of this connection's subscriptions to
   * `destination`, as Spring's `convertAndSendToUser` reaches one session's
   * `/user/queue/…` subscription. `body`: a string, bytes, or any other
   * value as JSON. Returns how many subscriptions got it.
   */
  send(destination: string, body: unknown, headers?: Record<string, string>): number {
    assertMessageArgs('conn.send(destination, body, headers?)', destination, headers);
    return this.#publish(destination, body, headers);
  }

  /**
   * Sends an ERROR frame (`message` header, and `headers`), then closes the
   * connection (1002), as a broker does after an error. Resolves with how it
   * closed.
   */
  async error(message: string, headers: Record<string, string> = {}): Promise<CloseInfo> {
    if (typeof message !== 'string') throw invalidArgument(`conn.error(message, headers?): message must be a string, got ${typeof message}`);
    assertMessageArgs('conn.error(message, headers?)', '/', headers);
    const closed = this.#session.closedError('error');
    if (closed) throw closed;
    writeFrame(this.connection, this.#session.version, 'ERROR', { ...headers, message, 'content-type': 'text/plain' }, message);
    return this.connection.close(ERROR_CLOSE);
  }

  /**
   * Resolves with the next subscription on this connection (to
   * `destination` if given) not yet returned by an earlier call on this
   * handle, including those made before the call.
   */
  waitForSubscribe(destination?: StompDestinationFilter, options: StompWaitOptions = {}): Promise<StompSubscription> {
    let filter: ReturnType<typeof destinationFilter>;
    try {
      filter = destinationFilter(destination, 'waitForSubscribe');
    } catch (err) {
      return Promise.reject(err);
    }
    const session = this.#session;
    return session.subscribes.next({
      what: `a SUBSCRIBE${describeDestination(destination)} on ${this.id}`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => session.closedError('waitForSubscribe'),
    });
  }

  /** Resolves with the next SEND on this connection (to `destination` if given) not yet returned by an earlier call on this handle. */
  waitForSend(destination?: StompDestinationFilter, options: StompWaitOptions = {}): Promise<StompSend> {
    let filter: ReturnType<typeof destinationFilter>;
    try {
      filter = destinationFilter(destination, 'waitForSend');
    } catch (err) {
      return Promise.reject(err);
    }
    const session = this.#session;
    return session.sends.next({
      what: `a SEND${describeDestination(destination)} on ${this.id}`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => session.closedError('waitForSend'),
    });
  }

  /** Closes the connection with no ERROR frame first (default code 1000). */
  close(options?: CloseOptions): Promise<CloseInfo> {
    return this.connection.close(options);
  }
}
