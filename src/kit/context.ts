//
// What the seam hands a kit's advanced hooks: the mock's connection group
// (what its arrivals and waits belong to) and the host its stages report
// through. Both are narrow views, made by the seam from the server's own.
//
import type { Connection } from '../connections/Connection.js';
import type { ConnectionGroup } from '../connections/ConnectionGroup.js';

/**
 * What a kit's stages may ask of the server that runs them.
 *
 * @beta
 */
export interface KitHost {
  /** Code of the kit or of its user failed on a connection: the server emits `error` with the mock and connection ids. */
  report(error: Error, connection: Connection): void;
  /** Open connections on the mock right now (`{{connectionCount}}`). */
  connectionCount(): number;
}

/**
 * What a kit's `state()` hook gets, once per mock.
 *
 * @beta
 */
export interface KitContext {
  /**
   * The mock's connections: what {@link Arrivals} and {@link ConnectionArrivals}
   * are made over, so removing the mock or closing the server aborts their waits.
   */
  readonly group: ConnectionGroup;
}
