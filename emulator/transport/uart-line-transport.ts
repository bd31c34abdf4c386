import type { LineControlEvent, ModuleTransport, TransportSink } from './types.js';
import { LinePacer, frameMs } from './line-pacer.js';
import { garbleUartBytes, ratesInterwork } from './uart-garble.js';

/** Default bound of the paced output: a few socket reads' worth beyond the backpressure mark. */
export const DEFAULT_PACED_QUEUE_BYTES = 256 * 1024;

export interface UartLineOptions {
  /** Pace bytes at the line rate both ways (8N1: baud/10 bytes per second). Default false. */
  readonly pace?: boolean;
  /** The rate when neither the firmware nor the host has set one (`--baud`). Default 115200. */
  readonly defaultBaudRate?: number;
  /**
   * The rate the module's UART starts at, as a real module's does whatever rate the host opened
   * the line at (ESP-AT: 115200, the factory AT+UART_DEF). Default 115200.
   */
  readonly moduleBaudRate?: number;
  /**
   * copro's old leniency (`--lenient-baud`): until the firmware sets a rate, the module runs at
   * whatever rate the host uses (no mismatch is possible before AT+UART_CUR/_DEF). Default false.
   */
  readonly lenientBaud?: boolean;
  /**
   * Bound of the paced output (what the firmware has queued for the wire). Default 256 KiB, oldest
   * dropped beyond. It always drains at the line rate; socket data is held back well before the
   * bound (LineBackpressure), so only a producer ignoring that can reach it.
   */
  readonly maxQueuedBytes?: number;
  /** Bound of paced host bytes, a last resort: the carrier holds the host back long before. Default 1 MiB, oldest dropped beyond. */
  readonly maxInputQueuedBytes?: number;
  /** While the rates disagree, how often the host's rate is re-read (a PTY's termios). Default 20 ms. */
  readonly mismatchPollMs?: number;
  /** Line events worth a trace line (rate switches, mismatch begins/ends). */
  readonly note?: (text: string) => void;
}

export interface UartLineState {
  /** The rate the firmware set (AT+UART_CUR, or the default it returns to at reset); null: it follows the host. */
  readonly moduleRate: number | null;
  /** The rate the host set (PTY termios, RFC 2217 SET-BAUDRATE, a pair's baud event); null: unknown. */
  readonly hostRate: number | null;
  /** The rate the module's UART runs at: moduleRate, else hostRate, else the default. */
  readonly lineRate: number;
  /** Both rates are known and a receiver at one garbles what the other sends. */
  readonly mismatched: boolean;
  readonly pacing: boolean;
}

export type UartLineTransport = ModuleTransport & {
  readonly inner: ModuleTransport;
  lineState(): UartLineState;
};

/**
 * The module's end of a UART as a wrapper around any emulated carrier (PTY, TCP, in-process
 * pair): it knows both ends' line rates and makes bytes behave as the wire would.
 *
 * - Rates. The module starts at `moduleBaudRate` (115200), whatever rate the host opened with
 *   (RFC 2217 SET-BAUDRATE, the PTY's termios), then runs at the one the firmware sets
 *   (AT+UART_CUR after its OK, the stored default after a reset following one). With
 *   `lenientBaud`, until the firmware sets a rate, it simply runs at the host's rate, else at
 *   `defaultBaudRate`. The host's rate is unknown on raw TCP: a match is assumed.
 * - Mismatch. When both are known and differ, bytes each way go through the 8N1 receiver model
 *   (uart-garble.ts): deterministic garbage, as a host left at the old rate sees after AT+UART_CUR.
 *   Before handling host bytes while the firmware's rate is set (or while pacing), the host's
 *   rate is re-read, so a host that switched its PTY right after the OK is understood at once
 *   (termios changes are otherwise only noticed by polling).
 * - Pacing (optional). Output leaves at the module's rate and host bytes reach the front end at
 *   the host's rate (LinePacer), never faster than the line; a host writing faster than that is
 *   held back by the carrier (InputFlow: kernel PTY buffer, TCP window) as by a real UART.
 *
 * Never used for a real serial device: its UART already has a rate and the wire does the rest.
 * The wrapper owns `inner`: close() closes it.
 */
export async function openUartLine(inner: ModuleTransport, options: UartLineOptions = {}): Promise<UartLineTransport> {
  const hostRate = await inner.hostBaudRate().catch(() => null);
  return new UartLine(inner, hostRate, options);
}

