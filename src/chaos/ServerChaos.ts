//
// Who holds the chaos that is running: the server's default and each mock's
// own, merged and compiled into the settings the lanes read per frame. The
// settings live here, not in the mock's compiled version, so `mock.chaos()`
// and `server.chaos()` change the next frame without closing any client
// (an `update()` recompiles and closes them with 1012).
//
import type { Connection } from '../connections/Connection.js';
import { SeededRandom } from '../util/random.js';
import { compileChaos, mergeChaos, type ChaosSettings, type DelayRange } from './settings.js';
import type { ChaosFault, ChaosOptions } from './types.js';

/** Where applied faults go: the connection's journal, the counters, the server's `chaos` event. */
export type ChaosReport = (mockId: string, connection: Connection | undefined, fault: ChaosFault) => void;

/** What chaos does to one handshake. */
export interface HandshakeFault {
  /** Hold the handshake this long first (ms). */
  delay: number;
  /** Refuse it with this status after the delay. */
  refuse: number | undefined;
}

/** FNV-1a: a mock id as 32 bits, so each mock's handshakes draw from their own streams. */
function hash(text: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x0100_0193);
  return h >>> 0;
}

/** A draw in a delay range (no draw for a fixed delay), whole milliseconds. */
export function drawDelay(range: DelayRange, random: SeededRandom): number {
  return range.max > range.min ? Math.round(range.min + random.next() * (range.max - range.min)) : range.min;
}

/** One mock's chaos: its own options over the server's default, compiled. */
export class MockChaos {
  readonly mockId: string;
  /** What the lanes read per frame; undefined while chaos is off for this mock. */
  settings: ChaosSettings | undefined;
  readonly #server: ServerChaos;
  #own: ChaosOptions | null | undefined;
  /** Handshakes since the settings last changed: `refuse.first` counts them, and each draws from stream n. */
  #handshakes = 0;

  /** @internal */
  constructor(mockId: string, server: ServerChaos) {
    this.mockId = mockId;
    this.#server = server;
  }

  /** The mock's own chaos (`null`: off whatever the default; undefined: the default). */
  set(own: ChaosOptions | null | undefined): void {
    this.#own = own;
    this.refresh();
  }

  /** Recompiles after the mock's or the server's options changed; the handshake count starts again. */
  refresh(): void {
    const merged = mergeChaos(this.#server.defaults, this.#own);
    this.settings = merged ? compileChaos(merged) : undefined;
    this.#handshakes = 0;
  }

  /** Decides the chaos of a handshake; undefined when there is none. */
  handshake(): HandshakeFault | undefined {
    const s = this.settings;
    if (!s || (!s.refuse && !s.handshakeDelay)) return undefined;
    const n = this.#handshakes++;
    // Handshakes have no connection yet: they draw from a stream of their own,
    // derived from the seed, the mock and the handshake's number.
    const random = SeededRandom.stream(this.#server.seed ^ hash(this.mockId), n);
    const delay = s.handshakeDelay ? drawDelay(s.handshakeDelay, random) : 0;
    let refuse: number | undefined;
    if (s.refuse) {
      const drawn = s.refuse.probability > 0 && random.next() < s.refuse.probability;
      if (n < s.refuse.first || drawn) refuse = s.refuse.status;
    }
    if (delay > 0) this.report(undefined, { at: Date.now(), kind: 'handshakeDelay', direction: 'handshake', frameIndex: null, detail: { ms: delay, handshake: n } });
    if (refuse !== undefined) this.report(undefined, { at: Date.now(), kind: 'refuse', direction: 'handshake', frameIndex: null, detail: { status: refuse, handshake: n } });
    if (delay === 0 && refuse === undefined) return undefined;
    return { delay, refuse };
  }

  /** Journals, counts and emits a fault. */
  report(connection: Connection | undefined, fault: ChaosFault): void {
    this.#server.report(this.mockId, connection, fault);
  }
}

/** The server's chaos: the default for every mock, and each mock's holder. */
export class ServerChaos {
  readonly seed: number;
  readonly report: ChaosReport;
  #defaults: ChaosOptions | undefined;
  /** The default the server was created with: `reset()` goes back to it. */
  readonly #initial: ChaosOptions | undefined;
  readonly #mocks = new Map<string, MockChaos>();

  /** @internal */
  constructor(seed: number, defaults: ChaosOptions | undefined, report: ChaosReport) {
    this.seed = seed;
    this.#defaults = defaults;
    this.#initial = defaults;
    this.report = report;
  }

  /** The server's default chaos. */
  get defaults(): ChaosOptions | undefined {
    return this.#defaults;
  }

  /** Replaces the server's default; every mock's next frame follows it. */
  setDefaults(options: ChaosOptions | null | undefined): void {
    this.#defaults = options ?? undefined;
    for (const mock of this.#mocks.values()) mock.refresh();
  }

  /** Back to the default the server was created with (`server.reset()`). */
  reset(): void {
    this.setDefaults(this.#initial);
  }

  /** The holder of a mock's chaos, made on first use. */
  of(mockId: string): MockChaos {
    let mock = this.#mocks.get(mockId);
    if (!mock) {
      mock = new MockChaos(mockId, this);
      mock.refresh();
      this.#mocks.set(mockId, mock);
    }
    return mock;
  }

  /** A removed mock's holder goes. */
  forget(mockId: string): void {
    this.#mocks.delete(mockId);
  }

  /** Whether any chaos is on: the default, or a mock's own. */
  get on(): boolean {
    if (this.#defaults) return true;
    for (const mock of this.#mocks.values()) if (mock.settings) return true;
    return false;
  }

  /** What failure messages end with while chaos is on. */
  note(): string | undefined {
    return this.on ? `chaos seed ${this.seed} (createMockServer({ seed: ${this.seed} }) replays it)` : undefined;
  }
}
