//
// A kit: one protocol, described once and registered on a server. The
// definition is plain data and functions, checked where it enters
// (`defineKit`), and branded with a global symbol so a kit made by one copy
// of wsmock is recognised by another. What a server does with it (its mock
// kind: validate, compile, handles) is made per copy, in kind.ts.
//
import { z } from 'zod';
import { invalidConfig, type ConfigIssue } from '../errors.js';
import type { Mock, MockConfigBase } from '../mocks/Mock.js';
import type { KitEndpointConfig, KitTransport } from '../mocks/compile.js';
import type { HandshakeConfig } from '../mocks/types.js';
import type { Stage } from '../pipeline/stage.js';
import type { KitConnection } from './KitConnection.js';
import type { KitContext, KitHost } from './context.js';
import { brandKit, type Kit } from './Kit.js';

export type { Kit };

/**
 * The fields of a WebSocket endpoint a kit can take for free, with the
 * meaning they have on a WebSocket mock: `true` (the default for the
 * `websocket` carrier) takes them all, a list only those, `false` none.
 *
 * @beta
 */
export type KitEndpointField = 'subprotocols' | 'requireSubprotocol' | 'maxMessageSize' | 'maxConnections' | 'idleTimeout' | 'heartbeat' | 'handshake' | 'chaos' | 'record';

/** Every {@link KitEndpointField}, in the order the docs list them. @beta */
export const KIT_ENDPOINT_FIELDS: readonly KitEndpointField[] = ['subprotocols', 'requireSubprotocol', 'maxMessageSize', 'maxConnections', 'idleTimeout', 'heartbeat', 'handshake', 'chaos', 'record'];

/**
 * The config a kit's mocks take in-process: identity and `path`, the
 * endpoint fields the kit takes, its schema's fields, with its `inProcess`
 * fields' in-process types.
 *
 * @beta
 */
export type KitConfigOf<Schema extends z.ZodObject, InProcess extends z.ZodRawShape = {}> = MockConfigBase &
  KitEndpointConfig &
  Omit<z.input<Schema>, keyof InProcess> & { [K in keyof InProcess]?: z.input<InProcess[K]> };

/** What `connect` does with one connection; may be async (a rejection is reported like a throw). @beta */
export type KitConnect<Config, M, C> = (connection: C, config: Config, mock: M) => void | Promise<void>;

/**
 * What the seam gives the advanced hooks when it compiles one version of a
 * mock: its id, validated config, the kit's state and the host its stages
 * report through.
 *
 * @beta
 */
export interface KitCompileContext<Config, State> {
  /** The mock's id. */
  readonly id: string;
  /** The version's validated config. */
  readonly config: Config;
  /** What the kit keeps across the mock's versions (`state()`), or undefined. */
  readonly state: State;
  /** What stages report through. */
  readonly host: KitHost;
}

/**
 * A handle class for a kit's mocks: constructed by the registry with the
 * init it passes to {@link KitMock}'s constructor.
 *
 * @beta
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KitMockClass<M> = new (init: any) => M;

/**
 * What {@link defineKit} takes.
 *
 * The plain kit needs `type`, `defaultPath`, `schema` and `connect`; `mock`
 * and `connection` add methods to the handles tests get. The fields under
 * "advanced" are what the built-in kits use (their own stages, transport,
 * state across versions, handle classes).
 *
 * @beta
 */
export interface KitDefinition<
  Type extends string = string,
  Schema extends z.ZodObject = z.ZodObject,
  InProcess extends z.ZodRawShape = {},
  MockMethods extends object = {},
  ConnectionMethods extends object = {},
  State = unknown,
  M = never,
