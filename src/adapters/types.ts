import type { ExpectedMessage } from './expected.js';

/** How long `.not.toReceiveMessage()` and `.not.toReceiveCall()` watch when given no `within`, in ms. */
export const DEFAULT_WITHIN = 100;

/** Options of `toReceiveMessage`. */
export interface ReceiveOptions {
  /** How long to wait for the next message, in ms (default: the server's `timeout`; in Playwright, the `expect` timeout). */
  timeout?: number;
  /** With `.not`: how long nothing matching may arrive, in ms on the real clock (default 100). */
  within?: number;
}

/** Options of `toHaveConnections`. */
export interface ConnectionsOptions {
  /** How long to wait for the count, in ms (default: the server's `timeout`). */
  timeout?: number;
}

/** Options of `toBeClosed`. */
export interface ClosedOptions {
  /** The close code the connection must have closed with. */
  code?: number;
  /** The close reason it must have closed with. */
  reason?: string;
  /** How long to wait for the close, in ms (default: the server's `timeout`). */
  timeout?: number;
}

/** Options of `toBeCompleted`. */
export interface CompletedOptions {
  /** How it must have ended: `'client'` (the client completed or stopped it), `'server'` or `'closed'` (the socket). Default: any. */
  by?: 'client' | 'server' | 'closed';
  /** How long to wait for the end, in ms (default: the server's `timeout`; in Playwright, the `expect` timeout). */
  timeout?: number;
  /** With `.not`: how long the operation must stay active, in ms on the real clock (default 100). */
  within?: number;
}

/** Options of `toHaveReplayed`. */
export interface ReplayedOptions {
  /** How long to wait for the replay to end, in ms (default 30 s; in Playwright, the `expect` timeout). */
  timeout?: number;
}

/** Options of `toHaveCoveredContract`. */
export interface CoveredOptions {
  /** The operations (by id: a 3.0 key, a 2.x `operationId`) that must have been used; default every operation of every contract. */
  operations?: readonly string[];
}

/**
 * The wsmock matchers as they appear on `expect(…)`. `R` is what a synchronous
 * matcher returns in the runner's typings; the waiting ones return promises
 * and must be awaited.
 */
