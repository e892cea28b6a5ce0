//
// A server in another process (`wsmock serve`, a Vitest globalSetup, a
// docker compose service), driven over its admin API with the in-process
// API where it can cross a process boundary: mocks defined from declarative
// config, connections taken one at a time, frames awaited by cursor.
//
import type { Stats } from '../server/stats.js';
import type { ConnectionFilter } from '../connections/ConnectionManager.js';
import type { CloseInfo, CloseOptions, ConnectionInfo, WaitOptions } from '../connections/types.js';
import type { MockEnvelope, WebSocketMockConfig } from '../mocks/types.js';
import { mockNotFound, WsMockErrorCode } from '../errors.js';
import { brand, kMatcherView } from '../util/brand.js';
import { quietWait } from '../util/promise.js';
import { assertDeclarative } from './declarative.js';
import { RemoteConnection, timeoutOption, type RemoteConnectionInit } from './RemoteConnection.js';
import type { RemoteHttp } from './RemoteHttp.js';
import { RemoteMock, type ListedMock } from './RemoteMock.js';
import { objectArgument, payloadOf, waitForCount, type RemoteSendData } from './wire.js';

/** A mock's config as a remote server takes it: JSON values only (a function is refused, naming its declarative form). */
export type RemoteMockConfig = Record<string, unknown>;

/** What the server said of itself on connect (`GET /version`). */
export interface RemoteServerVersion {
  /** The server's wsmock version. */
  version: string;
  /** Its remote-handle protocol. */
  protocol: number;
}

/** The mocks of a remote server. */
export interface RemoteMocksApi {
  /**
   * Defines a mock of any kind the server has from its envelope
   * (`{ id?, name?, type, enabled?, <type>: {…} }`, the config-file form).
   */
  define(envelope: MockEnvelope | Record<string, unknown>): Promise<RemoteMock>;
  /** The mock with this id; rejects `WSMOCK_ERR_MOCK_NOT_FOUND`. */
  get(id: string): Promise<RemoteMock>;
  /** Every mock, as listed now. */
  list(): Promise<RemoteMock[]>;
  /** Removes the mock with this id (its clients are closed with 1012); rejects `WSMOCK_ERR_MOCK_NOT_FOUND`. */
  remove(id: string): Promise<void>;
  /** Removes every mock. */
  clear(): Promise<void>;
}

/** The connections of a remote server. */
export interface RemoteConnectionsApi {
  /** Snapshots of the open connections (of a mock, a path, a room when given). */
  list(filter?: Omit<ConnectionFilter, 'type'>): Promise<ConnectionInfo[]>;
  /** A handle to the open connection `id`; rejects `WSMOCK_ERR_CONNECTION_NOT_FOUND`. */
  get(id: string): Promise<RemoteConnection>;
  /** Sends to connection `id`. */
  send(id: string, data: RemoteSendData): Promise<void>;
  /** Closes connection `id` and resolves with how it closed. */
  close(id: string, options?: CloseOptions): Promise<CloseInfo>;
  /** Sends to every open connection (of a mock, a path, a room when given); resolves with the number of recipients. */
  broadcast(data: RemoteSendData, filter?: Omit<ConnectionFilter, 'type'>): Promise<number>;
}

/**
 * A wsmock server in another process, driven over its admin API: what
 * `connectMockServer()` resolves with. Mocks take declarative config only;
 * waits are long polls the server bounds, asked again until the caller's
 * timeout, so they survive a slow network.
 *
 * @example
 * ```ts
 * const remote = await connectMockServer(process.env.WSMOCK_ADMIN_URL!, { token: process.env.WSMOCK_ADMIN_TOKEN });
 * const feed = await remote.websocket('/feed', { defaultResponse: { type: 'json', value: { ok: true } } });
 * const conn = await feed.waitForConnection({ query: { worker: '1' } });
 * await expect(conn).toReceiveMessage({ type: 'hello' });
 * await feed.remove();
 * await remote.close();
 * ```
 */
export class RemoteMockServer {
  /** The admin API's URL. */
  readonly adminUrl: string;
  /** The server's wsmock version. */
  readonly version: string;
  /** The server's mocks. */
  readonly mocks: RemoteMocksApi;
  /** The server's open connections. */
  readonly connections: RemoteConnectionsApi;
  readonly #http: RemoteHttp;