> {
  /** The envelope's `type`, also the key of its fields: `{ type: 'line', line: { path: '/line' } }`. Letters, digits and `-`, starting with a letter. */
  type: Type;
  /** How messages name the kit (`Invalid JSON-RPC mock config: …`); default its `type`. */
  title?: string;
  /** The path a mock gets when its config names none (the built-in sugar: `server.graphql()` is `/graphql`). */
  defaultPath: string;
  /**
   * A zod object of the declarative fields (JSON values only): what config
   * files and the admin API write under the kit's `type`. `path`, `id`,
   * `name`, `enabled` and the endpoint fields are added by the seam; unknown
   * keys are refused with a "did you mean".
   */
  schema: Schema;
  /**
   * Fields whose in-process form differs (a function beside or instead of the
   * declarative value), as zod schemas: `{ onHello: z.custom<(name: string) => string>((v) => typeof v === 'function') }`.
   * They replace or add to `schema`'s fields for `server.mocks.add()` and
   * are left out of the envelope (`mock.toJSON()`, the admin API).
   */
  inProcess?: InProcess;
  /** Subprotocols offered when a mock's config names none. */
  subprotocols?: readonly string[];
  /**
   * Segments a client may append to a mock's path and still reach the mock:
   * `['websocket', 'longpoll']` routes `/socket/websocket` and
   * `/socket/longpoll` to a mock at `/socket` (Phoenix's client adds its
   * transport's name to the endpoint). A subpath may have several segments
   * joined by `/`, `*` standing for any one: SockJS's `{server}/{session}/websocket`
   * is three segments, the first two `*`. The mock keeps its own path and URL.
   */
  subpaths?: readonly string[];
  /**
   * What carries the kit's connections: `websocket` (the default), or the
   * name of another carrier its `transport` hook provides (`sse`). It is the
   * connections' `type` (`stats().byType`, `/metrics`, `connections.list({ type })`).
   */
  carrier?: string;
  /** Which WebSocket endpoint fields the kit takes; default all of them for the `websocket` carrier, none for another. */
  endpoint?: boolean | readonly KitEndpointField[];
  /**
   * Runs for every accepted connection. A throw (or a rejection) closes the
   * connection with 1011 and reaches `server.on('error')`; the server goes on.
   */
  connect?: KitConnect<KitConfigOf<Schema, InProcess>, KitMockHandle<KitConfigOf<Schema, InProcess>, KitConnectionHandle<ConnectionMethods>, MockMethods>, KitConnectionHandle<ConnectionMethods>>;
  /**
   * Methods added to the mock handle (`this` is the handle), or, advanced, a
   * class extending {@link KitMock}.
   */
  mock?: (MockMethods & ThisType<KitMockHandle<KitConfigOf<Schema, InProcess>, KitConnectionHandle<ConnectionMethods>, MockMethods>>) | KitMockClass<M>;
  /** Methods added to the connection handles (`this` is the handle: `conn.send()`, `conn.data`…). */
  connection?: ConnectionMethods & ThisType<KitConnectionHandle<ConnectionMethods>>;

  // ---- advanced ----

  /**
   * Advanced: rules across fields of the in-process config, checked after
   * the schema when a mock is defined or updated (config files and the admin
   * API included): each problem names its field path and rule.
   */
  validate?(config: KitConfigOf<Schema, InProcess>): ConfigIssue[];

  /** Advanced: what the kit keeps across a mock's versions (its arrivals, its handles), made once per mock. */
  state?(context: KitContext): State;
  /** Advanced: the kit's own stages, after the one running `connect`. */
  stages?(context: KitCompileContext<KitConfigOf<Schema, InProcess>, State>): Stage[];
  /** Advanced: a transport of the kit's own: plain HTTP on its path (SSE, Engine.IO polling), or what an upgrade becomes. */
  transport?(context: KitCompileContext<KitConfigOf<Schema, InProcess>, State>): KitTransport;
  /** Advanced: the handshake of every version, over the config's (SSE refuses WebSocket upgrades with 400). */
  handshake?(config: KitConfigOf<Schema, InProcess>): HandshakeConfig;
  /** Advanced: the largest frame, bytes, when the kit has its own field for it (Socket.IO's `maxPayload`). */
  maxPayload?(config: KitConfigOf<Schema, InProcess>): number | undefined;
  /**
   * Advanced: `false` when the carrier's frames must not pass the server's
   * layers (chaos, record): SSE's events are parts of one HTTP response, not
   * frames a network could drop or a recording replay. Default true.
   */
  layers?: boolean;
  /** Advanced: the envelope's fields from a config; default: the config without identity and `inProcess` fields. */
  fields?(config: KitConfigOf<Schema, InProcess>): Record<string, unknown>;
}

