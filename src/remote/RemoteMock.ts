//
// A mock of a server in another process: its identity as the admin API lists
// it, the changes the in-process Mock makes (update, enable, disable,
// remove), and the wait that hands out its connections one at a time.
//
import type { ConnectionInfo, WaitOptions } from '../connections/types.js';
import type { MockEnvelope } from '../mocks/types.js';
import { invalidArgument, WsMockErrorCode, waitTimedOut } from '../errors.js';
import { brand, kMatcherView } from '../util/brand.js';
import { quietWait } from '../util/promise.js';
import { LONG_POLL_LIMIT } from '../util/version.js';
import { assertDeclarative } from './declarative.js';
import type { RemoteHttp } from './RemoteHttp.js';
import { RemoteConnection, timeoutOption, type RemoteConnectionInit } from './RemoteConnection.js';
import { objectArgument, payloadOf, waitForCount, type RemoteSendData } from './wire.js';

/** Options of {@link RemoteMock.waitForConnection}. */
export interface RemoteWaitForConnectionOptions extends WaitOptions {
  /** Only a connection whose handshake carries these query parameters with these values. */
  query?: Readonly<Record<string, string>>;
  /** Only a connection whose upgrade request carries these headers with these values (names case-insensitive). */
  headers?: Readonly<Record<string, string>>;
}

/** A mock as `GET /mocks` lists it: its envelope, plus the URLs its clients open. */
export type ListedMock = MockEnvelope & {
  /** What its clients open (`ws://…/path`, `http://…` for SSE). */
  url: string;
  /** The same for HTTP clients. */
  httpUrl: string;
};

const IDENTITY = new Set(['id', 'name', 'enabled']);

/** How the server's timeout message says what arrived instead (connections/ConnectionGroup.ts). */
const SEEN = /(No connection arrived|All \d+ connection\(s\) that arrived|\d+ connection\(s\) arrived but did not match)[\s\S]*$/;

/**
 * A mock of a server driven from another process (`connectMockServer()`).
 * `waitForConnection()` hands out its connections one at a time, shared with
 * every other process that waits on it: parallel workers each take their own
 * by `query` or `headers`.
 *
 * @example
 * ```ts
 * const feed = await remote.websocket('/feed', { matchers: [{ match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } }] });
 * const conn = await feed.waitForConnection({ query: { worker: process.env.VITEST_POOL_ID! } });
 * await feed.update({ defaultResponse: { type: 'text', value: '?' } });
 * await feed.remove();
 * ```
 */
export class RemoteMock {
  /** Unique per server. */
  readonly id: string;
  /** The mock type: `websocket` or a kit's (`socketio`, `sse`…). */
  readonly type: string;
  readonly #http: RemoteHttp;
  #listed: ListedMock;

  /** @internal Made by the remote server from what the admin API listed. */
  constructor(http: RemoteHttp, listed: ListedMock) {
    this.#http = http;
    this.#listed = listed;
    this.id = listed.id!;
    this.type = listed.type;
    brand(this, 'remote-mock');
  }

  /** The path its clients connect to. */
  get path(): string {
    return (this.#listed as unknown as Record<string, { path: string }>)[this.type]!.path;
  }

  /** What its clients open, as the server names itself (`ws://127.0.0.1:PORT/path`). */
  get url(): string {
    return this.#listed.url;
  }

  /** The same for HTTP clients (`http://…`): SSE, long-polling. */
  get httpUrl(): string {
    return this.#listed.httpUrl;
  }

  /** Whether it accepts clients, as of the last change made through this handle. */
  get enabled(): boolean {
    return this.#listed.enabled !== false;
  }

  /** Its envelope, as of the last change made through this handle. */
  toJSON(): MockEnvelope {
    const { url: _u, httpUrl: _h, ...envelope } = this.#listed;
    return envelope as MockEnvelope;
  }

  #path(suffix = ''): string {
    return `/mocks/${encodeURIComponent(this.id)}${suffix}`;
  }

