import { OutputQueue } from './output-queue.js';
import { OutputPump } from './output-pump.js';
import type { LineControlEvent, ModuleTransport, TransportSink } from './types.js';

/**
 * What every carrier of the module's UART shares (PTY, serial device, TCP, in-process pair):
 * output goes through the bounded UART queue and its pump (output-pump.ts), the front end's sink
 * is held here, close() runs the carrier's shutdown once, and the capabilities a bare carrier has
 * no use for are answered for it: nothing waits for line time (no pacing here) and a module rate
 * is ignored (no line model here; a real device overrides it).
 *
 * A carrier adds how it hears the host (sinkSet, pauseInput, resumeInput), what rate the host
 * set (hostBaudRate), and how it shuts down. It hands the chunk sender of its wire to `pump`.
 */
export abstract class QueuedTransport implements ModuleTransport {
  abstract readonly address: string;
  protected readonly pump: OutputPump;
  private currentSink: TransportSink | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;

  protected constructor(maxQueuedBytes?: number) {
    this.pump = new OutputPump(new OutputQueue(maxQueuedBytes));
  }

  setSink(sink: TransportSink): void {
    const first = this.currentSink === null;
    this.currentSink = sink;
    this.sinkSet(first);
  }

  write(bytes: Uint8Array): void {
    if (!this.closed) this.pump.write(bytes);
  }

  pendingBytes(): number {
    return this.pump.pendingBytes();
  }

  droppedBytes(): number {
    return this.pump.droppedBytes();
  }

  drained(): Promise<void> {
    return this.pump.drained();
  }

  /** The carrier takes bytes as fast as its host reads them: none wait for line time. */
  lineQueuedBytes(): number {
    return 0;
  }

  lineDrained(): Promise<void> {
    return Promise.resolve();
  }

  /** No line model here: the emulated wire has no rate (openUartLine adds one). */
  setModuleBaudRate(_baudRate: number): void {}

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = this.shutdown();
    }
    return this.closing;
  }

  abstract pauseInput(): void;
  abstract resumeInput(): void;
  abstract hostBaudRate(): Promise<number | null>;

  /** A sink was set; `first` is true once: the carrier may start reading the host now. */
  protected abstract sinkSet(first: boolean): void;

  /** Stops the carrier for good (called once, by close()). */
  protected abstract shutdown(): Promise<void>;

  protected get sink(): TransportSink | null {
    return this.currentSink;
  }

  /** close() has been called (write() already ignores bytes). */
  protected get isClosed(): boolean {
    return this.closed;
  }

  /** Host bytes to the front end. */
  protected deliver(bytes: Buffer): void {
    this.currentSink?.onData(bytes);
  }

  /** A line event to the front end, unless the transport is closing. */
  protected emitControl(event: LineControlEvent): void {
    if (!this.closed) this.currentSink?.onControl?.(event);
  }
}
