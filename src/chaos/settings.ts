//
// ChaosOptions → the settings the chaos lanes read per frame: probabilities
// as numbers, durations in milliseconds, `only`/`except` compiled once.
//
import { compileMatch } from '../behaviour/match.js';
import type { MatchSpec } from '../behaviour/types.js';
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import { parseDuration } from '../util/duration.js';
import type { ChaosDelay, ChaosDisconnectMode, ChaosOptions } from './types.js';

/** A delay in milliseconds: fixed when `min === max`. */
export interface DelayRange {
  readonly min: number;
  readonly max: number;
}

/** Compiled chaos: what the lanes and the upgrade read. */
export interface ChaosSettings {
  /** Whether frames the server sends get faults. */
  readonly out: boolean;
  /** Whether frames clients send get faults. */
  readonly in: boolean;
  readonly drop: number;
  readonly duplicate: number;
  readonly corrupt: number;
  readonly truncate: number;
  readonly delay: DelayRange | undefined;
  readonly reorder: { readonly window: number; readonly hold: number } | undefined;
  readonly disconnect: { readonly probability: number; readonly afterFrames: number | undefined; readonly afterMs: number | undefined; readonly mode: ChaosDisconnectMode } | undefined;
  readonly refuse: { readonly first: number; readonly probability: number; readonly status: number } | undefined;
  readonly handshakeDelay: DelayRange | undefined;
  /** Whether a frame is a target (`only` and `except`); undefined: every frame is. */
  readonly targets: ((message: Message, connection: Connection) => boolean) | undefined;
}

/** How long a partial reorder window waits for the rest. */
export const DEFAULT_REORDER_HOLD = 50;
/** The status of a chaos refusal. */
export const DEFAULT_REFUSE_STATUS = 503;

function range(delay: ChaosDelay | undefined): DelayRange | undefined {
  if (delay === undefined) return undefined;
  if (typeof delay === 'object') return { min: parseDuration(delay.min) ?? 0, max: parseDuration(delay.max) ?? 0 };
  const ms = parseDuration(delay) ?? 0;
  return { min: ms, max: ms };
}

function anyOf(specs: MatchSpec | MatchSpec[]): (message: Message, connection: Connection) => boolean {
  const tests = (Array.isArray(specs) ? specs : [specs]).map((spec) => compileMatch<Connection>(spec));
  return (message, connection) => tests.some((test) => test(message, connection));
}

/**
 * A mock's chaos over the server's default: the mock's keys win. `null` on the
 * mock turns chaos off for it whatever the default; undefined takes the default.
 */
export function mergeChaos(serverDefault: ChaosOptions | null | undefined, mock: ChaosOptions | null | undefined): ChaosOptions | undefined {
  if (mock === null) return undefined;
  if (!serverDefault) return mock ?? undefined;
  return mock ? { ...serverDefault, ...mock } : serverDefault;
}

/** Compiles validated options. */
export function compileChaos(options: ChaosOptions): ChaosSettings {
  const direction = options.direction ?? 'out';
  const only = options.only === undefined ? undefined : anyOf(options.only);
  const except = options.except === undefined ? undefined : anyOf(options.except);
  const targets =
    only && except ? (m: Message, c: Connection) => only(m, c) && !except(m, c) : only ?? (except ? (m: Message, c: Connection) => !except(m, c) : undefined);
  const d = options.disconnect;
  return {
    out: direction !== 'in',
    in: direction !== 'out',
    drop: options.drop ?? 0,
    duplicate: options.duplicate ?? 0,
    corrupt: options.corrupt ?? 0,
    truncate: options.truncate ?? 0,
    delay: range(options.delay),
    reorder: options.reorder ? { window: options.reorder.window, hold: parseDuration(options.reorder.hold) ?? DEFAULT_REORDER_HOLD } : undefined,
    disconnect: d ? { probability: d.probability ?? 0, afterFrames: d.afterFrames, afterMs: parseDuration(d.afterMs), mode: d.mode } : undefined,
    refuse: options.refuse
      ? { first: options.refuse.first ?? 0, probability: options.refuse.probability ?? 0, status: options.refuse.status ?? DEFAULT_REFUSE_STATUS }
      : undefined,
    handshakeDelay: range(options.handshakeDelay),
    targets,
  };
}
