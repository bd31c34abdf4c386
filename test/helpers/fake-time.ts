/**
 * Running real work on fake time. The module's and the driver's protocol timers (boot, join, busy
 * probes, command deadlines, socket timeouts, fault stalls) take a ManualClock; these helpers move
 * it on a little at a time while the work runs. Every step lets the event loop turn several times
 * (ManualClock.advance settles on setImmediate), so I/O inside this process — the in-process
 * emulator's pair, a PTY, loopback peers — is handled between steps, and fake time only moves while
 * this process runs. Every wait is bounded in fake time and in real time. One wait at a time per
 * clock: two loops moving the same clock would race each other.
 */
import type { ManualClock } from './manual-clock.js';

/** Real time a wait on fake time may take at most, whatever its fake bound. */
const REAL_LIMIT_MS = 30_000;

export interface FakeWait {
  /** Fake milliseconds after which the wait fails (default 60 s). */
  readonly maxFakeMs?: number;
  /** Fake milliseconds per step (default 10: each step turns the event loop about ten times). */
  readonly stepMs?: number;
}

/** Awaits `work`, moving `clock` on while it runs; rejects if it has not settled within the bounds. */
export async function onFakeTime<T>(clock: ManualClock, work: Promise<T>, what: string, wait: FakeWait = {}): Promise<T> {
  let settled = false;
  const tracked = work.finally(() => {
    settled = true;
  });
  tracked.catch(() => undefined);
  await fakeUntil(clock, () => settled, what, wait);
  return tracked;
}

/** Moves `clock` on until `condition` holds; rejects if it does not within the bounds. */
export async function fakeUntil(clock: ManualClock, condition: () => boolean, what: string, wait: FakeWait = {}): Promise<void> {
  const fakeEnd = clock.now() + (wait.maxFakeMs ?? 60_000);
  const realEnd = Date.now() + REAL_LIMIT_MS;
  while (!condition()) {
    if (clock.now() >= fakeEnd) throw new Error(`${what}: not within ${wait.maxFakeMs ?? 60_000} ms of fake time`);
    if (Date.now() > realEnd) throw new Error(`${what}: not within ${REAL_LIMIT_MS} ms of real time`);
    await clock.advance(wait.stepMs ?? 10);
  }
}
