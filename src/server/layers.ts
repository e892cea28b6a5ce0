//
// The server's layers, listed in one place: the capabilities that are not a
// protocol (layers/layer.ts). The rest of the server calls the generic hooks
// below, never a layer by name, except to reach the service behind one of
// its public methods (`server.chaos()`, `server.recording()`,
// `server.contractReport()`).
//
import { contractLayer, type ContractLayer } from '../asyncapi/layer.js';
import type { ContractEvents } from '../asyncapi/contracts.js';
import { chaosLayer, type ChaosLayer } from '../chaos/layer.js';
import type { ChaosEvent } from '../chaos/types.js';
import type { HandshakeHook, Layer } from '../layers/layer.js';
import type { CompiledMock } from '../mocks/compile.js';
import type { MockConfigBase } from '../mocks/Mock.js';
import type { MockLayers } from '../mocks/MockRegistry.js';
import type { PipelineLayer } from '../pipeline/stage.js';
import { proxyLayer, type ProxyLayer } from '../proxy/layer.js';
import { recordLayer, type RecordLayer } from '../record/layer.js';
import type { ResolvedOptions } from './options.js';

/** A server's layers, and the hooks the registry, the upgrade and the lifecycle call. */
export class ServerLayers implements MockLayers {
  readonly chaos: ChaosLayer;
  readonly record: RecordLayer;
  readonly proxy: ProxyLayer;
  readonly contract: ContractLayer;
  readonly #all: readonly Layer[];
  /** The upgrade's decision chain steps, in layer order. */
  readonly handshakeHooks: readonly HandshakeHook[];

  constructor(options: ResolvedOptions, faulted: (fault: ChaosEvent) => void, contracts: ContractEvents) {
    this.record = recordLayer(options.journal.limit);
    this.proxy = proxyLayer();
    this.chaos = chaosLayer(options.seed, options.chaos, options.journal.limit, faulted);
    this.contract = contractLayer(options.seed, options.journal.limit, contracts);
    // The pipeline's order: chaos first (its wrapper nearest the socket), then
    // the recorder (its stage sees a connection before anything is sent),
    // then the contract checks (they see a client frame before anything
    // handles it, and an upstream's frame as it came), then the proxy (its
    // intercept first to see what the upstream sends, its forward last, where
    // echo would be). In the upgrade, chaos's step comes before the mock's own
    // rules; after them the contract's (a strict mock refuses a handshake
    // that breaks it before the proxy dials) and the proxy's dial.
    this.#all = [this.chaos, this.record, this.contract, this.proxy];
    this.handshakeHooks = this.#all.flatMap((layer) => (layer.handshake ? [layer.handshake] : []));
  }

  pipeline(mockId: string): readonly PipelineLayer[] {
    return this.#all.flatMap((layer) => layer.pipeline?.(mockId) ?? []);
  }

  compiled(mockId: string, config: MockConfigBase, compiled: CompiledMock): void {
    for (const layer of this.#all) layer.compiled?.(mockId, config, compiled);
  }

  removed(mockId: string): void {
    for (const layer of this.#all) layer.removed?.(mockId);
  }

  setChaos(mockId: string, options: Parameters<ChaosLayer['setMock']>[1]): void {
    this.chaos.setMock(mockId, options);
  }

  note(): string | undefined {
    for (const layer of this.#all) {
      const note = layer.note?.();
      if (note !== undefined) return note;
    }
    return undefined;
  }

  /** `server.reset()`, once the mocks are removed. */
  async reset(): Promise<void> {
    for (const layer of this.#all) await layer.reset?.();
  }

  /** `server.close()`, once every connection is closed. */
  async close(): Promise<void> {
    for (const layer of this.#all) await layer.close?.();
  }
}
