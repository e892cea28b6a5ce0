//
// `conn.faults`: the faults chaos applied to each connection, in order. Chaos
// owns them (the handle only shows them, through its `faults` slot): the
// server's chaos report writes here, and nothing else does.
//
import { faultsSlot, type Connection } from '../connections/Connection.js';
import type { ChaosFault } from '../connections/types.js';

const faults = faultsSlot.claim('chaos/faults.ts');

/** Journals a fault applied to `connection`, keeping the newest `limit` (the server's `journal.limit`). */
export function recordFault(connection: Connection, fault: ChaosFault, limit: number): void {
  let log = faults.get(connection);
  if (log === undefined) faults.set(connection, (log = []));
  log.push(fault);
  // Bounded like the journal: a `wsmock serve` with chaos on for days keeps a flat heap.
  if (log.length > limit) log.shift();
}
