import type { ConnectionsApi } from '../connections/ConnectionManager.js';
import type { MocksApi } from '../mocks/MockRegistry.js';
import type { Stats } from '../server/stats.js';
import type { ChaosOptions } from '../chaos/types.js';
import type { Recording } from '../record/Recording.js';

/**
 * What the admin adapter needs of a server: the in-process API, nothing more.
 * A {@link MockServer} is one; the adapter never sees the server's internals.
 */
export interface AdminTarget {
  /** The server's mocks. */
  readonly mocks: MocksApi;
  /** The server's connections. */
  readonly connections: ConnectionsApi;
  /** Server-wide figures. */
  stats(): Stats;
  /** The seed of the server's random (what chaos draws from). */
  readonly seed: number;
  /** The server's default chaos, or `null`. */
  readonly chaosOptions: ChaosOptions | null;
  /** Sets (or with `null` clears) the server's default chaos. */
  chaos(options: ChaosOptions | null): void;
  /** What a mock with `record: true` recorded (`GET /mocks/{id}/recording`); a target without it answers 404. */
  recording?(mockId?: string): Recording;
}
