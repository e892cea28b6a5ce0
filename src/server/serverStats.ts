//
// `server.stats()`: the lifetime counters (stats.ts) with the figures derived
// from what is open now (the manager's connections, the registry's mocks).
//
import type { ConnectionManager } from '../connections/ConnectionManager.js';
import type { MockRegistry } from '../mocks/MockRegistry.js';
import type { Counters, Stats } from './stats.js';

/** A server's figures now. */
export function serverStats(counters: Counters, manager: ConnectionManager, registry: MockRegistry): Stats {
  const byType = counters.byType(registry.kinds.carriers);
  for (const [type, count] of Object.entries(manager.openByType())) byType[type]!.activeConnections = count;
  const violations = counters.violations();
  return {
    ...counters.totals(),
    activeConnections: manager.size,
    connectionsByMock: registry.openCounts(),
    byType,
    faults: Object.fromEntries(counters.faults),
    upstream: counters.upstream(),
    violations: violations.total,
    violationsByMock: violations.byMock,
  };
}
