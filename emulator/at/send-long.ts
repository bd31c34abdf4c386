import type { ClockTimer } from '../../runtime/clock.js';
import { finalResult } from '../../firmware-protocol/at/module-output.js';
import type { Link } from './link-table.js';
import type { ModuleCore } from './module-core.js';

/**
 * One AT+CIPSENDL (TCP-IP_AT_Commands.rst v2.4): the UART's bytes are handed to the link while more
 * arrive — a block as soon as `transmitSize` bytes are in, what is there after 20 ms without more —
 * and `+CIPSENDL:<had sent len>,<port recv len>` is printed each time the bytes the stack took pass
 * a multiple of `reportSize`, then once more with the total if that was not a multiple. Once the
 * UART brought all `length` bytes and the stack took them: SEND OK; if the link refused any: SEND
 * FAIL (the rest of the payload is still read from the UART, as the firmware's data mode lasts
 * until `<length>` bytes came). `+++` alone, with 20 ms of silence before and after (the same rule as
 * leaving passthrough), calls the rest off: what came before it was sent, the pluses are not, the
 * module answers SEND CANCELLED and reads commands again (the docs' way out when the link is gone).
 */

/** The firmware's wait before a short block goes out. */
const FLUSH_IDLE_MS = 20;
/** The silence around a `+++` that cancels (as for passthrough). */
const PLUS_GUARD_MS = 20;
const PLUS = 0x2b;

export interface SendLongConfig {
  readonly reportSize: number;
  readonly transmitSize: number;
}

export class SendLong {
  private readonly pending: Buffer[] = [];
  private pendingLength = 0;
  private received = 0;
  private sent = 0;
  private lastReported = 0;
  private failed = false;
  private chain: Promise<void> = Promise.resolve();
  private timer: ClockTimer | null = null;
  private readonly epoch: number;
  /** Trailing `+` bytes held back: they may be a cancelling `+++`. */
  private heldPluses = 0;
  private guardTimer: ClockTimer | null = null;
  private lastInputAt: number;
  private cancelled = false;

  constructor(
    private readonly core: ModuleCore,
    private readonly link: Link,
    private readonly config: SendLongConfig,
    private readonly send: (bytes: Uint8Array) => Promise<void>,
    /** Prints `+CIPSENDL:<had sent len>,<port recv len>` (the handler formats it from the table). */
    private readonly print: (hadSent: number, received: number) => void,
  ) {
    this.epoch = core.epoch;
    // The prompt starts a silence: `+++` right after it cancels.
    this.lastInputAt = core.clock.now();
  }

  /** Bytes from the UART. */
  receive(bytes: Uint8Array): void {
    if (this.cancelled) return;
    this.received += bytes.length;
    const now = this.core.clock.now();
    const gap = now - this.lastInputAt;
    this.lastInputAt = now;
    if (this.guardTimer) this.core.clock.clearTimeout(this.guardTimer);
    this.guardTimer = null;
    const allPluses = bytes.length <= 3 && bytes.every((byte) => byte === PLUS);
    const continues = this.heldPluses > 0 ? gap <= PLUS_GUARD_MS : gap >= PLUS_GUARD_MS;
    if (allPluses && continues && this.heldPluses + bytes.length <= 3) {
      this.heldPluses += bytes.length;
      if (this.heldPluses === 3) this.guardTimer = this.core.clock.setTimeout(() => this.cancel(), PLUS_GUARD_MS);
      return;
    }
    this.releasePluses();
    this.pending.push(Buffer.from(bytes));
    this.pendingLength += bytes.length;
    while (this.pendingLength >= this.config.transmitSize) this.flush(this.config.transmitSize);
    this.armTimer();
  }

  /** Held pluses that turned out to be data. */
  private releasePluses(): void {
    if (this.heldPluses === 0) return;
    this.pending.push(Buffer.alloc(this.heldPluses, PLUS));
    this.pendingLength += this.heldPluses;
    this.heldPluses = 0;
  }

  /** `+++` stood alone: what came before goes out, the rest of the payload is called off. */
  private cancel(): void {
    this.guardTimer = null;
    if (!this.core.isCurrent(this.epoch) || this.cancelled) return;
    this.cancelled = true;
    this.heldPluses = 0;
    this.core.cancelStream();
    this.core.tracer.note(`CIPSENDL cancelled by +++ after ${this.received - 3} bytes`, this.link.id);
    if (this.timer) this.core.clock.clearTimeout(this.timer);
    this.timer = null;
    this.flush(Number.POSITIVE_INFINITY);
    void this.chain.then(() => {
      if (this.core.isCurrent(this.epoch)) this.core.write(finalResult('SEND CANCELLED'), [this.link.id]);
    });
  }

  /** All `length` bytes came: the rest goes out, then the final report and SEND OK or SEND FAIL. */
  async finish(): Promise<void> {
    if (this.cancelled) return;
    if (this.timer) this.core.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.guardTimer) this.core.clock.clearTimeout(this.guardTimer);
    this.guardTimer = null;
    this.releasePluses();
    this.flush(Number.POSITIVE_INFINITY);
    await this.chain;
    if (!this.core.isCurrent(this.epoch)) return;
    if (this.sent !== this.lastReported) this.report(this.sent);
    this.core.write(finalResult(this.failed ? 'SEND FAIL' : 'SEND OK'), [this.link.id]);
  }

  private armTimer(): void {
    if (this.timer) this.core.clock.clearTimeout(this.timer);
    this.timer = this.pendingLength === 0 ? null : this.core.clock.setTimeout(() => this.flush(Number.POSITIVE_INFINITY), FLUSH_IDLE_MS);
  }

  private flush(limit: number): void {
    if (this.pendingLength === 0) return;
    const all = Buffer.concat(this.pending.splice(0));
    const block = all.subarray(0, Math.min(limit, all.length));
    const rest = all.subarray(block.length);
    if (rest.length > 0) this.pending.push(rest);
    this.pendingLength = rest.length;
    this.chain = this.chain.then(async () => {
      if (this.failed || !this.core.isCurrent(this.epoch)) return;
      try {
        await this.send(block);
      } catch (error) {
        this.failed = true;
        this.core.tracer.note(`CIPSENDL: the link refused ${block.length} bytes: ${(error as Error).message}`, this.link.id);
        return;
      }
      const before = this.sent;
      this.sent += block.length;
      const { reportSize } = this.config;
      for (let mark = (Math.floor(before / reportSize) + 1) * reportSize; mark <= this.sent; mark += reportSize) this.report(mark);
    });
  }

  private report(hadSent: number): void {
    if (!this.core.isCurrent(this.epoch)) return;
    this.lastReported = hadSent;
    this.print(hadSent, this.received);
  }
}
