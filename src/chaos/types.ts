//
// The public shapes of seeded chaos: the options (a mock's `chaos`, the
// server's default) and the faults it journals. No imports from the rest of
// the package but types, so any module may name them.
//
import type { MatchSpec } from '../behaviour/types.js';
import type { Duration } from '../util/duration.js';
import type { ChaosFault } from '../connections/types.js';

/** A uniform jitter: each delay drawn between `min` and `max`. */
export interface ChaosJitter {
  /** The shortest delay. */
  min: Duration;
  /** The longest delay; not less than `min`. */
  max: Duration;
}

/** A fixed delay (`'50ms'`, `50`) or a uniform jitter between `min` and `max`. */
export type ChaosDelay = Duration | ChaosJitter;

/** A clean close: the close frame chaos sends. */
export interface ChaosClose {
  /** The close code (1000, 1001-1014 but not 1004-1006, or 3000-4999). */
  code: number;
  /** The close reason (at most 123 bytes). */
  reason?: string;
}

/** How a chaos disconnect closes the connection: `abrupt` destroys the socket with no close frame. */
export type ChaosDisconnectMode = 'abrupt' | ChaosClose;

/** Frames held and shuffled in windows. */
export interface ChaosReorder {
  /** Frames per window, 2 or more. */
  window: number;
  /** How long a partial window waits for the rest before it leaves (default 50 ms). */
  hold?: Duration;
}

/** When chaos closes a connection; the first condition met wins. */
export interface ChaosDisconnect {
  /** Probability, per frame, of closing after it. */
  probability?: number;
  /** Close after this many frames (of the chaos's directions). */
  afterFrames?: number;
  /** Close this long after the connection opened. */
  afterMs?: Duration;
  /** `abrupt` (no close frame: the client sees 1006) or `{ code, reason }`. */
  mode: ChaosDisconnectMode;
}

/** Which handshakes chaos refuses. */
export interface ChaosRefuse {
  /** Refuse the first n handshakes of the mock (counted from when the chaos was set). */
  first?: number;
  /** Refuse each later handshake with this probability. */
  probability?: number;
  /** The HTTP status of the refusal (default 503). */
  status?: number;
}

/**
 * Network faults injected on a mock's connections, every decision drawn from
 * the server's seeded random (`createMockServer({ seed })`), per connection:
 * the same seed and the same traffic give the same faults.
 *
 * @example
 * ```ts
 * const server = await createMockServer({ seed: 1234 });
 * server.websocket('/feed', { chaos: { drop: 0.1, delay: { min: '5ms', max: '20ms' }, refuse: { first: 2 } } });
 * ```
 */
export interface ChaosOptions {
  /** Which frames: `out` (default, what the server sends), `in` (what clients send, before the mock's stages see it) or `both`. */
  direction?: 'in' | 'out' | 'both';
  /** Probability (0 to 1) that a frame is lost. */
  drop?: number;
  /** Probability that a frame is delivered twice. */
  duplicate?: number;
  /** Probability that a frame is corrupted: a byte flipped in a binary frame, a character replaced in a text frame (still valid UTF-8). */
  corrupt?: number;
  /** Probability that a frame is cut short. */
  truncate?: number;
  /** Every frame waits this long (`'50ms'`), or a uniform jitter (`{ min, max }`). Frames keep their order. */
  delay?: ChaosDelay;
  /** Frames are held in windows of `window` (2 or more) and each window leaves shuffled; a partial window leaves after `hold` (default 50 ms). */
  reorder?: ChaosReorder;
  /** Close the connection: with a probability per frame, after a number of frames, or after a time from the open. */
  disconnect?: ChaosDisconnect;
  /** Refuse handshakes: the first `first` of the mock, and each later one with `probability`; HTTP `status` (default 503). */
  refuse?: ChaosRefuse;
  /** Hold every handshake this long, or a jitter (`{ min, max }`), before answering it. */
  handshakeDelay?: ChaosDelay;
  /** Only frames matching this spec (or any of these) get faults. */
  only?: MatchSpec | MatchSpec[];
  /** Frames matching this spec (or any of these) never get faults. */
  except?: MatchSpec | MatchSpec[];
}

/** The fault journal's entries live with the connection that keeps them. */
export type { ChaosFault, ChaosFaultKind } from '../connections/types.js';

/** A fault as the server's `chaos` event reports it: with the mock, and the connection when there is one. */
export interface ChaosEvent extends ChaosFault {
  /** The mock whose chaos applied it. */
  mockId: string;
  /** Absent for a handshake fault (there is no connection yet). */
  connectionId?: string;
}
