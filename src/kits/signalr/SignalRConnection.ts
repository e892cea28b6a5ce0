//
// The handles of what happens on one client's connection: the connection
// itself (what a hub does with `Clients.Caller`, `Groups`, `Context`) and
// each invocation the client makes (answered by the test for a `manual`
// method). One file, as each names the other.
//
import { handleBrand, invalidArgument, type CloseInfo, type Connection, type ConnectionArrivals, type WsMockError } from '../../kit/index.js';
import { MessageType } from './protocol.js';
import type { HubSession } from './session.js';
import type { SignalRProtocolName } from './types.js';
import type { UploadStream } from './UploadStream.js';

const connectionBrand = handleBrand('signalr-connection');

/** Options of {@link SignalRConnection.close}. */
export interface SignalRCloseOptions {
  /** The error the client's `onclose` gets (`Server returned an error on close: …`); default none. */
  error?: string;
  /** Whether a client built `withAutomaticReconnect()` may reconnect; default false, as the server's `Context.Abort()`. */
  allowReconnect?: boolean;
}

/** What a {@link SignalRConnection} needs from its mock's state. */
export interface SignalRGroups {
  readonly invocations: ConnectionArrivals<SignalRInvocation>;
  join(session: HubSession, group: string): void;
  leave(session: HubSession, group: string): void;
}

/** Throws `WSMOCK_ERR_INVALID_ARGUMENT` unless `value` is a non-empty string. */
export function assertName(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value === '') throw invalidArgument(`${what} must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}`);
}

/**
 * A client's connection to a SignalR hub mock, from `mock.waitForConnection()`
 * (resolved once its handshake is done) or an invocation's `connection`:
 * what a hub does with `Clients.Caller`, `Groups` and `Context`.
 *
 * @example
 * ```ts
 * const conn = await hub.waitForConnection();
 * await conn.send('ReceiveMessage', 'ada', 'hello');          // Clients.Caller.SendAsync
 * expect(await conn.invoke('GetName')).toBe('ada');           // a client result
 * conn.join('room-1');
 * await conn.close({ error: 'kicked', allowReconnect: false });
 * ```
 */
export class SignalRConnection {
  /** The underlying WebSocket connection: journal, counters, `close()`. */
  readonly connection: Connection;
  readonly #session: HubSession;
  readonly #state: SignalRGroups;

  /** @internal Made by the mock's state, one per connection. */
  constructor(session: HubSession, state: SignalRGroups) {
    this.connection = session.connection;
    this.#session = session;
    this.#state = state;
    connectionBrand.mark(this);
  }

  /** True for a SignalR connection handle from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return connectionBrand.test(value);
  }

  /** The wsmock connection id, e.g. `conn-3` (journal, admin API). */
  get id(): string {
    return this.connection.id;
  }

  /** SignalR's connection id (`Context.ConnectionId`; the client's `connection.connectionId` after a negotiate). */
  get connectionId(): string {
    return this.#session.connectionId;
  }

  /** The hub protocol the handshake picked; undefined before it, or when it failed. */
  get protocol(): SignalRProtocolName | undefined {
    return this.#session.codec?.name;
  }

