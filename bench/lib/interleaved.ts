/** Measured blocks per pair: the two ways alternate, so a change of machine load hits both alike. */
export const BLOCKS = 6;

export interface Rate {
  readonly perSecond: number;
  readonly seconds: number;
}

/**
 * `warmup` unmeasured runs of each way, then `count` each in BLOCKS alternating blocks; runs per
 * second of each, and the seconds each took.
 */
export async function interleaved(count: number, ways: readonly [() => Promise<void>, () => Promise<void>], warmup: number): Promise<[Rate, Rate]> {
  const spent = [0, 0];
  for (const run of ways) for (let i = 0; i < Math.min(warmup, count); i++) await run();
  for (let block = 0; block < BLOCKS; block++) {
    const share = Math.floor(count / BLOCKS) + (block < count % BLOCKS ? 1 : 0);
    for (const [index, run] of ways.entries()) {
      const started = performance.now();
      for (let i = 0; i < share; i++) await run();
      spent[index] += (performance.now() - started) / 1000;
    }
  }
  const rate = (seconds: number): Rate => ({ perSecond: count / seconds, seconds });
  return [rate(spent[0]), rate(spent[1])];
}
