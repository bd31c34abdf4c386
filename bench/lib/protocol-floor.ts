import type { Judgement } from './figures.js';
import type { BenchContext } from '../suites/types.js';

/**
 * A rate judged against what the AT protocol allows at best on this line: `exchanges` command →
 * final-result round trips per operation, each at least the AT → OK round trip p50 measured by
 * the `at` suite in the same run. No target in issue 6: the ratio says how close to that floor.
 */
export function againstProtocolFloor(context: BenchContext, perSecond: number, exchanges: number): Judgement {
  const rtt = context.figure('at.round-trip.p50');
  const what = `${exchanges} AT round trip${exchanges > 1 ? 's' : ''} per operation`;
  if (!rtt || !(rtt.value > 0)) return { ratio: Number.NaN, against: `${what} (AT p50 not measured in this run)` };
  const floorRate = 1e6 / (exchanges * rtt.value);
  return { ratio: perSecond / floorRate, against: `${what} at the AT p50 (${floorRate.toFixed(0)}/s)` };
}
