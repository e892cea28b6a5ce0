//
// The server's seeded random. Everything random that wsmock produces
// ({{uuid}}, and later jitter and chaos) draws from it, so two runs with the
// same seed and the same client traffic produce the same output.
//
// Each connection draws from a stream of its own, derived from the seed and
// the connection's sequence number: what one connection draws does not depend
// on how its frames interleave with other connections'.
//
import { randomInt } from 'node:crypto';

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffff_ffff;

/** A fresh seed for a server created without one. */
export function randomSeed(): number {
  return randomInt(0, MAX_SEED + 1);
}

/** splitmix32: spreads a 32-bit input over the whole range (used to derive stream seeds). */
function mix(value: number): number {
  let z = (value + 0x9e37_79b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85eb_ca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2_ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Where a UUID's text is written, dashes in place: one flat string per UUID, no pieces to join. */
const UUID_TEXT = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

/** Writes `word`'s eight hex digits into UUID_TEXT from `at`, skipping the dash at `dash` (-1: none). */
function writeHex32(word: number, at: number, dash: number): void {
  let pos = at;
  for (let shift = 28; shift >= 0; shift -= 4) {
    if (pos === dash) pos++;
    UUID_TEXT[pos++] = HEX_DIGITS[(word >>> shift) & 0xf]!;
  }
}

/** A small fast generator (sfc32) with 128 bits of state, seeded from 32. */
export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = mix(seed);
    this.#b = mix(this.#a);
    this.#c = mix(this.#b);
    this.#d = 1;
    // The first outputs of sfc32 are correlated with the seed: discard them.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** A random (version 4) UUID drawn from this stream. */
  uuid(): string {
    const a = this.uint32();
    // Version 4 in the high nibble of the third group, variant 10 in the fourth.
    const b = ((this.uint32() & 0xffff_0fff) | 0x0000_4000) >>> 0;
    const c = ((this.uint32() & 0x3fff_ffff) | 0x8000_0000) >>> 0;
    const d = this.uint32();
    writeHex32(a, 0, -1);
    writeHex32(b, 9, 13);
    writeHex32(c, 19, 23);
    writeHex32(d, 28, -1);
    return UUID_TEXT.toString('latin1');
  }

  /** Stream `n` of the seed this generator was made from: independent of this one's position. */
  static stream(seed: number, n: number): SeededRandom {
    return new SeededRandom(mix(seed ^ mix(n)));
  }
}
