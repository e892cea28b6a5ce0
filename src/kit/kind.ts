//
// A kit as a mock kind of this copy of wsmock: the envelope schema of its
// fields (path, the endpoint fields it takes, its schema), the in-process
// validation, compiling a version (the endpoint, the kit stage and the kit's
// own stages, its transport), the envelope's fields and its handle class.
// Made once per kit and copy, so a kit defined by another copy of wsmock
// runs on this copy's classes.
//
import { z } from 'zod';
import type { Connection } from '../connections/Connection.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { compileEndpoint, type CompiledMock } from '../mocks/compile.js';
import type { PathPattern } from '../mocks/router.js';
import type { Mock, MockConfigBase, MockInit, MockKind } from '../mocks/Mock.js';
import { declarative, identity, inProcess as inProcessSchemas, pathTemplate } from '../mocks/schema.js';
import { parseWith } from '../mocks/validate.js';
import { invalidConfig } from '../errors.js';
import { assemble, layerStages } from '../pipeline/pipeline.js';
import type { Stage } from '../pipeline/stage.js';
import type { KitHost } from './context.js';
import { KIT_ENDPOINT_FIELDS, type KitDefinition, type KitEndpointField } from './defineKit.js';
import type { Kit } from './Kit.js';
import { KitHandles, type KitState } from './handles.js';
import { KitConnection, type KitListeners } from './KitConnection.js';
import { PlainKitMock } from './KitMock.js';
import { kitStage } from './stage.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKind = MockKind<any, Mock<any>, any>;

const kinds = new WeakMap<Kit, AnyKind>();

/** The endpoint fields a kit takes. */
function endpointFields(definition: KitDefinition): readonly KitEndpointField[] {
  const endpoint = definition.endpoint ?? (definition.carrier ?? 'websocket') === 'websocket';
  if (endpoint === true) return KIT_ENDPOINT_FIELDS;
  if (endpoint === false) return [];
  return endpoint;
}

function pick(shape: z.ZodRawShape, keys: readonly string[]): z.ZodRawShape {
  return Object.fromEntries(keys.map((key) => [key, shape[key]!]));
}

/** A strict object of `shape`, with the object-level checks of the kit's schema kept. */
function strictWithChecks(schema: z.ZodObject, shape: z.ZodRawShape): z.ZodObject {
  const object = z.strictObject(shape);
  const checks = schema._zod.def.checks ?? [];
  return checks.length > 0 ? object.check(...(checks as z.core.$ZodCheck<Record<string, unknown>>[])) : object;
}

/** Copies `methods` onto a new prototype of `base`: the kit's `mock` or `connection` methods. */
function withMethods<T extends abstract new (...args: never[]) => object>(base: T, type: string, methods: object | undefined): T {
  if (!methods) return base;
  // A named subclass, so a stack trace says which kit's handle it is.
  const Sub = { [`${type}Handle`]: class extends (base as unknown as new (...args: unknown[]) => object) {} }[`${type}Handle`]!;
  for (const [name, method] of Object.entries(methods)) {
    Object.defineProperty(Sub.prototype, name, { value: method, writable: true, configurable: true, enumerable: false });
  }
  return Sub as unknown as T;
}

/**
 * `pattern`, also matching `{path}/{subpath}` for each of the kit's
 * `subpaths`; a subpath of several segments may hold `*`, any one segment
 * (SockJS's `{server}/{session}/websocket`).
 */
function withSubpaths(pattern: PathPattern, subpaths: readonly string[]): PathPattern {
  const split = subpaths.map((subpath) => subpath.split('/'));
  return {
    ...pattern,
    match(pathname) {
      const direct = pattern.match(pathname);
      if (direct) return direct;
      const segments = pathname.replace(/\/+$/, '').split('/');
      for (const tail of split) {
        if (segments.length - tail.length < 2) continue;
        const end = segments.slice(-tail.length);
        if (!tail.every((want, i) => want === '*' || want === end[i])) continue;
        const base = pattern.match(segments.slice(0, -tail.length).join('/'));
        if (base) return base;
      }
      return undefined;
    },
  };
}

/** The mock kind of `kit` in this copy of wsmock. @internal */
export function kitKind(kit: Kit): AnyKind {
  let kind = kinds.get(kit);
  if (!kind) {
    kind = makeKind(kit);
    kinds.set(kit, kind);
  }
  return kind;
}

