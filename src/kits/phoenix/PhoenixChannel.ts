import { Arrivals, connectionClosed, invalidArgument, type Connection, type ConnectionGroup, type WsMockError } from '../../kit/index.js';
import { brandAs, isBranded } from './brand.js';
import type { PhoenixPush } from './PhoenixPush.js';
import type { EncodedFrame, PhoenixMessage, PhoenixVsn } from './serializer.js';

/** How a channel's join went: waiting (a manual join), joined, refused, or over (left, closed, crashed, disconnected). */
export type PhoenixChannelStatus = 'joining' | 'joined' | 'refused' | 'closed';

/** Describes a channel in wait messages. */
export function describeChannel(channel: { readonly topic: string; readonly joinRef: string | null }): string {
  return `"${channel.topic}" (join ${channel.joinRef ?? 'without ref'})`;
}

/** What a channel needs of its socket's session (session.ts). */
export interface ChannelSession {
  readonly connection: Connection;
  readonly channels: Map<string, PhoenixChannel>;
  readonly vsn: PhoenixVsn;
  post(frame: EncodedFrame): void;
  send(message: PhoenixMessage): Promise<void>;
  reply(topic: string, joinRef: string | null, ref: string | null, status: string, response: unknown): Promise<void>;
  closedError(action: string): WsMockError | undefined;
}

/** What a channel asks of its mock: to be reached by broadcasts and presence once joined, and forgotten once over. */
export interface ChannelHub {
  joined(channel: PhoenixChannel, state: ChannelState): void;
  ended(channel: PhoenixChannel): void;
}

/** Options of `waitForPush`. */
export interface WaitForPushOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** Which pushes `waitForPush` takes: those of an event, those a predicate accepts, or (omitted) any. */
export type PhoenixPushFilter = string | ((push: PhoenixPush) => boolean);

/** What the kit writes of a channel (the handle reads it). */
export class ChannelState {
  readonly session: ChannelSession;
  readonly hub: ChannelHub;
  /** The ref of the client's `phx_join`, which the join's reply carries. */
  readonly joinMessageRef: string | null;
  status: PhoenixChannelStatus = 'joining';
  /** The join waits for the test's `ok()` or `error()`. */
  manual = false;
  /** The client has had a `presence_state` of this join. */
  presenceSynced = false;
  readonly #group: ConnectionGroup;
  /** Every push the client made on this channel; the latest `journal.limit`. */
  readonly #pushList: PhoenixPush[] = [];
  /** The waits on them, made by the first wait (a channel nobody waits on costs no Arrivals). */
  #pushes: Arrivals<PhoenixPush> | undefined;

  constructor(init: { session: ChannelSession; hub: ChannelHub; joinMessageRef: string | null; group: ConnectionGroup }) {
    this.session = init.session;
    this.hub = init.hub;
    this.joinMessageRef = init.joinMessageRef;
    this.#group = init.group;
  }

  /** Every push the client made on this channel, in order. */
  get pushList(): readonly PhoenixPush[] {
    return this.#pushList;
  }

