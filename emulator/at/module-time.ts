import type { Clock } from '../../runtime/clock.js';

/**
 * The module's own wall clock (AT+SYSTIMESTAMP): it starts at the Unix epoch at every boot, as the
 * chip's RTC-less system time does, and runs on the module's clock from there until something
 * sets it (AT+SYSTIMESTAMP=, or SNTP).
 */
export class ModuleTime {
  /** Module-clock time of the last boot or setting. */
  private since = 0;
  /** Unix time in ms at `since`. */
  private baseMs = 0;

  constructor(private readonly clock: Clock) {}

  /** Power-on: back to the epoch. */
  boot(): void {
    this.since = this.clock.now();
    this.baseMs = 0;
  }

  /** Unix time in milliseconds. */
  nowMs(): number {
    return this.baseMs + (this.clock.now() - this.since);
  }

  /** Whole seconds since the epoch. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  set(unixMs: number): void {
    this.since = this.clock.now();
    this.baseMs = unixMs;
  }
}
