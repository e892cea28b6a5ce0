//
// Contract checking as a layer of the server (layers/layer.ts): for a mock
// with a `contract`, the check stage first in its pipeline and, when it
// answers from the contract, the reply stage last (stages.ts); a step of the
// upgrade's chain after the mock's own rules that holds a handshake until the
// mock's contract is ready and, in `strict` mode, refuses one that breaks the
// channel's bindings or parameters (400); ServerContracts as its service,
// behind `server.asyncapi()`, `server.contractReport()` and
// `mock.sendMessage()`. A server whose mocks have no contract never loads
// the runtime (ajv, the AsyncAPI schemas): the service imports it on first bind.
//
import type { Connection } from '../connections/Connection.js';
import type { HookRefusal, HookVerdict, Layer } from '../layers/layer.js';
import type { CompiledMock } from '../mocks/compile.js';
import type { MockConfigBase } from '../mocks/Mock.js';
import type { WebSocketMockConfig } from '../mocks/types.js';
import { invalidArgument } from '../errors.js';
import type { BoundContract } from './binding.js';
import { ServerContracts, type ContractEvents, type MockBinding } from './contracts.js';
import { provideContractMessages } from './messageHook.js';
import { contractStage, replyStage, type Pending } from './stages.js';

/** The contract layer, with the service the server's methods reach. */
export interface ContractLayer extends Layer {
  readonly service: ServerContracts;
  /** The binding of a mock version (undefined: it has no contract). */
  bindingOf(compiled: CompiledMock): MockBinding | undefined;
}

/** Each mock version's binding, whichever server compiled it (`mock.sendMessage()` finds it by the version). */
const versions = new WeakMap<CompiledMock, { binding: MockBinding; service: ServerContracts }>();

provideContractMessages((compiled, key, overrides, connection) => {
  const version = versions.get(compiled);
  if (!version) throw invalidArgument(`sendMessage("${key}"): this mock has no contract (give it one with server.asyncapi() or a "contract" field)`);
  const bound = version.binding.bound;
  if (!bound) {
    throw invalidArgument(
      version.binding.error
        ? `sendMessage("${key}"): the mock's contract could not be loaded: ${version.binding.error.message}`
        : `sendMessage("${key}"): the mock's contract is still loading (await server.asyncapi(), or a first connection)`,
    );
  }
  return version.service.build(bound, version.binding.mockId, key, overrides, connection);
});

/** The query of a request URL, last value winning. */
function queryOf(url: string | undefined): Record<string, string> {
  return Object.fromEntries(new URL(url ?? '/', 'http://localhost').searchParams);
}

/** A strict mock's refusal of a handshake that breaks its contract, if it does. */
function strictVerdict(service: ServerContracts, bound: BoundContract, query: Record<string, string>, headers: Record<string, unknown>, params: Record<string, string>): HookVerdict {
  if (bound.mode !== 'strict') return undefined;
  const faults = service.handshakeFaults(bound, query, headers, params);
  if (faults.length === 0) return undefined;
  const errors = faults.flatMap((f) => f.errors);
  const first = errors[0]!;
  const refusal: HookRefusal = {
    status: 400,
    body: { error: 'contract_violation', message: `the handshake breaks the contract of channel "${faults[0]!.channel.id}": ${first.path} ${first.message}`, channel: faults[0]!.channel.id, errors },
  };
  return { refuse: refusal };
}

/** Makes the contract layer; `events` hears each violation and each contract that could not be bound. */
export function contractLayer(seed: number, journalLimit: number, events: ContractEvents): ContractLayer {
  const service = new ServerContracts(seed, journalLimit, events);
  /** The binding made for a config while its version compiles, until `compiled()` files it under the version. */
  const byConfig = new WeakMap<object, MockBinding>();
  return {
    name: 'contract',
    service,
    bindingOf: (compiled) => versions.get(compiled)?.binding,
    pipeline: (mockId) => ({
      stages(config: WebSocketMockConfig, context) {
        if (!config.contract) return undefined;
        const binding = service.bind(mockId, config.contract, config.path);
        byConfig.set(config, binding);
        const pending: Pending = new WeakMap();
        const replies = config.contract.replies !== undefined && config.contract.replies !== false;
        return { first: contractStage(binding, service, pending, context), last: replies ? replyStage(binding, pending, context) : undefined };
      },
    }),
    compiled(_mockId, config: MockConfigBase, compiled) {
      const binding = byConfig.get(config);
      if (binding) versions.set(compiled, { binding, service });
    },
    handshake: {
      at: 'accepted',
      decide({ request, compiled }) {
        const binding = versions.get(compiled)?.binding;
        if (!binding) return undefined;
        const params = () => compiled.pattern.match(new URL(request.url ?? '/', 'http://localhost').pathname) ?? {};
        const verdict = (bound: BoundContract) => strictVerdict(service, bound, queryOf(request.url), request.headers, params());
        const failed = (err: Error): HookVerdict => ({ refuse: { status: 500, body: { error: 'contract_unavailable', message: err.message } } });
        if (binding.bound) return verdict(binding.bound);
        if (binding.error) return failed(binding.error);
        // Held until the contract is ready: no frame goes unchecked.
        return { hold: { outcome: binding.ready.then(verdict, failed), dropOnReset: true } };
      },
    },
    removed: (mockId) => service.forget(mockId),
    reset: () => service.reset(),
  };
}