  /** The race-free waits on this channel's pushes. */
  get pushes(): Arrivals<PhoenixPush> {
    return (this.#pushes ??= new Arrivals<PhoenixPush>(this.#group, (push) => `a push "${push.event}"`, { source: () => this.#pushList }));
  }

  /** A push arrived: journal it and wake the waits. */
  addPush(push: PhoenixPush): void {
    this.#pushList.push(push);
    if (this.#pushList.length > this.#group.journalLimit) this.#pushList.shift();
    this.#pushes?.notify();
  }

  /** Wakes the waits on pushes, so they see the channel over. */
  wake(): void {
    this.#pushes?.notify();
  }
}

/**
 * Answers a join: the reply goes to the client; `ok` makes the channel
 * joined (reached by broadcasts and presence), anything else refuses it.
 */
export function answerJoin(channel: PhoenixChannel, state: ChannelState, status: string, response: unknown): Promise<void> {
  const sent = state.session.reply(channel.topic, channel.joinRef, state.joinMessageRef, status, response);
  if (status === 'ok') {
    state.status = 'joined';
    state.hub.joined(channel, state);
  } else {
    state.status = 'refused';
    if (state.session.channels.get(channel.topic) === channel) state.session.channels.delete(channel.topic);
    state.wake();
  }
  return sent;
}

/**
 * Ends a channel: `phx_close` (the server closed it: the client does not
 * rejoin), `phx_error` (it crashed: the client rejoins) or, with no event,
 * silently (the client left, or the connection closed).
 */
export function endChannel(channel: PhoenixChannel, state: ChannelState, event?: 'phx_close' | 'phx_error'): Promise<void> {
  if (state.status === 'closed' || state.status === 'refused') return Promise.resolve();
  const wasJoined = state.status === 'joined';
  state.status = 'closed';
  if (state.session.channels.get(channel.topic) === channel) state.session.channels.delete(channel.topic);
  if (wasJoined) state.hub.ended(channel);
  state.wake();
  if (!event) return Promise.resolve();
  return state.session.send({ joinRef: channel.joinRef, ref: channel.joinRef, topic: channel.topic, event, payload: {} });
}

/** What a channel handle is made from: the join, and the kit's state of it (a flavour's `channel` hook gets it). */
export interface PhoenixChannelInit {
  readonly topic: string;
  readonly payload: unknown;
  readonly joinRef: string | null;
  readonly connection: Connection;
  readonly state: ChannelState;
}

/**
 * A channel a client joined (or asked to), as `waitForJoin()` returns it:
 * the join's `topic` and `payload`, the server's side of the channel
 * (`push`, `close`, `crash`) and the client's pushes. With `join: 'manual'`
 * the join waits for {@link PhoenixChannel.ok} or {@link PhoenixChannel.error}.
 *
 * @example
 * ```ts
 * const channel = await mock.waitForJoin('room:lobby');
 * await channel.ok({ welcome: true });
 * await channel.push('new_msg', { body: 'hello' });
 * const push = await channel.waitForPush('new_msg');
 * await push.reply('ok', {});
 * ```
 */
export class PhoenixChannel {
  /** The topic (`room:lobby`). */
  readonly topic: string;
  /** The join's params, as the client sent them (`new Channel(topic, params)`). */
  readonly payload: unknown;
  /** The client's join ref: every message of this join carries it. */
  readonly joinRef: string | null;
  /** The connection of the socket the channel is on (`socket.connection`). */
  readonly connection: Connection;
  readonly #state: ChannelState;

  /** @internal Made by the kit, one per join. */
  constructor(init: PhoenixChannelInit) {
    this.topic = init.topic;
    this.payload = init.payload;
    this.joinRef = init.joinRef;
    this.connection = init.connection;
    this.#state = init.state;
    brandAs(this, 'channel');
  }

  /** True for a channel from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'channel');
  }

  /** `joining` (a manual join not yet answered), `joined`, `refused`, or `closed` (left, closed, crashed, disconnected). */
  get status(): PhoenixChannelStatus {
    return this.#state.status;
  }

  /** Every push the client made on this channel, in order; with the server's `journal.limit`, the latest that many. */
  get pushes(): PhoenixPush[] {
    return [...this.#state.pushList];
  }

  /** Accepts a held join (`join: 'manual'`): the client gets `{ status: 'ok', response }`. */
  ok(response: unknown = {}): Promise<void> {
    return this.#answer('ok', 'ok(response)', response);
  }

  /** Refuses a held join (`join: 'manual'`): the client gets `{ status: 'error', response }` (Phoenix apps answer `{ reason }`). */
  error(response: unknown = {}): Promise<void> {
    return this.#answer('error', 'error(response)', response);
  }

  /** Pushes an event to the client on this channel (`push/3` in a Phoenix channel). A Buffer payload goes as a binary frame on vsn 2.0.0. */
  push(event: string, payload: unknown = {}): Promise<void> {
    if (typeof event !== 'string' || event === '') return Promise.reject(invalidArgument(`push(event, payload): event must be a non-empty string, got ${JSON.stringify(event)}`));
    const closed = this.#closedError('push');
    if (closed) return Promise.reject(closed);
    return this.#state.session.send({ joinRef: this.joinRef, ref: null, topic: this.topic, event, payload });
  }

  /**
   * Resolves with the next push on this channel not yet returned by an
   * earlier `waitForPush` (including pushes that came before the call), of
   * `event` when given. Rejects `WSMOCK_ERR_TIMEOUT` or, once the channel is
   * over with nothing matching, `WSMOCK_ERR_CONNECTION_CLOSED`.
   */
  waitForPush(event?: PhoenixPushFilter, options: WaitForPushOptions = {}): Promise<PhoenixPush> {
    const filter = typeof event === 'string' ? (push: PhoenixPush) => push.event === event : event;
    if (event !== undefined && typeof event !== 'string' && typeof event !== 'function') {
      return Promise.reject(invalidArgument(`waitForPush(event): event must be a string or a predicate, got ${typeof event}`));
    }
    return this.#state.pushes.next({
      what: `${typeof event === 'string' ? `a push "${event}"` : 'a push'} on channel ${describeChannel(this)}`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => this.#closedError('waitForPush'),
    });
  }

  /** Closes the channel from the server (`phx_close`): the client's `onClose` runs and it does not rejoin. */
  close(): Promise<void> {
    const closed = this.#closedError('close');
    if (closed) return Promise.reject(closed);
    return endChannel(this, this.#state, 'phx_close');
  }

  /** Makes the channel crash (`phx_error`): the client's `onError` runs and it rejoins after its `rejoinAfterMs`. */
  crash(): Promise<void> {
    const closed = this.#closedError('crash');
    if (closed) return Promise.reject(closed);
    return endChannel(this, this.#state, 'phx_error');
  }

  #answer(status: 'ok' | 'error', what: string, response: unknown): Promise<void> {
    if (!this.#state.manual || this.#state.status !== 'joining') {
      const why = this.#state.manual ? `it is ${this.#state.status}` : 'the config answered it (use join: "manual" to hold joins for the test)';
      return Promise.reject(invalidArgument(`${what}: the join of ${describeChannel(this)} is not waiting for an answer: ${why}`));
    }
    const closed = this.#state.session.closedError(what);
    if (closed) return Promise.reject(closed);
    return answerJoin(this, this.#state, status, response);
  }

  #closedError(action: string): WsMockError | undefined {
    const state = this.#state;
    if (state.status === 'closed' || state.status === 'refused') {
      return connectionClosed(action, `channel ${describeChannel(this)} on ${state.session.connection.id}`, `is ${state.status}`);
    }
    return state.session.closedError(action);
  }
}
