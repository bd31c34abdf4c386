import type { Clock, ClockTimer } from '../../runtime/clock.js';
import type { AccessPoint, ApOutage } from './radio-world.js';

/**
 * Which of the radio world's access points are on the air. An AP can go away and come back: on
 * the world file's schedule (`outages`, from the stack's start, world-scaled) or when fault
 * injection takes it away. While away it is not in a scan and a join to it finds no AP; the
 * station associated with it loses it (what `WIFI DISCONNECT` and the firmware's reconnection follow).
 */
export class AccessPointPresence {
  private readonly away = new Map<string, number>();
  private readonly timers = new Set<ClockTimer>();
  private listener: (bssid: string) => void = () => {};

  constructor(
    private readonly accessPoints: readonly AccessPoint[],
    private readonly clock: Clock,
  ) {}

  /** Called with an AP's bssid when it goes away. */
  onGone(listener: (bssid: string) => void): void {
    this.listener = listener;
  }

  isOnAir(bssid: string): boolean {
    return !this.away.has(bssid);
  }

  /** The world file's schedule: each outage `atMs` after now, for `forMs` (absent: for good). */
  schedule(outages: readonly ApOutage[], scale: number): void {
    for (const outage of outages) {
      const targets = this.accessPoints.filter((ap) => ap.ssid === outage.ssid && (outage.bssid === undefined || ap.bssid === outage.bssid));
      this.after(outage.atMs * scale, () => {
        for (const ap of targets) this.takeAway(ap.bssid, outage.forMs === undefined ? null : outage.forMs * scale);
      });
    }
  }

  /** The AP goes off the air; back after `forMs` (null: until `bringBack`). */
  takeAway(bssid: string, forMs: number | null): void {
    // Overlapping outages: the AP is back when the last one ends.
    this.away.set(bssid, (this.away.get(bssid) ?? 0) + 1);
    this.listener(bssid);
    if (forMs !== null) this.after(forMs, () => this.bringBack(bssid));
  }

  bringBack(bssid: string): void {
    const count = this.away.get(bssid);
    if (count === undefined) return;
    if (count <= 1) this.away.delete(bssid);
    else this.away.set(bssid, count - 1);
  }

  /** Stops the schedule (the stack is disposed). */
  dispose(): void {
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private after(ms: number, action: () => void): void {
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}
