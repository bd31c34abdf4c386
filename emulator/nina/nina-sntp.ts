import type { Clock, ClockTimer } from '../../runtime/clock.js';
import { askSntp } from '../network/sntp-exchange.js';
import type { NetworkStack } from '../network/types.js';
import type { Tracer } from '../trace.js';
import type { WorldConfig } from '../world-config.js';

/**
 * nina-fw's clock: WiFiClass::init() starts lwIP's SNTP in poll mode with 0/1/2.pool.ntp.org, and
 * getTime() (GET_TIME) is time() — 0 until a server answered (anything before 2000 counts as
 * unset). Here the first request goes out when the station gets its address, by a real SNTP
 * exchange through the module's stack (the world's `ntp` section says where those names are);
 * then again after lwIP's SNTP_UPDATE_DELAY (1 h), or after SNTP_RETRY_TIMEOUT (15 s) when no
 * server answered. A reset loses the time, as the chip does.
 */

const SERVERS = ['0.pool.ntp.org', '1.pool.ntp.org', '2.pool.ntp.org'];
const UPDATE_MS = 3_600_000;
const RETRY_MS = 15_000;
const ANSWER_TIMEOUT_MS = 3_000;
/** nina-fw's getTime(): `if (now < 946684800) return 0`. */
const UNSET_BEFORE_SEC = 946_684_800;

export class NinaSntp {
  private baseMs: number | null = null;
  private setAt = 0;
  private timer: ClockTimer | null = null;
  private generation = 0;

  constructor(
    private readonly stack: NetworkStack,
    private readonly world: WorldConfig,
    private readonly clock: Clock,
    private readonly tracer: Tracer,
  ) {}

  /** GET_TIME's value: Unix seconds, 0 while unset. */
  seconds(): number {
    if (this.baseMs === null) return 0;
    const seconds = Math.floor((this.baseMs + this.clock.now() - this.setAt) / 1000);
    return seconds < UNSET_BEFORE_SEC ? 0 : seconds;
  }

  /** The station has its address: poll now (unless a poll is already waiting). */
  addressUp(): void {
    if (this.timer === null) this.schedule(0);
  }

  /** Reset: the time and the client's timer go. */
  reset(): void {
    this.generation += 1;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.baseMs = null;
  }

  private schedule(delayMs: number): void {
    const generation = this.generation;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.poll(generation);
    }, delayMs);
  }

  private async poll(generation: number): Promise<void> {
    if (this.stack.station.info().ip === '0.0.0.0') return; // the next address starts it again
    for (const server of SERVERS) {
      try {
        const unixMs = await askSntp(this.stack, this.world.ntp, this.clock, server, ANSWER_TIMEOUT_MS);
        if (generation !== this.generation) return;
        this.baseMs = unixMs;
        this.setAt = this.clock.now();
        this.tracer.note(`SNTP: ${server} says ${new Date(unixMs).toISOString()}`);
        this.schedule(UPDATE_MS);
        return;
      } catch (error) {
        if (generation !== this.generation) return;
        this.tracer.note(`SNTP: ${server}: ${(error as Error).message}`);
      }
    }
    this.schedule(RETRY_MS);
  }
}
