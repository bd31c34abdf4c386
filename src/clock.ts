/**
 * The driver's time base. Every protocol timer in src/ (command deadlines, the busy probe, the
 * drain, the send quiet time, the `+++` guard, the link check, polls, socket timeouts) runs on the
 * Clock given to `open(device, { clock })` (runtime/clock.ts); production uses `systemClock`,
 * tests of logic a ManualClock.
 *
 * On real time two kinds of timer differ in one way only: whether they keep the process alive.
 * A timer owed to a caller (a command's deadline, a socket timeout, a guard someone awaits) does,
 * as Node's own timers do; a background one (a poll, a retry nobody awaits) does not.
 */
import { keepAliveClock, systemClock } from '../runtime/clock.js';
import type { Clock } from '../runtime/clock.js';

export { systemClock } from '../runtime/clock.js';
export type { Clock, ClockTimer } from '../runtime/clock.js';

/** The clock for timers owed to a caller: on real time, timers that keep the process alive. */
export function owedClock(clock: Clock): Clock {
  return clock === systemClock ? keepAliveClock : clock;
}