  /** The groups the connection is in. */
  get groups(): string[] {
    return [...this.#session.groups];
  }

  /**
   * Calls the client method `target` with `args` (`connection.on(target, …)`),
   * as `Clients.Caller.SendAsync` does. Resolves once written; rejects
   * `WSMOCK_ERR_CONNECTION_CLOSED` once the connection is closed.
   */
  send(target: string, ...args: unknown[]): Promise<void> {
    try {
      assertName(target, 'send(target, ...args): target');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#session.post({ type: MessageType.Invocation, target, arguments: args }, 'send');
  }

  /**
   * Asks the client for a result, as `Clients.Client(id).InvokeAsync` does:
   * the client's handler for `target` (`connection.on(target, (…) => value)`)
   * answers, and this resolves with its value. Rejects with the client's
   * error (no handler: "Client didn't provide a result."), or
   * `WSMOCK_ERR_CONNECTION_CLOSED` if the connection closes first.
   */
  invoke(target: string, ...args: unknown[]): Promise<unknown> {
    try {
      assertName(target, 'invoke(target, ...args): target');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#session.invoke(target, args);
  }

  /** Adds the connection to `group` (`Groups.AddToGroupAsync`). */
  join(group: string): void {
    assertName(group, 'join(group): group');
    this.#state.join(this.#session, group);
  }

  /** Removes the connection from `group` (`Groups.RemoveFromGroupAsync`). */
  leave(group: string): void {
    assertName(group, 'leave(group): group');
    this.#state.leave(this.#session, group);
  }

  /**
   * Resolves with the next invocation this client made not yet returned by
   * an earlier wait on this handle (including those before the call), of
   * `target` when given.
   */
  waitForInvocation(target?: string, options: SignalRWaitOptions = {}): Promise<SignalRInvocation> {
    let filter;
    try {
      filter = invocationFilter(target);
    } catch (err) {
      return Promise.reject(err);
    }
    const session = this.#session;
    return this.#state.invocations.of(this.connection).next({
      what: `${filter.what} on ${this.id}`,
      filter: filter.filter,
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      failure: () => (this.connection.isOpen ? undefined : session.closedError('waitForInvocation')),
    });
  }

  /**
   * Ends the connection as the server does: a Close message (with `error`,
   * and `allowReconnect` for clients built `withAutomaticReconnect()`), then
   * the WebSocket close (1000). Resolves with how it closed.
   */
  async close(options: SignalRCloseOptions = {}): Promise<CloseInfo> {
    const { error, allowReconnect = false } = options;
    if (error !== undefined && typeof error !== 'string') throw invalidArgument(`close({ error }): error must be a string, got ${typeof error}`);
    if (typeof allowReconnect !== 'boolean') throw invalidArgument(`close({ allowReconnect }): allowReconnect must be a boolean, got ${typeof allowReconnect}`);
    if (this.#session.open) {
      await this.#session.post({ type: MessageType.Close, ...(error !== undefined ? { error } : {}), allowReconnect }, 'close');
    }
    return this.connection.close();
  }
}

const invocationBrand = handleBrand('signalr-invocation');

/** Options of `waitForInvocation`. */
export interface SignalRWaitOptions {
  /** Milliseconds on the real clock; default: the server's `timeout` option. */
  timeout?: number;
}

/** How the mock answers an invocation; made by the stage, one per invocation. @internal */
export interface InvocationAnswer {
  /** Whether the test answers it (a `manual` method). */
  readonly manual: boolean;
  complete(result: unknown): Promise<void>;
  fail(error: string): Promise<void>;
  item(value: unknown): Promise<void>;
  /** Why nothing can be sent any more (cancelled, answered, closed), or undefined. */
  problem(action: string): WsMockError | undefined;
}

/**
 * A hub method invocation a client made, from `mock.waitForInvocation()` or
 * `conn.waitForInvocation()`: what it asked for and, for a method marked
 * `manual`, the server's answer to give.
 *
 * @example
 * ```ts
 * const call = await hub.waitForInvocation('GetOrder');
 * expect(call.arguments).toEqual([7]);
 * await call.complete({ id: 7, status: 'shipped' });   // the client's invoke() resolves with it
 * ```
 */
export class SignalRInvocation {
  /** The method the client invoked. */
  readonly target: string;
  /** Its arguments (the client's streams are in `streams`). */
  readonly arguments: readonly unknown[];
  /** The invocation id; undefined for `connection.send()`, which expects no answer. */
  readonly invocationId: string | undefined;
  /** True for a `connection.stream()` call (a StreamInvocation): answer with `item()`, then `complete()`. */
  readonly streaming: boolean;
  /** The client's streams to the server (`for await (const item of call.streams[0])`). */
  readonly streams: readonly AsyncIterable<unknown>[];
  /** The caller's connection. */
  readonly connection: SignalRConnection;
  readonly #answer: InvocationAnswer;

  /** @internal Made by the stage, one per invocation. */
  constructor(init: { target: string; arguments: unknown[]; invocationId: string | undefined; streaming: boolean; streams: UploadStream[]; connection: SignalRConnection; answer: InvocationAnswer }) {
    this.target = init.target;
    this.arguments = init.arguments;
    this.invocationId = init.invocationId;
    this.streaming = init.streaming;
    this.streams = init.streams;
    this.connection = init.connection;
    this.#answer = init.answer;
    invocationBrand.mark(this);
  }

  /** True for a SignalR invocation from this copy of wsmock or another. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return invocationBrand.test(value);
  }

  /**
   * Completes the invocation with `result` (none: void): the client's
   * `invoke()` resolves with it, a `stream()` completes. Nothing is sent for
   * a `send()` (it has no invocation id). Rejects for an invocation the
   * mock's own method answered (mark the method `manual`), one already
   * answered, or once the connection closed.
   */
  complete(result?: unknown): Promise<void> {
    return this.#run('complete', () => this.#answer.complete(result));
  }

  /** Fails the invocation: the client's `invoke()` rejects with an error of this message. */
  fail(error: string | Error): Promise<void> {
    const message = error instanceof Error ? error.message : error;
    if (typeof message !== 'string') return Promise.reject(invalidArgument(`fail(error): error must be a string or an Error, got ${typeof error}`));
    return this.#run('fail', () => this.#answer.fail(message));
  }

  /** Sends one item of a streaming invocation (a StreamItem); `complete()` ends the stream. */
  item(value: unknown): Promise<void> {
    if (!this.streaming) return Promise.reject(invalidArgument(`item(value): ${this.target} was invoked with invoke() or send(), not stream(): answer it with complete(result)`));
    return this.#run('item', () => this.#answer.item(value));
  }

  #run(action: string, act: () => Promise<void>): Promise<void> {
    if (!this.#answer.manual) {
      return Promise.reject(invalidArgument(`${action}(): the mock's method "${this.target}" answers this invocation; mark it 'manual' in methods to answer from the test`));
    }
    const problem = this.#answer.problem(action);
    return problem ? Promise.reject(problem) : act();
  }
}

/** How waits name an invocation. */
export function describeInvocation(invocation: SignalRInvocation): string {
  return `an invocation of "${invocation.target}" (${invocation.invocationId === undefined ? 'send' : `id ${invocation.invocationId}`})`;
}

/** The predicate and the description of an invocation wait. */
export function invocationFilter(target: string | undefined): { what: string; filter: (invocation: SignalRInvocation) => boolean } {
  if (target !== undefined && typeof target !== 'string') throw invalidArgument(`waitForInvocation(target): target must be a string, got ${typeof target}`);
  return { what: target === undefined ? 'an invocation' : `an invocation of "${target}"`, filter: (invocation) => target === undefined || invocation.target === target };
}
