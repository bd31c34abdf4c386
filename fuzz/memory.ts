import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Heap + buffer memory after a full collection: what the process really keeps, not the garbage a
 * flood leaves behind. `gc` is exposed at run time (the test runner does not pass --expose-gc).
 */
let collect: (() => void) | null = null;

function gc(): void {
  if (collect === null) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

export function retainedBytes(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Tracks the largest growth over a baseline, sampled whenever the test asks. */
export class MemoryWatch {
  private readonly baseline = retainedBytes();
  private peak = 0;

  sample(): number {
    const growth = retainedBytes() - this.baseline;
    this.peak = Math.max(this.peak, growth);
    return growth;
  }

  get peakGrowth(): number {
    return this.peak;
  }
}

export const MiB = 1024 * 1024;
