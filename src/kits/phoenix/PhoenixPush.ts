import { invalidArgument } from '../../kit/index.js';
import { brandAs, isBranded } from './brand.js';

/** A reply as the client gets it: `phx_reply` with `{ status, response }`. */
export interface PhoenixReply {
  /** `ok`, `error`, or another status. */
  readonly status: string;
  /** The response (JSON, or a Buffer for a binary reply). */
  readonly response: unknown;
}

/** What the kit writes of a push (the handle reads it): the reply once sent. */
export class PushState {
  /** The reply the client got, once it got one. */
  replied: PhoenixReply | undefined;
  /** Sends the reply on the wire; set by the kit. */
  readonly send: (status: string, response: unknown) => Promise<void>;

  constructor(send: (status: string, response: unknown) => Promise<void>) {
    this.send = send;
  }
}

/**
 * An event a client pushed on a channel (`channel.push(event, payload)`), as
 * `channel.waitForPush()` returns it. A push the channel's `events` config
 * does not answer waits for {@link PhoenixPush.reply}.
 *
 * @example
 * ```ts
 * const push = await channel.waitForPush('new_msg');
 * expect(push.payload).toEqual({ body: 'hi' });
 * await push.reply('ok', { id: 1 });
 * ```
 */
export class PhoenixPush {
  /** The event name. */
  readonly event: string;
  /** What the client sent: JSON, or a Buffer for a binary push. */
  readonly payload: unknown;
  /** The client's ref of the push, which its reply carries. */
  readonly ref: string | null;
  /** The topic of the channel it was pushed on. */
  readonly topic: string;
  readonly #state: PushState;

  /** @internal Made by the kit, one per push. */
  constructor(init: { event: string; payload: unknown; ref: string | null; topic: string; state: PushState }) {
    this.event = init.event;
    this.payload = init.payload;
    this.ref = init.ref;
    this.topic = init.topic;
    this.#state = init.state;
    brandAs(this, 'push');
  }

  /** True for a push from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'push');
  }

  /** The reply the client got (`{ status, response }`), or undefined while none went. */
  get replied(): PhoenixReply | undefined {
    return this.#state.replied;
  }

  /**
   * Answers the push with `phx_reply` `{ status, response }` (`response`
   * default `{}`; a Buffer goes as a binary reply on vsn 2.0.0). Rejects
   * `WSMOCK_ERR_INVALID_ARGUMENT` when the push was answered already (by the
   * config or an earlier `reply()`), or has no ref to answer;
   * `WSMOCK_ERR_CONNECTION_CLOSED` once the connection is closed.
   */
  reply(status: string, response: unknown = {}): Promise<void> {
    if (typeof status !== 'string' || status === '') return Promise.reject(invalidArgument(`reply(status, response): status must be a non-empty string such as "ok" or "error", got ${JSON.stringify(status)}`));
    if (this.#state.replied) return Promise.reject(invalidArgument(`reply(): the push "${this.event}" on "${this.topic}" was answered already (status "${this.#state.replied.status}")`));
    if (this.ref === null) return Promise.reject(invalidArgument(`reply(): the push "${this.event}" on "${this.topic}" has no ref, so the client awaits no reply`));
    this.#state.replied = { status, response };
    return this.#state.send(status, response);
  }
}
