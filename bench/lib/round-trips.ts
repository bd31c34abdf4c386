import type { BenchHostPort } from './host-port.js';
import { percentile } from './figures.js';

export interface RoundTripStats {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly samples: number;
  /** Every measured round trip in µs, sorted. */
  readonly sortedUs: readonly number[];
}

/** Pools several runs' samples into one set of percentiles. */
export function poolRoundTrips(runs: readonly RoundTripStats[]): RoundTripStats {
  const sortedUs = runs.flatMap((run) => run.sortedUs).sort((a, b) => a - b);
  return { p50Us: percentile(sortedUs, 50), p99Us: percentile(sortedUs, 99), samples: sortedUs.length, sortedUs };
}

/**
 * Sends `request`, waits for `replyLength` bytes back, `warmup + count` times; returns the
 * percentiles of the measured ones in microseconds. `check` sees the first reply (to be sure
 * the exchange is the one meant, e.g. `\r\nOK\r\n`).
 */
export async function measureRoundTrips(
  host: BenchHostPort,
  request: Buffer,
  replyLength: number,
  options: { warmup: number; count: number; timeoutMs?: number; check?: (reply: Buffer) => void },
): Promise<RoundTripStats> {
  let received: Buffer[] = [];
  let receivedLength = 0;
  let wake: (() => void) | null = null;
  host.onData((bytes) => {
    received.push(bytes);
    receivedLength += bytes.length;
    if (receivedLength >= replyLength) wake?.();
  });
  const timeoutMs = options.timeoutMs ?? 2000;
  const reply = (round: number): Promise<void> =>
    receivedLength >= replyLength
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            wake = null;
            reject(new Error(`no reply within ${timeoutMs} ms (round trip ${round})`));
          }, timeoutMs);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.warmup + options.count; i++) {
      const started = performance.now();
      await host.write(request);
      await reply(i);
      const elapsed = performance.now() - started;
      const all = Buffer.concat(received);
      if (i === 0) options.check?.(all.subarray(0, replyLength));
      const rest = all.subarray(replyLength);
      received = rest.length > 0 ? [rest] : [];
      receivedLength = rest.length;
      if (i >= options.warmup) samples.push(elapsed * 1000);
    }
  } finally {
    host.onData(null);
  }
  samples.sort((a, b) => a - b);
  return { p50Us: percentile(samples, 50), p99Us: percentile(samples, 99), samples: samples.length, sortedUs: samples };
}
