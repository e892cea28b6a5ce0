//
// Seeded randomness for the reliability suite: every run of a test with the
// same seed makes the same choices, and the seed is printed so a failure can
// be replayed (RELIABILITY_SEED=<n> npm run test:reliability).
//

/** The suite's seed: RELIABILITY_SEED when set, else a fixed default. */
export function suiteSeed(fallback: number): number {
  const env = process.env.RELIABILITY_SEED;
  const seed = env === undefined || env === '' ? fallback : Number(env);
  if (!Number.isSafeInteger(seed)) throw new Error(`RELIABILITY_SEED must be an integer, got ${env}`);
  return seed;
}

/** mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
