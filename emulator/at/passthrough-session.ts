import { keepAliveClock, type Clock, type ClockTimer } from '../../runtime/clock.js';

/**
 * Transparent transmission ("passthrough", AT+CIPMODE=1 then AT+CIPSEND): every UART byte goes
 * to the link. Bytes are packed like the firmware does: sent once `packetSize` bytes are buffered
 * or after `flushIdleMs` without input. `+++` leaves the mode only with the firmware's timing:
 * ≥ guard of silence before the first `+`, the three `+` within guard of each other, ≥ guard of
 * silence after; any other `+` is data. The codec has no clock, so this timing lives here, on the
 * module's clock (real time unless a test gives a manual one).
 *
 * Times are milliseconds not scaled by the world's timing: they describe the host's pacing.
 */
export interface PassthroughOptions {
  readonly packetSize: number;
  /** Idle time after which buffered bytes are sent (AT+TRANSINTVL, 20 ms). */
  readonly flushIdleMs?: number;
  /** Silence required around `+++` (20 ms). */
  readonly guardMs?: number;
  /** Hands bytes to the link; calls are made in order and never concurrently relied upon. */
  readonly send: (data: Buffer) => Promise<void>;
  /** `+++` recognised: the module is back in command mode. */
  readonly onExit: () => void;
  /** Default real time. */
  readonly clock?: Clock;
  /**
   * Stop / restart reading the host (the transport's InputFlow). Called when bytes buffered plus
   * handed to `send` and not yet accepted rise to `highWaterBytes`, and again once they fall to
   * `lowWaterBytes`: the host's writes then block in the carrier (kernel PTY buffer, TCP window),
   * as a host's writes block behind a real module whose radio is slower than its UART.
   * Bytes already read are never dropped.
   */
  readonly pauseInput?: () => void;
  readonly resumeInput?: () => void;
  /** Default PASSTHROUGH_HIGH_WATER_BYTES. */
  readonly highWaterBytes?: number;
  /** Default PASSTHROUGH_LOW_WATER_BYTES. */
  readonly lowWaterBytes?: number;
  /**
   * Only without pauseInput (a carrier that cannot hold the host back): buffered plus unaccepted
   * bytes at most; input beyond it is dropped (a full UART RX FIFO), so a host flooding a link
   * the peer does not drain cannot grow memory. Default PASSTHROUGH_MAX_BUFFERED_BYTES.
   */
  readonly maxBufferedBytes?: number;
}

/** See PassthroughOptions.pauseInput. */
export const PASSTHROUGH_HIGH_WATER_BYTES = 64 * 1024;
export const PASSTHROUGH_LOW_WATER_BYTES = 16 * 1024;
/** See PassthroughOptions.maxBufferedBytes. */
export const PASSTHROUGH_MAX_BUFFERED_BYTES = 1024 * 1024;

const PLUS = 0x2b;

export class PassthroughSession {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** `+` bytes held back because they may be the start of the escape sequence. */
  private heldPluses = 0;
  private lastInputAt: number;
  private flushTimer: ClockTimer | null = null;
  private guardTimer: ClockTimer | null = null;
  private sendChain: Promise<void> = Promise.resolve();
  private active = true;
  private readonly clock: Clock;
  private readonly flushIdleMs: number;
  private readonly guardMs: number;
  private inFlight = 0;
  private overrun = 0;
  private inputPaused = false;

  constructor(private readonly options: PassthroughOptions) {
    this.clock = options.clock ?? keepAliveClock;
    this.flushIdleMs = options.flushIdleMs ?? 20;
    this.guardMs = options.guardMs ?? 20;
    // Entering the mode counts as the start of a silence: `+++` right after the prompt exits.
    this.lastInputAt = this.clock.now();
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Input bytes dropped because the buffer was full (only without pauseInput, see maxBufferedBytes). */
  get droppedBytes(): number {
    return this.overrun;
  }

  /** Bytes buffered plus handed to `send` and not yet accepted. */
  get backlogBytes(): number {
    return this.pendingLength + this.inFlight;
  }

  /** The host is being held back (see PassthroughOptions.pauseInput). */
  get holdingInput(): boolean {
    return this.inputPaused;
  }

  /** Bytes from the host while in passthrough. */
  input(bytes: Uint8Array): void {
    if (!this.active) return;
    const at = this.clock.now();
    // Plain bytes are appended as runs: one buffer and one timer per chunk, not per byte.
    let runStart = -1;
    const endRun = (end: number): void => {
      if (runStart >= 0) this.append(Buffer.from(bytes.subarray(runStart, end)));
      runStart = -1;
    };
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      const gap = at - this.lastInputAt;
      this.lastInputAt = at;
      if (this.heldPluses === 3) this.releasePluses();
      if (this.heldPluses > 0) {
        if (byte === PLUS && gap <= this.guardMs) {
          this.heldPluses++;
          this.armGuard();
          continue;
        }
        this.releasePluses();
      }
      if (byte === PLUS && gap >= this.guardMs) {
        endRun(i);
        this.heldPluses = 1;
        this.armGuard();
        continue;
      }
      if (runStart < 0) runStart = i;
    }
    endRun(bytes.length);
  }

