//
// How `mock.sendMessage()` reaches the contract layer that serves the mock's
// current version, without mocks/ importing the layer: the layer provides
// the builder once, when it loads (layer.ts).
//
import type { Connection } from '../connections/Connection.js';
import type { CompiledMock } from '../mocks/compile.js';

/** Builds contract message `key` (with `overrides`) for the mock version `compiled`, validated; throws when it cannot. */
export type ContractMessageBuilder = (compiled: CompiledMock, key: string, overrides: unknown, connection: Connection | undefined) => unknown;

let builder: ContractMessageBuilder | undefined;

/** Sets the builder (the contract layer, once). */
export function provideContractMessages(build: ContractMessageBuilder): void {
  builder = build;
}

/** The message `key` of the contract the mock version `compiled` serves, built and validated. */
export function contractMessage(compiled: CompiledMock, key: string, overrides: unknown, connection?: Connection): unknown {
  if (!builder) throw new Error('wsmock: the contract layer is not loaded (import wsmock from its package entry)');
  return builder(compiled, key, overrides, connection);
}