class UartLine implements ModuleTransport {
  readonly address: string;
  private sink: TransportSink | null = null;
  private moduleRate: number | null = null;
  private readonly defaultRate: number;
  private readonly pacing: boolean;
  private readonly outPacer: LinePacer | null;
  private readonly inPacer: LinePacer | null;
  /** The input pacer is over its mark. */
  private inputPaused = false;
  /** The front end asked to hold the host back (passthrough behind its link). */
  private frontPaused = false;
  /** Host chunks waiting for a fresh read of the host's rate, in arrival order. */
  private inputChain: Promise<void> | null = null;
  private inputWaiting = 0;
  private mismatchPoll: NodeJS.Timeout | null = null;
  private wasMismatched = false;
  private closing: Promise<void> | null = null;

  constructor(
    readonly inner: ModuleTransport,
    private hostRate: number | null,
    private readonly options: UartLineOptions,
  ) {
    this.address = inner.address;
    this.defaultRate = options.defaultBaudRate ?? 115200;
    this.moduleRate = options.lenientBaud ? null : (options.moduleBaudRate ?? 115200);
    this.pacing = options.pace ?? false;
    this.outPacer = this.pacing
      ? new LinePacer((bytes, rate) => this.transmit(bytes, rate), options.maxQueuedBytes ?? DEFAULT_PACED_QUEUE_BYTES)
      : null;
    this.inPacer = this.pacing
      ? new LinePacer((bytes, rate) => this.receive(bytes, rate), options.maxInputQueuedBytes ?? 1024 * 1024)
      : null;
    // A host that opened the line at another rate is garbled from the start (and its rate watched).
    this.review();
  }

  setSink(sink: TransportSink): void {
    const first = this.sink === null;
    this.sink = sink;
    // Attach to the carrier only now: until someone listens the carrier keeps the host's bytes.
    if (first) {
      this.inner.setSink({
        onData: (bytes) => this.fromHost(bytes),
        onControl: (event) => this.control(event),
      });
    }
  }