  /** @internal Made by `connectMockServer()` once the versions agree. */
  constructor(http: RemoteHttp, version: RemoteServerVersion) {
    this.#http = http;
    this.adminUrl = http.url;
    this.version = version.version;
    const listed = async (): Promise<ListedMock[]> => {
      const { body } = await http.call('GET', '/mocks', { what: 'list the mocks', retry: true });
      return body.mocks as ListedMock[];
    };
    const byId = async (id: string): Promise<RemoteMock> => {
      const mocks = await listed();
      const found = mocks.find((m) => m.id === id);
      if (!found) throw mockNotFound(id, mocks.map((m) => m.id!));
      return new RemoteMock(http, found);
    };
    this.mocks = {
      define: async (envelope) => {
        assertDeclarative(envelope, 'remote mock envelope');
        const { body } = await http.call('POST', '/mocks', { body: envelope, what: 'define a mock' });
        return byId(body.id as string);
      },
      get: byId,
      list: async () => (await listed()).map((m) => new RemoteMock(http, m)),
      remove: async (id) => {
        await http.call('DELETE', `/mocks/${encodeURIComponent(id)}`, { what: `remove mock "${id}"`, notFound: WsMockErrorCode.MOCK_NOT_FOUND });
      },
      clear: async () => {
        await http.call('DELETE', '/mocks', { what: 'remove every mock' });
      },
    };
    const filterQuery = (filter: Omit<ConnectionFilter, 'type'> = {}) => {
      objectArgument(filter, 'connections.list(filter): filter');
      const query = new URLSearchParams();
      for (const key of ['mockId', 'path', 'room'] as const) if (filter[key] !== undefined) query.set(key, filter[key]);
      return query.size > 0 ? `?${query}` : '';
    };
    this.connections = {
      list: async (filter) => {
        const { body } = await http.call('GET', `/websocket/connections${filterQuery(filter)}`, { what: 'list the connections', retry: true });
        return body.connections as ConnectionInfo[];
      },
      get: async (id) => {
        const { body } = await http.call('GET', `/websocket/connections/${encodeURIComponent(id)}`, {
          what: `get connection ${id}`,
          retry: true,
          notFound: WsMockErrorCode.CONNECTION_NOT_FOUND,
        });
        const info = body as unknown as ConnectionInfo;
        const query = Object.fromEntries(new URL(info.url, 'http://localhost').searchParams);
        // The listing has no headers: a handle got this way shows none. Its first read makes the
        // server keep the connection for it after it closes.
        return new RemoteConnection(http, { ...info, query, headers: {}, params: {} } as RemoteConnectionInit).refresh();
      },
      send: async (id, data) => {
        await http.call('POST', `/websocket/connections/${encodeURIComponent(id)}/send`, { body: payloadOf(data), what: `send on ${id}`, notFound: WsMockErrorCode.CONNECTION_NOT_FOUND });
      },
      close: async (id, options) => (await this.connections.get(id)).close(options),
      broadcast: async (data, filter = {}) => {
        objectArgument(filter, 'connections.broadcast(data, filter): filter');
        const { body } = await http.call('POST', '/websocket/broadcast', { body: { ...payloadOf(data, 'broadcast()'), ...filter }, what: 'broadcast', notFound: WsMockErrorCode.MOCK_NOT_FOUND });
        return body.recipients as number;
      },
    };
    brand(this, 'remote-server');
  }

  /**
   * Defines a WebSocket mock from declarative config (the envelope's
   * `websocket` fields; `id`, `name` and `enabled` are taken out for the
   * envelope). A function anywhere in `config` is refused with
   * `WSMOCK_ERR_INVALID_CONFIG` naming the field and its declarative form.
   */
  websocket(path: string, config?: Omit<WebSocketMockConfig, 'path'> | RemoteMockConfig): Promise<RemoteMock>;
  /** The same, with `path` inside the config. */
  websocket(config: WebSocketMockConfig | RemoteMockConfig): Promise<RemoteMock>;
  websocket(pathOrConfig: string | RemoteMockConfig | WebSocketMockConfig, config: RemoteMockConfig | Omit<WebSocketMockConfig, 'path'> = {}): Promise<RemoteMock> {
    return this.mock('websocket', pathOrConfig as string, config as RemoteMockConfig);
  }