/** A handle of a kit's mocks when the kit names no handle class: {@link PlainKitMock} and the kit's `mock` methods. @beta */
export type KitMockHandle<Config extends MockConfigBase, C, MockMethods> = import('./KitMock.js').PlainKitMock<Config, C> & MockMethods;

/** A handle of a kit's connections: {@link KitConnection} and the kit's `connection` methods. @beta */
export type KitConnectionHandle<ConnectionMethods> = KitConnection & ConnectionMethods;

const TYPE = /^[a-z][a-z0-9-]{0,63}$/i;
const TYPE_RULE = 'must be 1-64 letters, digits or "-", starting with a letter';
const RESERVED = new Set(['id', 'name', 'type', 'enabled']);

/** Whether `value` is a zod object schema, from any copy of zod 4. */
function isZodObject(value: unknown): value is z.ZodObject {
  if (value instanceof z.ZodObject) return true;
  const def = (value as { _zod?: { def?: { type?: unknown } } } | null)?._zod?.def;
  return typeof value === 'object' && value !== null && def?.type === 'object' && typeof (value as { shape?: unknown }).shape === 'object';
}

const HOOKS = ['connect', 'validate', 'state', 'stages', 'transport', 'handshake', 'maxPayload', 'fields'] as const;

/** The problems of a definition, each naming its field and rule. */
function definitionIssues(definition: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { type, defaultPath, schema, inProcess, subprotocols, carrier, endpoint, mock, connection } = definition;
  if (typeof type !== 'string' || !TYPE.test(type)) issues.push({ path: 'type', message: TYPE_RULE });
  else if (RESERVED.has(type)) issues.push({ path: 'type', message: `must not be "${type}": it is a field of every envelope` });
  if (typeof defaultPath !== 'string' || !defaultPath.startsWith('/')) issues.push({ path: 'defaultPath', message: 'must be a string starting with "/"' });
  if (!isZodObject(schema)) issues.push({ path: 'schema', message: 'must be a zod object (z.object({ … }) from the z that wsmock/kit exports)' });
  else {
    for (const key of ['path', 'id', 'name', 'enabled']) {
      if (key in schema.shape) issues.push({ path: `schema.${key}`, message: 'is added by wsmock to every mock; leave it out of the schema' });
    }
  }
  if (inProcess !== undefined && (typeof inProcess !== 'object' || inProcess === null || Object.values(inProcess).some((field) => !(field instanceof z.ZodType) && !(field as { _zod?: unknown })?._zod))) {
    issues.push({ path: 'inProcess', message: 'must be an object of zod schemas, one per field' });
  }
  if (subprotocols !== undefined && (!Array.isArray(subprotocols) || subprotocols.some((p) => typeof p !== 'string' || p === ''))) {
    issues.push({ path: 'subprotocols', message: 'must be an array of non-empty strings' });
  }
  if (definition.subpaths !== undefined && (!Array.isArray(definition.subpaths) || definition.subpaths.some((p) => typeof p !== 'string' || !/^(?:[\w.~-]+|\*)(?:\/(?:[\w.~-]+|\*))*$/.test(p)))) {
    issues.push({ path: 'subpaths', message: 'must be an array of paths of segments (letters, digits, "_", ".", "~" or "-"; "*" for any one segment), joined by "/"' });
  }
  if (definition.title !== undefined && (typeof definition.title !== 'string' || definition.title === '')) issues.push({ path: 'title', message: 'must be a non-empty string' });
  if (carrier !== undefined && (typeof carrier !== 'string' || !TYPE.test(carrier))) issues.push({ path: 'carrier', message: TYPE_RULE });
  if (definition.layers !== undefined && typeof definition.layers !== 'boolean') issues.push({ path: 'layers', message: 'must be true or false' });
  if (endpoint !== undefined && typeof endpoint !== 'boolean' && (!Array.isArray(endpoint) || endpoint.some((f) => !KIT_ENDPOINT_FIELDS.includes(f)))) {
    issues.push({ path: 'endpoint', message: `must be true, false or a list of ${KIT_ENDPOINT_FIELDS.map((f) => `"${f}"`).join(', ')}` });
  }
  for (const hook of HOOKS) {
    if (definition[hook] !== undefined && typeof definition[hook] !== 'function') issues.push({ path: hook, message: 'must be a function' });
  }
  if (typeof carrier === 'string' && carrier !== 'websocket' && definition.transport === undefined) {
    issues.push({ path: 'carrier', message: `"${carrier}" needs a transport hook that carries its connections (without one they are WebSocket connections: leave carrier out)` });
  }
  if (definition.connect === undefined && definition.stages === undefined && definition.transport === undefined) {
    issues.push({ path: 'connect', message: 'is required: a function (connection, config, mock) run for every connection' });
  }
  if (mock !== undefined && typeof mock !== 'function' && (typeof mock !== 'object' || mock === null)) issues.push({ path: 'mock', message: 'must be an object of methods or a class extending KitMock' });
  if (connection !== undefined && (typeof connection !== 'object' || connection === null)) issues.push({ path: 'connection', message: 'must be an object of methods' });
  for (const [where, methods] of [['mock', mock], ['connection', connection]] as const) {
    if (typeof methods !== 'object' || methods === null) continue;
    for (const [name, method] of Object.entries(methods)) {
      if (typeof method !== 'function') issues.push({ path: `${where}.${name}`, message: 'must be a function' });
    }
  }
  return issues;
}

