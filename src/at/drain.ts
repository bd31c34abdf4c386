/**
 * After a command timed out, its answer may still come — late, after the next command was sent —
 * and every later command would then take the answer of the one before (a late `+CIPRECVDATA`
 * would even hand one link's bytes to another read). So before the next command AtClient drains:
 * it sends the probe (busy-probe.ts) and throws away every result, information line and data
 * block until the probe's own answer (`+UART_CUR:…` then OK) — from then on answers line up again.
 *
 *   - `busy` means the module still runs the late command: probe again later;
 *   - no answer at all: the probe again every DRAIN_PROBE_MS. This also frees a module stuck in a
 *     CIPSEND whose payload lost bytes on the line: it takes probes as the missing payload (the
 *     link is failed already: EIO), ends the send, and answers the next probe;
 *   - after DRAIN_MAX_MS the engine goes on anyway (the module is mute; the next commands time out
 *     and drain again).
 * Unsolicited messages are still routed while draining; a late `>` still gets its orphan payload.
 */
import type { HostEvent } from '../../firmware-protocol/at/types.js';
import { PROBE_LINE, PROBE_TEXT } from './busy-probe.js';
import type { Clock, ClockTimer } from '../clock.js';
import type { TraceSink } from './trace.js';

/** Wait for the probe's answer before probing again. */
export const DRAIN_PROBE_MS = 300;
/** Give up draining after this long. */
export const DRAIN_MAX_MS = 6000;

export class Drain {
  private since: number | null = null;
  private sawProbeInfo = false;
  private timer: ClockTimer | null = null;
  private discarded = 0;

  constructor(
    private readonly clock: Clock,
    private readonly write: (bytes: Uint8Array) => void,
    /** The drain ended (`drained`: the probe was answered, nothing stale is left): commands may go out again. */
    private readonly done: (drained: boolean) => void,
    private readonly trace?: TraceSink,
  ) {}

  get active(): boolean {
    return this.since !== null;
  }

  /** Starts draining (a command just timed out); nothing happens if already draining. */
  start(): void {
    if (this.active) return;
    this.since = this.clock.now();
    this.discarded = 0;
    this.probe();
  }

  /** Stops without finishing (the module restarted, the client closed). */
  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.since = null;
  }

  /**
   * An event parsed while draining (no command in flight). Returns true when it was the stale
   * answer's (thrown away); false when the caller must handle it (unsolicited messages, prompts).
   */
  take(event: HostEvent): boolean {
    switch (event.type) {
      case 'info':
        if (event.name === 'UART_CUR') this.sawProbeInfo = true;
        else this.discarded += 1;
        return true;
      case 'line':
      case 'recv-data':
      case 'piece':
        if (!(event.type === 'line' && event.text === PROBE_TEXT)) this.discarded += 1;
        return true;
      case 'final':
        if (this.sawProbeInfo) this.finish();
        else this.discarded += 1;
        return true;
      case 'urc':
        // The module is still busy with the late command and refused the probe: the timer probes again.
        return event.urc.kind === 'busy';
      default:
        return false;
    }
  }

  private probe(): void {
    this.sawProbeInfo = false;
    this.trace?.(`> ${PROBE_TEXT} (drain: the answer of the command that timed out may still come)`);
    this.write(PROBE_LINE);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.since === null) return;
      if (this.clock.now() - this.since >= DRAIN_MAX_MS) {
        this.trace?.(`! drain: no answer to the probe for ${DRAIN_MAX_MS} ms; going on`);
        this.end(false);
        return;
      }
      this.probe();
    }, DRAIN_PROBE_MS);
  }

  private finish(): void {
    this.trace?.(`! drained${this.discarded > 0 ? `: ${this.discarded} stale lines and results thrown away` : ''}`);
    this.end(true);
  }

  private end(drained: boolean): void {
    this.stop();
    this.done(drained);
  }
}
