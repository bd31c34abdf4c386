/**
 * Seeded fault plans for soak modules. Rates are lower than the fuzzer's: a soak wants most
 * operations to get far enough to move data, with faults landing in the middle of them.
 *
 * Two kinds of module:
 *   clean line  every fault except serial byte faults: any wrong byte is a driver bug (must be 0);
 *   noisy line  the same plus drop/corrupt/dup on the serial line: ESP-AT has no checksum, so a
 *               changed payload byte cannot be seen by any host; wrong bytes there are counted
 *               apart (the documented limit), everything else must hold as on a clean line.
 */
import type { SeededRandom } from '../emulator/faults/prng.js';

export type LineKind = 'clean' | 'noisy';

const EVENT_FAULTS = [
  'reset@0.01',
  'reset@3s..15s',
  'busy-p@0.03',
  'busy-p@0.03:after-ok',
  'busy-s@0.02:after-ok',
  'wifi-drop@0.01',
  'wifi-drop@2s..10s',
  'tcp-reset@0.01',
  'tcp-reset@1s..8s',
  'dns-fail@0.3',
  'dns-fail@0.2:after=50ms',
];

const TIMING_FAULTS = ['delay@0.2:by=1ms..40ms', 'delay@0.05:by=50ms..300ms', 'stall@0.005:for=200ms', 'stall@2s..10s:for=800ms', 'split@0.3:pieces=4,gap=1ms', 'split@0.8:pieces=8'];

const BYTE_FAULTS = ['drop@1/40000', 'corrupt@1/40000', 'dup@1/40000', 'drop@1/20000:dir=in', 'corrupt@1/20000:dir=out', 'dup@1/30000:dir=out'];

function pick(random: SeededRandom, from: readonly string[], n: number, into: Map<string, string>): void {
  for (let i = 0; i < n; i++) {
    const spec = from[random.int(0, from.length - 1)];
    // One fault per kind (and direction): the injector replaces a same-kind fault anyway.
    into.set(spec.replace(/@.*?(:|$)/, '$1').replace(/,.*$/, ''), spec);
  }
}

/** A plan for one cycle: 1–2 event faults, 0–2 timing faults, and on a noisy line 1–2 byte faults. */
export function cyclePlan(random: SeededRandom, line: LineKind): string[] {
  const plan = new Map<string, string>();
  pick(random, EVENT_FAULTS, random.int(1, 2), plan);
  pick(random, TIMING_FAULTS, random.int(0, 2), plan);
  if (line === 'noisy') pick(random, BYTE_FAULTS, random.int(1, 2), plan);
  return [...plan.values()];
}
