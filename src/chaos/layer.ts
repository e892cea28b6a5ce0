//
// Chaos as a layer of the server (layers/layer.ts): the network lanes around
// every mock's pipeline (lanes.ts), the handshake faults as the first step of
// the upgrade's decision chain, and ServerChaos as its service, behind
// `server.chaos()`, `mock.chaos()` and the seed note of failure messages.
//
import type { Connection } from '../connections/Connection.js';
import { recordFault } from './faults.js';
import type { Layer } from '../layers/layer.js';
import type { MockConfigBase } from '../mocks/Mock.js';
import { realClearTimeout, realSetTimeout } from '../util/clock.js';
import { cloneConfig } from '../util/clone.js';
import { chaosLanes } from './lanes.js';
import { ServerChaos } from './ServerChaos.js';
import type { ChaosEvent, ChaosOptions } from './types.js';
import { validateChaos } from './validate.js';

/** The chaos layer, with the service the server's methods reach. */
export interface ChaosLayer extends Layer {
  readonly service: ServerChaos;
  /** `server.chaos(options)`: validated, then the default of every mock. */
  configure(options: ChaosOptions | null): void;
  /** `server.chaosOptions`: a copy of the default, or `null`. */
  options(): ChaosOptions | null;
  /** `mock.chaos(options)`: a mock's own chaos, over the default key by key. */
  setMock(mockId: string, options: ChaosOptions | null | undefined): void;
}

/**
 * Makes the chaos layer; `faulted` hears every applied fault (counted and
 * emitted by the server), each also journaled on its connection (its first
 * `journalLimit`).
 */
export function chaosLayer(seed: number, defaults: ChaosOptions | undefined, journalLimit: number, faulted: (fault: ChaosEvent) => void): ChaosLayer {
  const service = new ServerChaos(seed, defaults, (mockId, connection: Connection | undefined, fault) => {
    if (connection) recordFault(connection, fault, journalLimit);
    faulted({ ...fault, mockId, ...(connection ? { connectionId: connection.id } : {}) });
  });
  return {
    name: 'chaos',
    service,
    configure: (options) => service.setDefaults(validateChaos(options, 'server chaos', [])),
    options: () => (service.defaults ? cloneConfig(service.defaults) : null),
    setMock: (mockId, options) => service.of(mockId).set(options),
    pipeline(mockId) {
      const chaos = service.of(mockId);
      return { wrap: (ends) => chaosLanes(chaos, ends.outbound, ends.inbound) };
    },
    handshake: {
      at: 'route',
      // Seeded chaos acts first, as the network would: a held or refused
      // handshake never reaches the mock's own rules.
      decide({ mock }) {
        const fault = service.of(mock.id).handshake();
        if (!fault) return undefined;
        const verdict = fault.refuse === undefined ? undefined : { refuse: { status: fault.refuse, body: { error: 'chaos_refused', status: fault.refuse, mockId: mock.id } } };
        if (fault.delay === 0) return verdict;
        let timer: NodeJS.Timeout | undefined;
        const outcome = new Promise<typeof verdict>((resolve) => {
          timer = realSetTimeout(() => resolve(verdict), fault.delay);
        });
        return { hold: { outcome, abort: () => realClearTimeout(timer) } };
      },
    },
    // A version's own chaos (the WebSocket kind's field, and a WebSocket kit's; the others take the server's default).
    compiled: (mockId, config: MockConfigBase) => service.of(mockId).set((config as { chaos?: ChaosOptions | null }).chaos),
    removed: (mockId) => service.forget(mockId),
    note: () => service.note(),
    reset: () => service.reset(),
  };
}
