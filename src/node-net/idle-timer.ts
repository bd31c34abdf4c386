/**
 * `socket.setTimeout(ms)`: `'timeout'` once the socket has been idle — nothing read, nothing
 * written — for `ms`. Restarted by every activity; nothing is closed (Node's rule: the
 * application decides). Runs on an injectable Clock so its logic is tested on fake time.
 */
import type { Clock, ClockTimer } from '../../runtime/clock.js';

export class IdleTimer {
  private ms = 0;
  private timer: ClockTimer | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly onIdle: () => void,
  ) {}

  /** 0 turns it off. */
  set(ms: number): void {
    this.ms = ms;
    this.restart();
  }

  get timeoutMs(): number {
    return this.ms;
  }

  /** Activity: the idle period starts again. */
  touch(): void {
    if (this.ms > 0) this.restart();
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private restart(): void {
    this.stop();
    if (this.ms <= 0) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.onIdle();
    }, this.ms);
  }
}