function makeKind(kit: Kit): AnyKind {
  const definition = kit.definition as KitDefinition<string, z.ZodObject, z.ZodRawShape, object, object, unknown>;
  const { type } = definition;
  const endpoint = endpointFields(definition);
  const ownShape = definition.schema.shape as z.ZodRawShape;
  const inProcessShape = (definition.inProcess ?? {}) as z.ZodRawShape;
  const declarativeFields = strictWithChecks(definition.schema, { path: pathTemplate, ...pick(declarative.mockFields.shape, endpoint), ...ownShape });
  const inProcessFields = strictWithChecks(definition.schema, {
    path: pathTemplate,
    ...pick(inProcessSchemas.inProcessMock.shape, endpoint),
    ...ownShape,
    ...inProcessShape,
    ...identity,
  });
  const inProcessOnly = new Set(Object.keys(inProcessShape).filter((key) => !(key in ownShape)));

  const MockClass = (typeof definition.mock === 'function' ? definition.mock : withMethods(PlainKitMock, type, definition.mock)) as unknown as new (
    init: MockInit,
  ) => Mock;
  const ConnectionClass = withMethods(KitConnection, type, definition.connection) as unknown as new (connection: Connection, listeners: KitListeners) => KitConnection;

  return {
    type,
    defaultPath: definition.defaultPath,
    carrier: kit.carrier,
    kit,
    declarative: declarativeFields,
    validate(input: unknown): MockConfigBase {
      const what = `${definition.title ?? type} mock config`;
      const config = parseWith<MockConfigBase>(inProcessFields, what, input);
      const issues = definition.validate?.(config as never) ?? [];
      if (issues.length > 0) throw invalidConfig(what, issues);
      return config;
    },
    state(group): KitState {
      return {
        handles: new KitHandles(group, (connection, listeners) => new ConnectionClass(connection, listeners)),
        own: definition.state?.({ group }),
      };
    },
    compile(id, config: MockConfigBase, state: KitState, host): CompiledMock {
      const kitHost: KitHost = { report: host.report, connectionCount: host.connectionCount };
      const context = { id, config, state: state.own, host: kitHost };
      const stages: Stage[] = [];
      if (definition.connect) stages.push(kitStage({ type, connect: definition.connect as never, config, handles: state.handles, host: kitHost }));
      stages.push(...(definition.stages?.(context as never) ?? []));
      const endpointConfig = { ...config, subprotocols: (config as { subprotocols?: string[] }).subprotocols ?? (definition.subprotocols ? [...definition.subprotocols] : undefined) };
      const layers = definition.layers === false ? undefined : layerStages(endpointConfig as WebSocketMockConfig, host);
      const pipeline = layers ? assemble([...layers.first, ...stages, ...layers.last], host) : assemble(stages, { report: host.report });
      const compiled = compileEndpoint(id, endpointConfig, pipeline);
      const handshake = definition.handshake?.(config as never);
      const maxPayload = definition.maxPayload?.(config as never);
      const transport = definition.transport?.(context as never);
      const handshakeOf = handshake ? { ...compiled.handshake, ...handshake, headers: handshake.headers ?? {}, delay: compiled.handshake.delay } : compiled.handshake;
      return {
        ...compiled,
        ...(definition.subpaths?.length ? { pattern: withSubpaths(compiled.pattern, definition.subpaths) } : {}),
        ...(maxPayload !== undefined ? { maxPayload } : {}),
        // The transport's own verdict on a handshake (Engine.IO's session check) decides it.
        handshake: transport?.verify ? { ...handshakeOf, verify: transport.verify } : handshakeOf,
        ...(transport ? { transport } : {}),
      };
    },
    fields(config: MockConfigBase): Record<string, unknown> {
      if (definition.fields) return definition.fields(config as never);
      const { id: _id, name: _name, enabled: _enabled, ...rest } = config as MockConfigBase & Record<string, unknown>;
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rest)) {
        if (inProcessOnly.has(key) || typeof value === 'function' || value === undefined) continue;
        if (key === 'handshake' && value !== null && typeof value === 'object') {
          const { verify: _verify, ...declarativePart } = value as { verify?: unknown };
          if (Object.keys(declarativePart).length > 0) fields.handshake = declarativePart;
          continue;
        }
        fields[key] = value;
      }
      return fields;
    },
    create(init): Mock {
      const mock = new MockClass(init);
      (init.state as KitState).handles.mock = mock;
      return mock;
    },
  };
}
