//
// The kit as a value: what defineKit returns and createMockServer({ kits })
// and server.mocks.add() take. A leaf: the registry names it without
// depending on how a kit is defined or compiled.
//
const kKit = Symbol.for('wsmock.kit');

/**
 * A protocol kit, made by `defineKit` (`wsmock/kit`): register it with
 * `createMockServer({ kits: [kit] })`, define mocks with
 * `server.mocks.add(kit, config)`.
 *
 * @beta
 */
export interface Kit<Type extends string = string, Config = unknown, M = unknown, C = unknown> {
  /** The envelope's `type`. */
  readonly type: Type;
  /** The path of a mock whose config names none. */
  readonly defaultPath: string;
  /** What carries its connections (`websocket`, `sse`, …). */
  readonly carrier: string;
  /** The definition given to `defineKit` (checked, frozen). */
  readonly definition: object;
  /** Type-only: the config its mocks take. */
  readonly __config?: Config;
  /** Type-only: its mock handle. */
  readonly __mock?: M;
  /** Type-only: its connection handle. */
  readonly __connection?: C;
}

/** The config of a kit's mocks. @beta */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConfigOfKit<K> = K extends Kit<any, infer Config, any, any> ? Config : never;
/** The mock handle of a kit. @beta */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MockOfKit<K> = K extends Kit<any, any, infer M, any> ? M : never;
/** The connection handle of a kit. @beta */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConnectionOfKit<K> = K extends Kit<any, any, any, infer C> ? C : never;

/** Brands and freezes a checked kit. @internal */
export function brandKit<K extends Kit>(kit: Omit<K, '__config' | '__mock' | '__connection'>): K {
  Object.defineProperty(kit, kKit, { value: true });
  return Object.freeze(kit) as K;
}

/** Whether `value` is a kit made by `defineKit`, from this copy of wsmock or another. @beta */
export function isKit(value: unknown): value is Kit {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kKit] === true;
}
