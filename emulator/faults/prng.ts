/**
 * The fault plan's randomness: a small seeded generator (sfc32), so the same seed gives the same
 * faults on every run and machine. Math.random is never used: a failing run must be replayable
 * from the seed it printed.
 */

/** FNV-1a over the text, then mixed with the seed: independent streams per fault from one seed. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final avalanche so nearby seeds/labels do not give nearby states.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x7feb352d);
  hash ^= hash >>> 15;
  return hash >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, period ≥ 2^32. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = seed >>> 0;
    // Warm-up: the first outputs of a fresh sfc32 state are weak.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A byte value 1..255: XOR with it always changes a byte. */
  nonZeroByte(): number {
    return this.int(1, 255);
  }

  /**
   * How many opportunities pass before the next one that fires, when each fires with probability
   * `p` (geometric distribution). Drawing the gap instead of rolling per byte keeps byte-rate
   * faults cheap and independent of how the stream is chunked.
   */
  gap(p: number): number {
    if (p >= 1) return 0;
    if (p <= 0) return Number.POSITIVE_INFINITY;
    const u = this.next();
    return Math.floor(Math.log1p(-u) / Math.log1p(-p));
  }
}