  /** Leaves the mode without sending what is buffered (the link went away). */
  stop(): void {
    this.active = false;
    this.clearTimers();
    this.pending = [];
    this.pendingLength = 0;
    this.heldPluses = 0;
    this.releaseInput();
  }

  /** Resolves once every byte handed to `send` so far has been accepted or failed. */
  drained(): Promise<void> {
    return this.sendChain;
  }

  private append(input: Buffer): void {
    let bytes = input;
    if (!this.options.pauseInput) {
      const room = (this.options.maxBufferedBytes ?? PASSTHROUGH_MAX_BUFFERED_BYTES) - this.backlogBytes;
      bytes = input.length > room ? input.subarray(0, Math.max(0, room)) : input;
      this.overrun += input.length - bytes.length;
    }
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingLength += bytes.length;
    while (this.pendingLength >= this.options.packetSize) this.flush(this.options.packetSize);
    if (this.flushTimer) this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = this.pendingLength > 0 ? this.clock.setTimeout(() => this.flush(), this.flushIdleMs) : null;
    if (!this.inputPaused && this.options.pauseInput && this.backlogBytes >= (this.options.highWaterBytes ?? PASSTHROUGH_HIGH_WATER_BYTES)) {
      this.inputPaused = true;
      this.options.pauseInput();
    }
  }

  /** The link took some: below the low-water mark the host may write again. */
  private onAccepted(): void {
    if (this.inputPaused && this.backlogBytes <= (this.options.lowWaterBytes ?? PASSTHROUGH_LOW_WATER_BYTES)) this.releaseInput();
  }

  private releaseInput(): void {
    if (!this.inputPaused) return;
    this.inputPaused = false;
    this.options.resumeInput?.();
  }

  private flush(limit = Infinity): void {
    if (this.pendingLength === 0) return;
    const all = Buffer.concat(this.pending);
    const packet = all.subarray(0, Math.min(limit, all.length));
    const rest = all.subarray(packet.length);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    const send = this.options.send;
    this.inFlight += packet.length;
    // Ordered hand-off; a failed send is the link's business (it reports its own close).
    this.sendChain = this.sendChain
      .then(() => send(packet))
      .catch(() => undefined)
      .then(() => {
        this.inFlight -= packet.length;
        this.onAccepted();
      });
  }

  private releasePluses(): void {
    const pluses = Buffer.alloc(this.heldPluses, PLUS);
    this.heldPluses = 0;
    if (this.guardTimer) this.clock.clearTimeout(this.guardTimer);
    this.guardTimer = null;
    this.append(pluses);
  }

  private armGuard(): void {
    if (this.guardTimer) this.clock.clearTimeout(this.guardTimer);
    this.guardTimer = this.clock.setTimeout(() => this.onGuardElapsed(), this.guardMs);
  }

  private onGuardElapsed(): void {
    this.guardTimer = null;
    if (!this.active) return;
    if (this.heldPluses < 3) {
      this.releasePluses();
      return;
    }
    // `+++` with silence on both sides: flush what came before, then back to command mode.
    this.heldPluses = 0;
    this.flush();
    this.active = false;
    this.clearTimers();
    this.options.onExit();
  }

  private clearTimers(): void {
    if (this.flushTimer) this.clock.clearTimeout(this.flushTimer);
    if (this.guardTimer) this.clock.clearTimeout(this.guardTimer);
    this.flushTimer = null;
    this.guardTimer = null;
  }
}
