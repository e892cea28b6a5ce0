import { ensureBuilt, ensurePacked } from './helpers/pack.js';

// Suites that load the packed package need dist/ and the tarball. Build and
// pack once, before any suite runs, so two of them never build or pack at the
// same time.
export default function setup(): void {
  ensureBuilt();
  ensurePacked();
}
