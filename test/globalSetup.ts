import { ensureBuilt } from './helpers/pack.js';

// Suites that load the packed package need dist/. Build it once, before any
// suite runs, so two of them never build at the same time.
export default function setup(): void {
  ensureBuilt();
}