  write(bytes: Uint8Array): void {
    if (this.closing || bytes.length === 0) return;
    const rate = this.lineRate();
    if (this.outPacer) this.outPacer.push(bytes, rate);
    else this.transmit(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), rate);
  }

  async hostBaudRate(): Promise<number | null> {
    return this.closing ? null : this.hostRate;
  }

  setModuleBaudRate(baudRate: number): void {
    if (this.closing) return;
    const before = this.moduleRate;
    this.moduleRate = baudRate;
    if (before !== baudRate) this.note(`module UART now ${baudRate} baud`);
    this.review();
  }

  lineState(): UartLineState {
    return {
      moduleRate: this.moduleRate,
      hostRate: this.hostRate,
      lineRate: this.lineRate(),
      mismatched: this.mismatched(),
      pacing: this.pacing,
    };
  }

  pendingBytes(): number {
    return (this.outPacer?.length ?? 0) + this.inner.pendingBytes();
  }

  droppedBytes(): number {
    return (this.outPacer?.droppedBytes ?? 0) + this.inner.droppedBytes();
  }

  lineQueuedBytes(): number {
    return this.outPacer?.length ?? 0;
  }

  async lineDrained(): Promise<void> {
    await this.outPacer?.drained();
  }

  async drained(): Promise<void> {
    await this.outPacer?.drained();
    await this.inner.drained();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private lineRate(): number {
    return this.moduleRate ?? this.hostRate ?? this.defaultRate;
  }

  private mismatched(): boolean {
    return this.moduleRate !== null && this.hostRate !== null && !ratesInterwork(this.moduleRate, this.hostRate);
  }

  /** Module → host, once the bytes are off the wire: a host at another rate decodes garbage. */
  private transmit(bytes: Buffer, senderRate: number): void {
    if (this.closing) return;
    const out = this.moduleRate !== null && this.hostRate !== null ? garbleUartBytes(bytes, senderRate, this.hostRate) : bytes;
    if (out.length > 0) this.inner.write(out);
  }

  /** Host → module, once off the wire: the module's UART decodes at its own rate. */
  private receive(bytes: Buffer, senderRate: number): void {
    if (this.closing) return;
    const out = this.moduleRate !== null ? garbleUartBytes(bytes, senderRate, this.moduleRate) : bytes;
    if (out.length > 0) this.sink?.onData(out);
    if (this.inputPaused && this.inPacer && this.inPacer.length <= this.inputLowWater()) {
      this.inputPaused = false;
      this.applyInputFlow();
    }
  }

  /** Holds the host back in the carrier (InputFlow), as the pacer does on its own when behind. */
  pauseInput(): void {
    this.frontPaused = true;
    this.applyInputFlow();
  }

  resumeInput(): void {
    this.frontPaused = false;
    this.applyInputFlow();
  }

  /** The carrier reads while neither the pacer nor the front end holds the host back. */
  private applyInputFlow(): void {
    if (this.closing) return;
    if (this.inputPaused || this.frontPaused) this.inner.pauseInput();
    else this.inner.resumeInput();
  }

  private fromHost(bytes: Buffer): void {
    if (this.closing) return;
    // With the firmware's rate set, what the host's rate is *now* decides whether these bytes
    // make sense; when pacing, it decides how fast they cross the wire: re-read it first (in order
    // with later chunks). A PTY's termios is otherwise only polled.
    if (this.moduleRate === null && !this.pacing && this.inputWaiting === 0) return this.accept(bytes);
    this.inputWaiting += 1;
    this.inputChain = (this.inputChain ?? Promise.resolve()).then(async () => {
      await this.refreshHostRate();
      this.inputWaiting -= 1;
      this.accept(bytes);
    });
  }

  private accept(bytes: Buffer): void {
    if (this.closing) return;
    const senderRate = this.hostRate ?? this.lineRate();
    if (!this.inPacer) return this.receive(bytes, senderRate);
    this.inPacer.push(bytes, senderRate);
    if (!this.inputPaused && this.inPacer.length > this.inputHighWater()) {
      this.inputPaused = true;
      this.applyInputFlow();
    }
  }

  /** Host bytes held here before the carrier is asked to hold the rest: 50 ms of line time. */
  private inputHighWater(): number {
    return Math.max(1024, Math.ceil(50 / frameMs(this.hostRate ?? this.lineRate())));
  }

  private inputLowWater(): number {
    return Math.floor(this.inputHighWater() / 2);
  }

  private control(event: LineControlEvent): void {
    if (this.closing) return;
    // Host bytes still waiting for a rate re-read came first: the event waits its turn behind them.
    if (this.inputWaiting > 0) {
      this.inputWaiting += 1;
      this.inputChain = (this.inputChain ?? Promise.resolve()).then(() => {
        this.inputWaiting -= 1;
        this.applyControl(event);
      });
      return;
    }
    this.applyControl(event);
  }

  private applyControl(event: LineControlEvent): void {
    if (this.closing) return;
    if (event.type === 'baud') this.setHostRate(event.rate);
    else if (event.type === 'host-detached') this.setHostRate(null);
    else if (event.type === 'host-attached') void this.refreshHostRate();
    this.sink?.onControl?.(event);
  }

  private async refreshHostRate(): Promise<void> {
    const rate = await this.inner.hostBaudRate().catch(() => null);
    if (rate !== null && !this.closing) this.setHostRate(rate);
  }

  private setHostRate(rate: number | null): void {
    if (rate === this.hostRate) return;
    this.hostRate = rate;
    this.review();
  }

  /** Notes a mismatch beginning or ending, and polls the host's rate while it lasts. */
  private review(): void {
    const mismatched = this.mismatched();
    if (mismatched !== this.wasMismatched) {
      this.wasMismatched = mismatched;
      this.note(
        mismatched
          ? `line rate mismatch: module at ${this.moduleRate} baud, host at ${this.hostRate}: bytes garbled both ways`
          : `line rates agree again (${this.lineRate()} baud)`,
      );
    }
    if (mismatched && !this.mismatchPoll) {
      this.mismatchPoll = setInterval(() => void this.refreshHostRate(), this.options.mismatchPollMs ?? 20);
      this.mismatchPoll.unref();
    } else if (!mismatched && this.mismatchPoll) {
      clearInterval(this.mismatchPoll);
      this.mismatchPoll = null;
    }
  }

  private note(text: string): void {
    this.options.note?.(text);
  }

  private async shutdown(): Promise<void> {
    if (this.mismatchPoll) clearInterval(this.mismatchPoll);
    this.mismatchPoll = null;
    this.outPacer?.stop();
    this.inPacer?.stop();
    await this.inputChain;
    await this.inner.close();
  }
}
