/**
 * The time source of every protocol timer (the `+++` guard, the send quiet time, busy waits,
 * join and scan durations). Code that waits takes a Clock; production passes `systemClock`,
 * tests of logic pass a manual clock (test/helpers/manual-clock.ts) and run on fake time.
 */
export interface ClockTimer {
  /** Opaque handle; pass it back to `clearTimeout`. */
  readonly id: number;
}

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences mean anything). */
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
  /** Resolves after `ms` on this clock. */
  sleep(ms: number): Promise<void>;
}

/** Real time: `performance.now()` and Node's timers, which keep the process alive or not. */
function realClock(keepAlive: boolean): Clock {
  const handles = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    now: () => performance.now(),
    setTimeout(callback, ms) {
      const id = nextId++;
      const handle = setTimeout(() => {
        handles.delete(id);
        callback();
      }, Math.max(0, ms));
      if (!keepAlive) handle.unref();
      handles.set(id, handle);
      return { id };
    },
    clearTimeout(timer) {
      const handle = handles.get(timer.id);
      if (handle !== undefined) {
        clearTimeout(handle);
        handles.delete(timer.id);
      }
    },
    sleep(ms) {
      return new Promise((resolve) => {
        // A sleep is awaited by someone: it must keep the process alive, unlike a background timer.
        setTimeout(resolve, Math.max(0, ms));
      });
    },
  };
}

/** Real time. Timers do not keep the process alive (background work: polls, retries). */
export const systemClock: Clock = realClock(false);

/**
 * Real time whose timers keep the process alive, as Node's own do: for timers that are work owed to
 * someone, such as an emulated module's boot or a join under way, where a script awaiting them
 * (`await emu.ready` with nothing else running) must not exit first.
 */
export const keepAliveClock: Clock = realClock(true);
