/**
 * The one rule every blocking socket call goes through (MicroPython's shape: a single place
 * decides between waiting, EAGAIN and ETIMEDOUT).
 *
 *   timeout null  -> wait as long as it takes
 *   timeout 0     -> never wait: `wouldBlock` (EAGAIN, or EINPROGRESS for connect)
 *   timeout t > 0 -> wait at most t seconds, then ETIMEDOUT
 */
import { owedClock, systemClock } from '../clock.js';
import type { Clock, ClockTimer } from '../clock.js';
import { osError } from '../errors.js';
import type { ErrnoName } from '../errors.js';
import type { Readiness } from '../backend.js';

/** Seconds; null blocks, 0 is non-blocking. */
export type Timeout = number | null;

/** When a call started waiting and when it must give up. */
export class Deadline {
  private readonly at: number | null;
  /** The clock the wait runs on (its timers keep the process alive on real time: someone awaits them). */
  readonly clock: Clock;

  constructor(
    readonly timeout: Timeout,
    clock: Clock = systemClock,
  ) {
    this.clock = owedClock(clock);
    this.at = timeout === null ? null : this.clock.now() + timeout * 1000;
  }

  get nonBlocking(): boolean {
    return this.timeout === 0;
  }

  /** Milliseconds left; null = unbounded. */
  remainingMs(): number | null {
    return this.at === null ? null : Math.max(0, this.at - this.clock.now());
  }
}

export interface WaitOptions {
  /** Sources whose onChange may make `ready` true. */
  readonly sources: readonly Readiness[];
  readonly deadline: Deadline;
  /** The errno for "would block" in non-blocking mode. */
  readonly wouldBlock?: ErrnoName;
}

/**
 * Resolves as soon as `ready()` is true; applies the timeout rule otherwise. `ready` is checked
 * after every change notification, so spurious wake-ups are harmless.
 */
export async function waitUntil(ready: () => boolean, options: WaitOptions): Promise<void> {
  if (ready()) return;
  const { deadline } = options;
  if (deadline.nonBlocking) throw osError(options.wouldBlock ?? 'EAGAIN');
  await new Promise<void>((resolve, reject) => {
    let timer: ClockTimer | undefined;
    const unsubscribers: (() => void)[] = [];
    const finish = (err?: Error): void => {
      if (timer) deadline.clock.clearTimeout(timer);
      for (const off of unsubscribers) off();
      if (err) reject(err);
      else resolve();
    };
    const check = (): void => {
      if (ready()) finish();
    };
    for (const source of options.sources) unsubscribers.push(source.onChange(check));
    const left = deadline.remainingMs();
    if (left !== null) timer = deadline.clock.setTimeout(() => (ready() ? finish() : finish(osError('ETIMEDOUT'))), left);
    // A change may have happened between the first check and the subscriptions.
    check();
  });
}

/**
 * Waits for an operation that cannot be split into "ready" + "do" (a connect in progress): its
 * promise keeps running in the background when the deadline passes, the caller gets ETIMEDOUT.
 */
export async function raceDeadline<T>(operation: Promise<T>, deadline: Deadline): Promise<T> {
  const left = deadline.remainingMs();
  if (left === null) return operation;
  let timer: ClockTimer | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = deadline.clock.setTimeout(() => reject(osError('ETIMEDOUT')), left);
  });
  try {
    return await Promise.race([operation, expired]);
  } finally {
    if (timer) deadline.clock.clearTimeout(timer);
  }
}

/** A Readiness a socket fires itself (closed, connect finished). */
export class ChangeSignal implements Readiness {
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  get waiting(): number {
    return this.listeners.size;
  }
}

/** Validates a settimeout() argument. */
export function checkTimeout(value: number | null | undefined): Timeout {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError('timeout must be a number of seconds or null');
  if (value < 0) throw new RangeError('timeout value out of range');
  return value;
}