  async #patch(body: Record<string, unknown>, what: string): Promise<void> {
    const { body: answer } = await this.#http.call('PATCH', this.#path(), { body, what, notFound: WsMockErrorCode.MOCK_NOT_FOUND });
    this.#listed = { ...(answer.mock as MockEnvelope), url: this.#listed.url, httpUrl: this.#listed.httpUrl } as ListedMock;
  }

  /**
   * Changes fields of its config (a JSON merge patch: `null` removes an
   * optional field); the server closes its clients with 1012. A function in
   * `config` is refused with `WSMOCK_ERR_INVALID_CONFIG` naming the field.
   */
  async update(config: Record<string, unknown>): Promise<void> {
    if (config === undefined) throw invalidArgument('update(config): config must be an object of the fields to change, got undefined');
    objectArgument(config, 'update(config): config');
    assertDeclarative(config, 'remote mock update');
    const body: Record<string, unknown> = {};
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) (IDENTITY.has(key) ? body : fields)[key] = value;
    if (Object.keys(fields).length > 0) body[this.type] = fields;
    await this.#patch(body, `update mock "${this.id}"`);
  }

  /** Accepts clients again. */
  enable(): Promise<void> {
    return this.#patch({ enabled: true }, `enable mock "${this.id}"`);
  }

  /** Stops accepting clients (the server closes its open ones with 1012). */
  disable(): Promise<void> {
    return this.#patch({ enabled: false }, `disable mock "${this.id}"`);
  }

  /** Removes it from the server (its clients are closed with 1012). */
  async remove(): Promise<void> {
    await this.#http.call('DELETE', this.#path(), { what: `remove mock "${this.id}"`, notFound: WsMockErrorCode.MOCK_NOT_FOUND });
  }

  /** Snapshots of its open connections. */
  async connections(): Promise<ConnectionInfo[]> {
    const { body } = await this.#http.call('GET', this.#path('/websocket/connections'), { what: `list the connections of mock "${this.id}"`, retry: true, notFound: WsMockErrorCode.MOCK_NOT_FOUND });
    return body.connections as ConnectionInfo[];
  }

  /** Sends a frame to each of its open connections (in `room` when given); resolves with the number of recipients. */
  async broadcast(data: RemoteSendData, options: { room?: string } = {}): Promise<number> {
    objectArgument(options, 'broadcast(data, options): options');
    const { body } = await this.#http.call('POST', '/websocket/broadcast', {
      body: { ...payloadOf(data, 'broadcast()'), mockId: this.id, ...(options.room === undefined ? {} : { room: options.room }) },
      what: `broadcast on mock "${this.id}"`,
      notFound: WsMockErrorCode.MOCK_NOT_FOUND,
    });
    return body.recipients as number;
  }

  /**
   * Resolves with its next connection not yet handed out (to this process
   * or any other, or to an in-process `waitForConnection`), including those
   * that arrived before the call; with `query` or `headers`, the next that
   * carries them. Rejects `WSMOCK_ERR_TIMEOUT` after `timeout` (5 s unless told).
   */
  waitForConnection(options: RemoteWaitForConnectionOptions = {}): Promise<RemoteConnection> {
    return quietWait(async () => {
      objectArgument(options, 'waitForConnection(options): options');
      const timeout = timeoutOption(options, 'waitForConnection');
      assertDeclarative({ query: options.query, headers: options.headers }, 'waitForConnection options');
      const deadline = Date.now() + timeout;
      for (;;) {
        const wait = Math.round(Math.min(Math.max(0, deadline - Date.now()), LONG_POLL_LIMIT));
        const { status, body } = await this.#http.call('POST', this.#path('/connections/next'), {
          body: { timeout: wait, ...(options.query ? { query: options.query } : {}), ...(options.headers ? { headers: options.headers } : {}) },
          accept: [408],
          hold: wait,
          // The server takes nothing for a request whose client left: asking again is safe.
          retry: true,
          until: deadline,
          what: `wait for a connection on mock "${this.id}"`,
          notFound: WsMockErrorCode.MOCK_NOT_FOUND,
        });
        if (status === 200) return new RemoteConnection(this.#http, body.connection as RemoteConnectionInit);
        if (deadline - Date.now() <= 0) {
          // The timeout is the caller's; what arrived instead is the end of the server's message.
          const message = typeof body.message === 'string' ? body.message : '';
          const seen = SEEN.exec(message)?.[0] ?? message;
          throw waitTimedOut(timeout, `a connection on mock "${this.id}" (${this.#http.url})${describeFilter(options)}`, seen);
        }
      }
    });
  }

  /** Resolves with its open connections once exactly `count` are open. */
  waitForConnectionCount(count: number, options: WaitOptions = {}): Promise<ConnectionInfo[]> {
    return quietWait(() => waitForCount(this.#http, count, timeoutOption(options, 'waitForConnectionCount'), this.id));
  }

  /** @internal What the runner matchers work on: a snapshot of this mock, read now. */
  async [kMatcherView](): Promise<unknown> {
    const open = await this.connections();
    const view = {
      id: this.id,
      type: this.type,
      path: this.path,
      connections: open.map((info) => ({ id: info.id, info })),
      messages: [],
      waitForConnectionCount: (count: number, options?: WaitOptions) => this.waitForConnectionCount(count, options),
    };
    brand(view, 'mock');
    return view;
  }
}

function describeFilter(options: RemoteWaitForConnectionOptions): string {
  const parts = [
    ...Object.entries(options.query ?? {}).map(([name, value]) => `query ${name}=${JSON.stringify(value)}`),
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `header ${name.toLowerCase()}: ${JSON.stringify(value)}`),
  ];
  return parts.length === 0 ? '' : ` with ${parts.join(' and ')}`;
}

