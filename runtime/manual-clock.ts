import type { Clock, ClockTimer } from './clock.js';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets promise continuations (and the timers they start) run before time moves on. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Fake time for tests of protocol logic (and the fuzz harness): nothing fires until `advance()`
 * moves the clock, and then timers fire in due order, with async work they trigger allowed to
 * settle between them.
 */
export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const id = this.nextId++;
    this.pending.push({ id, due: this.time + Math.max(0, ms), callback });
    return { id };
  }

  clearTimeout(timer: ClockTimer): void {
    this.pending = this.pending.filter((p) => p.id !== timer.id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Timers not yet fired. */
  get timers(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (bounded). */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (let fired = 0; fired < 100_000; fired++) {
      const next = this.earliest();
      if (next === undefined || next.due > target) break;
      this.pending = this.pending.filter((p) => p.id !== next.id);
      this.time = Math.max(this.time, next.due);
      next.callback();
      await settle();
    }
    this.time = target;
    await settle();
  }

  private earliest(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (best === undefined || p.due < best.due || (p.due === best.due && p.id < best.id)) best = p;
    return best;
  }
}
