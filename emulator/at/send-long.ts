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
 * until `<length>` bytes came). Not emulated: `+++` cancelling it (SEND CANCELLED).
 */

/** The firmware's wait before a short block goes out. */
const FLUSH_IDLE_MS = 20;

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

  constructor(
    private readonly core: ModuleCore,
    private readonly link: Link,
    private readonly config: SendLongConfig,
    private readonly send: (bytes: Uint8Array) => Promise<void>,
    /** Prints `+CIPSENDL:<had sent len>,<port recv len>` (the handler formats it from the table). */
    private readonly print: (hadSent: number, received: number) => void,
  ) {
    this.epoch = core.epoch;
  }

  /** Bytes from the UART. */
  receive(bytes: Uint8Array): void {
    this.received += bytes.length;
    this.pending.push(Buffer.from(bytes));
    this.pendingLength += bytes.length;
    while (this.pendingLength >= this.config.transmitSize) this.flush(this.config.transmitSize);
    this.armTimer();
  }

  /** All `length` bytes came: the rest goes out, then the final report and SEND OK or SEND FAIL. */
  async finish(): Promise<void> {
    if (this.timer) this.core.clock.clearTimeout(this.timer);
    this.timer = null;
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
