//
// The public records of contract checking that the connection handle shows:
// kept apart from the layer so that connections/ can name them without
// importing anything of asyncapi/ but types.
//
import type { ContractError } from './model.js';

/** How a mock treats traffic that breaks its contract: `report` journals it; `strict` also answers or closes (see `ContractConfig.mode`). */
export type ContractMode = 'report' | 'strict';

/**
 * A frame (or a handshake) that fits none of the messages its channel's
 * contract allows in that direction: `conn.violations`, the server's
 * `contract:violation` event, `stats().violations`.
 */
export interface ContractViolation {
  /** `in`: the client sent it (or it is the client's handshake); `out`: the server (or a proxy's upstream) sent it. */
  readonly direction: 'in' | 'out';
  /** The frame's text (a binary frame: `<binary N bytes>`), at most 4,096 characters; for a handshake, the request's URL. */
  readonly frame: string;
  /** The key of the closest message of the contract (the one whose discriminator the frame matched, else the fewest errors), if any. */
  readonly message?: string;
  /** What is wrong, each with its JSON path from the payload's root (`$.reqid`; a handshake's `$.query.symbol`, `$.headers.x-key`, `$.parameters.symbol`). */
  readonly errors: readonly ContractError[];
  /** When it was seen (milliseconds since the epoch). */
  readonly at: number;
  /** The id of the contract channel it was checked against. */
  readonly channel: string;
  /** Set for a handshake that breaks the channel's `bindings.ws` or parameters: which part. */
  readonly handshake?: 'query' | 'headers' | 'parameters';
}