export interface WsMockMatchers<R = void> {
  /**
   * Takes the connection's next unconsumed inbound message (waiting up to
   * `timeout`) and compares it with `expected`: a string with the text, an
   * object with the parsed JSON (asymmetric matchers work inside it), a
   * `RegExp`, bytes, a predicate or `messageMatching(spec)`; on a connection
   * of a mock with an AsyncAPI contract, `{ messageId }` matches a frame that
   * fits that message of the contract (its key, `messageId` or `name`).
   * With `.not`: no matching message arrives `within` the window (default 100 ms).
   *
   * @example
   * ```ts
   * await expect(conn).toReceiveMessage({ type: 'subscribe', channel: expect.any(String) });
   * await expect(conn).not.toReceiveMessage(undefined, { within: 200 });
   * await expect(krakenConn).toReceiveMessage({ messageId: 'subscribe' });
   * ```
   */
  toReceiveMessage(expected?: ExpectedMessage, options?: ReceiveOptions): Promise<void>;
  /**
   * Every expectation matches some message the client has sent so far, in any
   * order. Consumes nothing.
   *
   * @example
   * ```ts
   * expect(conn).toHaveReceivedMessages(['ping', { type: 'hello' }]);
   * ```
   */
  toHaveReceivedMessages(expected: readonly ExpectedMessage[]): R;
  /**
   * On a mock or a server: waits until exactly `count` connections are open.
   * With `.not`, checks the count now.
   *
   * @example
   * ```ts
   * await expect(chat).toHaveConnections(2);
   * ```
   */
  toHaveConnections(count: number, options?: ConnectionsOptions): Promise<void>;
  /**
   * Waits for the connection to close, then checks `code` and `reason` when
   * given. With `.not`, checks now that it is still open.
   *
   * @example
   * ```ts
   * await expect(conn).toBeClosed({ code: 4001 });
   * ```
   */
  toBeClosed(options?: ClosedOptions): Promise<void>;
  /**
   * On a Socket.IO socket: takes its next event named `event` (waiting up to
   * the timeout) and, when `args` are given, compares its arguments with them.
   * With `.not`: no such event arrives within the window (default 100 ms).
   * Options go last, made with `eventOptions({ timeout?, within? })`.
   *
   * @example
   * ```ts
   * await expect(socket).toReceiveEvent('join', 'general');
   * await expect(socket).not.toReceiveEvent('kick', eventOptions({ within: 200 }));
   * ```
   */
  toReceiveEvent(event: string, ...args: unknown[]): Promise<void>;
  /**
   * On a GraphQL operation: waits until it ends (the client completes or
   * stops it, the server completes or fails it, or the socket closes), and
   * checks how when `by` is given. With `.not`: it stays active `within` the
   * window (default 100 ms).
   *
   * @example
   * ```ts
   * unsubscribe();
   * await expect(operation).toBeCompleted({ by: 'client' });
   * ```
   */
  toBeCompleted(options?: CompletedOptions): Promise<void>;
  /**
   * On a JSON-RPC connection or mock: takes the next call to `method` (waiting
   * up to `timeout`) and, when `params` is given, compares its params
   * (asymmetric matchers work inside). With `.not`: no such call arrives
   * `within` the window (default 100 ms); other calls are left for later waits.
   *
   * @example
   * ```ts
   * await expect(rpc).toReceiveCall('subscribe', ['prices']);
   * await expect(rpc).not.toReceiveCall('unsubscribe', undefined, { within: 200 });
   * ```
   */
  toReceiveCall(method: string, params?: unknown, options?: ReceiveOptions): Promise<void>;
  /**
   * On an SSE stream: some event sent on it so far matches `expected`
   * (`{ data?, event?, id?, retry? }`, each given field compared, data that is
   * not a string against the event's JSON), or the data alone. Waits for nothing.
   *
   * @example
   * ```ts
   * expect(stream).toHaveSent({ event: 'price', data: { symbol: 'ACME', price: 12 } });
   * expect(stream).toHaveSent('hello');
   * ```
   */
  toHaveSent(expected: unknown): R;
  /**
   * On a connection of a mock with `replay` (or a `scenario`): waits until the
   * replay ends and passes when it completed. A replay that failed on a frame
   * shows the recorded frame and the one the client sent, as a diff.
   *
   * @example
   * ```ts
   * server.websocket({ path: '/live', replay: { file: 'live.recording.json' } });
   * const conn = await live.waitForConnection();
   * await expect(conn).toHaveReplayed();
   * ```
   */
  toHaveReplayed(options?: ReplayedOptions): Promise<void>;
  /**
   * On a connection of a mock with an AsyncAPI contract: no frame either way
   * (nor the handshake) broke the contract so far. A failure lists each
   * violation with its direction, the frame, the contract message it was
   * closest to and each error's JSON path with the value found there. Waits
   * for nothing (awaiting it is harmless).
   *
   * @example
   * ```ts
   * const conn = await api.mocks[0].waitForConnection();
   * await expect(conn).toReceiveMessage({ messageId: 'subscribe' });
   * expect(conn).toConformToContract();
   * ```
   */
  toConformToContract(): R;
  /**
   * On a server: the traffic of its contract mocks used every operation of
   * their AsyncAPI contracts, or each one named in `operations`. A failure
   * names the operations never used, the messages no frame used and the
   * channels not served (from `server.contractReport()`).
   *
   * @example
   * ```ts
   * expect(server).toHaveCoveredContract({ operations: ['ping', 'subscribe'] });
   * ```
   */
  toHaveCoveredContract(options?: CoveredOptions): R;
}
