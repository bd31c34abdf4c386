import { describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/manual-clock.js';

describe('ManualClock', () => {
  it('fires timers in due order only when time reaches them', async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    const cancelled = clock.setTimeout(() => fired.push('x'), 150);
    clock.clearTimeout(cancelled);
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual(['a']);
    await clock.advance(1000);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1100);
  });

  it('lets async work started by a timer schedule and fire further timers within one advance', async () => {
    const clock = new ManualClock();
    const steps: number[] = [];
    const run = async (): Promise<void> => {
      await clock.sleep(10);
      steps.push(clock.now());
      await clock.sleep(10);
      steps.push(clock.now());
    };
    const done = run();
    await clock.advance(25);
    await done;
    expect(steps).toEqual([10, 20]);
    expect(clock.timers).toBe(0);
  });
});