/**
 * Defines a protocol kit. Throws `WSMOCK_ERR_INVALID_CONFIG` naming every bad
 * field of the definition (a `type` that is not a name, a `schema` that is
 * not a zod object, a missing `connect`). Whether its `type` collides with
 * another kit's is checked where kits are registered (`createMockServer`).
 *
 * @example
 * ```ts
 * import { defineKit, z } from 'wsmock/kit';
 *
 * export const lineKit = defineKit({
 *   type: 'line',
 *   defaultPath: '/line',
 *   schema: z.object({ greeting: z.string().default('WELCOME') }),
 *   mock: {
 *     async waitForHello() {
 *       const conn = await this.waitForConnection();
 *       const hello = await conn.connection.waitForMessage((m) => m.text?.startsWith('HELLO ') === true);
 *       return hello.text!.slice(6);
 *     },
 *   },
 *   connect(conn, config) {
 *     conn.onMessage((message) => {
 *       const [verb, name] = (message.text ?? '').split(' ');
 *       if (verb === 'HELLO') return conn.send(`${config.greeting ?? 'WELCOME'} ${name}`);
 *     });
 *   },
 * });
 * ```
 *
 * @beta
 */
export function defineKit<
  const Type extends string,
  Schema extends z.ZodObject,
  InProcess extends z.ZodRawShape = {},
  MockMethods extends object = {},
  ConnectionMethods extends object = {},
  State = unknown,
  M = never,
>(
  definition: KitDefinition<Type, Schema, InProcess, MockMethods, ConnectionMethods, State, M>,
): Kit<
  Type,
  KitConfigOf<Schema, InProcess>,
  [M] extends [never] ? KitMockHandle<KitConfigOf<Schema, InProcess>, KitConnectionHandle<ConnectionMethods>, MockMethods> : M,
  KitConnectionHandle<ConnectionMethods>
> {
  if (typeof definition !== 'object' || definition === null) {
    throw invalidConfig('kit definition', [{ path: '', message: 'must be an object with at least type, defaultPath, schema and connect' }]);
  }
  const issues = definitionIssues(definition as unknown as Record<string, unknown>);
  if (issues.length > 0) throw invalidConfig(`kit definition${typeof definition.type === 'string' ? ` "${definition.type}"` : ''}`, issues);
  const kit = {
    type: definition.type,
    defaultPath: definition.defaultPath,
    carrier: definition.carrier ?? 'websocket',
    definition: Object.freeze({ ...definition }),
  };
  return brandKit(kit);
}
