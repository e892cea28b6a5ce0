//
// What a kit's stages and handles do to a connection beyond its public
// methods: push a frame through its outbound phase (where the kit's outbound
// stages and chaos see it, then the journal and the socket), and draw from its
// stream of the server's seeded random.
//
import { kCore, type Connection } from '../connections/Connection.js';
import type { OutboundFrame } from '../connections/encode.js';
import type { SeededRandom } from '../util/random.js';

/**
 * Sends `frame` through the connection's outbound phase, as `conn.send()`
 * and broadcasts do; `callback` runs once it is written (or failed).
 *
 * @beta
 */
export function deliver(connection: Connection, frame: OutboundFrame, callback?: (err?: Error) => void): void {
  connection[kCore].deliver(frame, callback);
}

/**
 * The connection's own stream of the server's seeded random (`{{uuid}}` in
 * a kit's templates): the same seed and traffic give the same values.
 *
 * @beta
 */
export function randomOf(connection: Connection): SeededRandom {
  return connection[kCore].random();
}
