//
// Brands for the public handles. The test-runner adapters recognise a
// connection, a mock or a server by these global symbols rather than by
// `instanceof` against one class: the ESM and CommonJS builds (or two installs
// of the package) each have their own classes, but share `Symbol.for` keys.
//
const kBrand = Symbol.for('wsmock.brand');

/** What a branded object is. */
export type Brand =
  | 'connection'
  | 'mock'
  | 'server'
  | 'socketio-socket'
  | 'graphql-operation'
  | 'jsonrpc-connection'
  | 'remote-connection'
  | 'remote-mock'
  | 'remote-server';

/** Marks `target` as a wsmock `kind`. Called once, in the constructor. */
export function brand(target: object, kind: Brand): void {
  Object.defineProperty(target, kBrand, { value: kind });
}

/** Whether `value` carries the brand `kind`, from this copy of wsmock or another. */
export function hasBrand(value: unknown, kind: Brand): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kBrand] === kind;
}

/**
 * Whether `value` is a wsmock mock whose `type` is `type` (`websocket`, `sse`…),
 * from any copy: what a mock kind's class (`WebSocketMock`, `SseMock`…) answers
 * to `instanceof`, where `Mock` answers for every mock.
 */
export function isMockOfType(value: unknown, type: string): boolean {
  return hasBrand(value, 'mock') && (value as { type?: unknown }).type === type;
}

/**
 * The method of a remote handle (`connectMockServer()`) that the runner
 * matchers call first: it reads what the handle shows from its server and
 * resolves with the subject the matcher works on. A `Symbol.for` key, so the
 * matchers of another copy of wsmock find it.
 */
export const kMatcherView = Symbol.for('wsmock.remote.matcherView');

/**
 * A remote connection's wait for its replay (or scenario) to end, for
 * `toHaveReplayed`: resolves with the scenario's snapshot (null without one)
 * and the close, once the scenario ended, the connection closed, or `timeout`
 * ms passed. Shared by copies of the package, as {@link kMatcherView} is.
 */
export const kScenarioOutcome = Symbol.for('wsmock.remote.scenarioOutcome');

/** Whether `value` is a remote handle (its state read over the admin API). */
export function isRemoteHandle(value: unknown): value is { [kMatcherView](): Promise<unknown> } {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[kMatcherView] === 'function';
}