  /**
   * Defines a mock of the kit `type` (`socketio`, `graphql`, `jsonrpc`, `sse`,
   * `mqtt`, `stomp`, `signalr`, `actioncable`, `phoenix`, …) from
   * declarative config, as `server.<type>(path, config)` does in-process.
   * Its connections are driven frame by frame (the kit's own handles, such as
   * Socket.IO sockets, stay in-process).
   */
  mock(type: string, pathOrConfig?: string | RemoteMockConfig, config: RemoteMockConfig = {}): Promise<RemoteMock> {
    return quietWait(async () => {
      const fields: Record<string, unknown> = typeof pathOrConfig === 'string' ? { path: pathOrConfig, ...config } : { ...(pathOrConfig ?? {}) };
      assertDeclarative(fields, `remote ${type} mock config`);
      // The envelope needs a path; a built-in kit's default is the one the in-process factory uses.
      if (fields.path === undefined) {
        const { BUILTIN_KITS } = await import('../kits/builtins.js');
        const kit = BUILTIN_KITS.find((k) => k.type === type);
        if (kit) fields.path = kit.defaultPath;
      }
      const envelope: Record<string, unknown> = { type };
      for (const key of ['id', 'name', 'enabled']) {
        if (fields[key] === undefined) continue;
        envelope[key] = fields[key];
        delete fields[key];
      }
      envelope[type] = fields;
      return this.mocks.define(envelope);
    });
  }

  /** A Socket.IO mock: `remote.mock('socketio', …)`, the kit's default path when none is given. */
  socketio(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('socketio', pathOrConfig, config);
  }

  /** A GraphQL over WebSocket mock: `remote.mock('graphql', …)`, the kit's default path when none is given. */
  graphql(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('graphql', pathOrConfig, config);
  }

  /** A JSON-RPC 2.0 mock: `remote.mock('jsonrpc', …)`, the kit's default path when none is given. */
  jsonrpc(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('jsonrpc', pathOrConfig, config);
  }

  /** A Server-Sent Events mock: `remote.mock('sse', …)`, the kit's default path when none is given. */
  sse(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('sse', pathOrConfig, config);
  }

  /** A Pusher Channels mock: `remote.mock('pusher', …)`, the kit's default path when none is given. */
  pusher(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('pusher', pathOrConfig, config);
  }

  /** An ActionCable mock: `remote.mock('actioncable', …)`, the kit's default path when none is given. */
  actioncable(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('actioncable', pathOrConfig, config);
  }

  /** A Phoenix Channels mock: `remote.mock('phoenix', …)`, the kit's default path when none is given. */
  phoenix(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('phoenix', pathOrConfig, config);
  }

  /** A Supabase Realtime mock: `remote.mock('supabase', …)`, the kit's default path when none is given. */
  supabase(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('supabase', pathOrConfig, config);
  }

  /** An MQTT over WebSocket broker: `remote.mock('mqtt', …)`, the kit's default path when none is given. */
  mqtt(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('mqtt', pathOrConfig, config);
  }

  /** A STOMP over WebSocket mock: `remote.mock('stomp', …)`, the kit's default path when none is given. */
  stomp(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('stomp', pathOrConfig, config);
  }

  /** A SignalR hub: `remote.mock('signalr', …)`, the kit's default path when none is given. */
  signalr(pathOrConfig?: string | RemoteMockConfig, config?: RemoteMockConfig): Promise<RemoteMock> {
    return this.mock('signalr', pathOrConfig, config);
  }

  /** Server-wide figures. */
  async stats(): Promise<Stats> {
    const { body } = await this.#http.call('GET', '/websocket/stats', { what: 'read the stats', retry: true });
    return body as unknown as Stats;
  }

  /**
   * Resets the whole server, as `server.reset()` does: every connection
   * closed with 1012, every mock removed (those of its config file too),
   * counters cleared. Parallel workers sharing a server remove their own
   * mocks instead.
   */
  async reset(): Promise<void> {
    await this.#http.call('POST', '/reset', { what: 'reset the server' });
  }

  /** Resolves with the open connections once exactly `count` are open on the server. */
  waitForConnectionCount(count: number, options: WaitOptions = {}): Promise<ConnectionInfo[]> {
    return quietWait(() => waitForCount(this.#http, count, timeoutOption(options, 'waitForConnectionCount')));
  }

  /**
   * Ends this handle: its waits in flight reject `WSMOCK_ERR_CONNECTION_CLOSED`
   * and later calls are refused. The server goes on.
   */
  async close(): Promise<void> {
    this.#http.close();
  }

  /** @internal What the runner matchers work on: a snapshot of the server, read now. */
  async [kMatcherView](): Promise<unknown> {
    const open = await this.connections.list();
    const view = {
      url: this.adminUrl,
      connections: { list: () => open },
      waitForConnectionCount: (count: number, options?: WaitOptions) => this.waitForConnectionCount(count, options),
    };
    brand(view, 'server');
    return view;
  }
}
