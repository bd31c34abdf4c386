/**
 * The soak's count-bounded short variant: the same core `npm run soak` runs (soak/soak.ts, as a
 * campaign target), two virtual modules — one with a clean serial line, one with byte faults —
 * under seeded fault plans, for about 24 operations. Zero silent corruptions, hangs, crashes,
 * nonsense errnos, unrecovered modules and escaped errors. On fake time (one ManualClock).
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../fuzz/campaign.js';
import { formatSoak } from '../../soak/report.js';
import { DEFAULT_SOAK, soakTarget } from '../../soak/soak.js';
import type { SoakTally } from '../../soak/soak.js';
import { onFakeTime } from '../helpers/fake-time.js';
import { ManualClock } from '../helpers/manual-clock.js';

describe('soak, short', () => {
  it('two modules under seeded faults: no silent corruption, no hang, every module recovers', async () => {
    let tally: SoakTally | null = null;
    // Both modules, their faults, the drivers and the soak's bounds on one fake clock.
    const clock = new ManualClock();
    const target = soakTarget(
      { ...DEFAULT_SOAK, modules: 2, opsPerCycle: 6, timeoutSec: 2, maxBytes: 16 * 1024, hangMs: 20_000, recoverMs: 15_000, maxCommandMs: 3000, clock },
      (t) => (tally = t),
    );
    const report = await onFakeTime(clock, runCampaign({ seed: 20251125, seconds: 90, maxInputs: 24, targets: [target] }), 'the soak', { maxFakeMs: 10 * 60_000 });
    const t = tally as SoakTally | null;
    expect(t).not.toBeNull();
    if (!t) return;
    const summary = formatSoak(t, report.seconds, report.seed);
    expect(t.operations, summary).toBeGreaterThanOrEqual(24);
    expect(t.ok, summary).toBeGreaterThan(0);
    expect(t.silent, summary).toEqual([]);
    expect(t.hangs, summary).toEqual([]);
    expect(t.crashes, summary).toEqual([]);
    expect(t.wrongErrno, summary).toEqual([]);
    expect(t.problems, summary).toEqual([]);
    expect(t.recoveries, summary).toBe(t.cycles);
    expect(Object.values(t.injected).reduce((sum, n) => sum + (n ?? 0), 0), summary).toBeGreaterThan(0);
    // Nothing escaped: no unhandled rejection, no exception out of the soak.
    expect(report.findings, summary).toEqual([]);
  }, 120_000);
});
