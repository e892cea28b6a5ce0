import { invalidArgument, KitMock, type Connection, type KitEnvelope } from '../../kit/index.js';
import { brandAs, isBranded } from './brand.js';
import type { PhoenixChannel } from './PhoenixChannel.js';
import type { PhoenixPresence } from './PhoenixPresence.js';
import { describeJoinFilter, joinFilter, type PhoenixJoinFilter, type PhoenixSocket, type WaitForJoinOptions } from './PhoenixSocket.js';
import type { PhoenixState } from './state.js';
import type { PhoenixEnvelope, PhoenixMockConfig } from './types.js';

/**
 * A Phoenix Channels endpoint, defined with `server.phoenix()`: the
 * `phoenix` client connects to its URL (`new Socket(mock.url)`) over
 * WebSocket or long-poll, joins channels answered from its `channels`, and
 * the test drives the server's side: joins, pushes, replies, broadcasts and
 * presence. It has the lifecycle of every mock (`update()` closes its
 * clients with 1012, `disable()`, `remove()`).
 *
 * @example
 * ```ts
 * const mock = server.phoenix('/socket', { channels: { 'room:*': { join: 'manual' } } });
 * const socket = new Socket(mock.url, { transport: WebSocket });
 * socket.connect();
 * socket.channel('room:lobby', { nick: 'ada' }).join();
 * const channel = await mock.waitForJoin('room:lobby');
 * await channel.ok();
 * mock.broadcast('room:lobby', 'new_msg', { body: 'hi' });
 * ```
 */
export class PhoenixMock<Config extends PhoenixMockConfig = PhoenixMockConfig, Envelope extends KitEnvelope = PhoenixEnvelope> extends KitMock<Config, PhoenixSocket> {
  /** True for a Phoenix mock (or a flavour's, such as Supabase's), from this copy of wsmock or another. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'mock');
  }

  /** @internal Made by the registry. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(init: any) {
    super(init);
    brandAs(this, 'mock');
  }

  /** The envelope form used by config files and the admin API (in-process handlers are left out). */
  override toJSON(): Envelope {
    return super.toJSON() as Envelope;
  }

  /** A connection's {@link PhoenixSocket}: what `waitForConnection()` resolves with. */
  protected override handleOf(connection: Connection): PhoenixSocket {
    return this.phoenix.socket(connection);
  }

  /** The kit's state of this mock, for a flavour's handle that extends this one. @internal */
  protected get phoenix(): PhoenixState {
    return this.kitState as PhoenixState;
  }

  /** Every join on this mock, all sockets, refused ones included, in arrival order. */
  get joins(): PhoenixChannel[] {
    return [...this.phoenix.joins.all];
  }

  /**
   * Resolves with the next join on any socket of this mock not yet returned
   * by an earlier `waitForJoin` on the mock (the sockets' own `waitForJoin`
   * keep their own place), of `topic` when given; joins made before the
   * call count. Rejects `WSMOCK_ERR_TIMEOUT` saying which joins came.
   */
  waitForJoin(topic?: PhoenixJoinFilter, options: WaitForJoinOptions = {}): Promise<PhoenixChannel> {
    let filter: ((channel: PhoenixChannel) => boolean) | undefined;
    try {
      filter = joinFilter(topic);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.phoenix.joins.next({
      what: `${describeJoinFilter(topic)} on mock "${this.id}" (${this.path})`,
      ...(filter ? { filter } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  }

  /**
   * Sends `event` with `payload` to every channel joined on `topic`, as
   * `MyAppWeb.Endpoint.broadcast(topic, event, payload)` does. Like every
   * fan-out, synchronous: returns the number of recipients.
   */
  broadcast(topic: string, event: string, payload: unknown = {}): number {
    if (typeof topic !== 'string' || topic === '') throw invalidTopic(topic);
    if (typeof event !== 'string' || event === '') throw invalidEvent(event);
    return this.phoenix.broadcast(topic, event, payload);
  }

  /** The channels joined on `topic` now, all sockets. */
  channels(topic: string): PhoenixChannel[] {
    return this.phoenix.channelsOn(topic);
  }

  /** The presence of `topic`: `track(key, meta)` and `untrack(key)` reach every channel joined on it. */
  presence(topic: string): PhoenixPresence {
    if (typeof topic !== 'string' || topic === '') throw invalidTopic(topic);
    return this.phoenix.presence(topic);
  }
}

function invalidTopic(topic: unknown) {
  return invalidArgument(`topic must be a non-empty string, got ${JSON.stringify(topic)}`);
}

function invalidEvent(event: unknown) {
  return invalidArgument(`broadcast(topic, event, payload): event must be a non-empty string, got ${JSON.stringify(event)}`);
}
