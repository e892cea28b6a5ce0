//
// The harness schedules every delay, heartbeat, idle timeout and waitFor
// timeout on the real clock. Fake-timer libraries (vitest, jest, sinon) patch
// the globals, not the exports of `node:timers`, so taking the functions from
// the module keeps wsmock running while a test has installed fake timers.
//
import timers from 'node:timers';

/** The real `setTimeout`, unaffected by fake timers. */
export const realSetTimeout: typeof globalThis.setTimeout = timers.setTimeout;
/** The real `clearTimeout`. */
export const realClearTimeout: typeof globalThis.clearTimeout = timers.clearTimeout;
/** The real `setInterval`. */
export const realSetInterval: typeof globalThis.setInterval = timers.setInterval;
/** The real `clearInterval`. */
export const realClearInterval: typeof globalThis.clearInterval = timers.clearInterval;

/** The real `process.nextTick`, taken before a test can fake it. */
export const realNextTick: typeof process.nextTick = process.nextTick.bind(process);

// Taken when wsmock loads, before a test can install fake timers: a generated
// certificate must be valid on the clock the TLS peer checks, the real one.
const RealDate = Date;

/** The real current time, unaffected by a faked `Date`. */
export function realNow(): Date {
  return new RealDate();
}
