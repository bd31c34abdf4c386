import { SerialPort } from 'serialport';
import { keepPollerInterest } from '../../runtime/serialport-poller.js';
import type { ModuleTransport } from './types.js';
import { QueuedTransport } from './queued-transport.js';

export interface SerialDeviceTransportOptions {
  /** The device, e.g. /dev/ttyUSB0 (a USB-serial adapter wired to a real MCU's UART). */
  readonly path: string;
  readonly baudRate: number;
  /** Bound of the output queue (bytes not yet taken by the driver). Default 64 KiB. */
  readonly maxQueuedBytes?: number;
}

export type SerialDeviceTransport = ModuleTransport;

/**
 * The module's UART on a real serial device, so a real MCU (the host) talks to the virtual
 * module through a USB-serial adapter. We own the line settings here: the host must use the
 * same baud, as with a real ESP, so hostBaudRate() is the rate we configured.
 * The port is opened exclusively (flock), like any serial tool.
 */
export async function openSerialDeviceTransport(options: SerialDeviceTransportOptions): Promise<SerialDeviceTransport> {
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(new Error(describeOpenError(options.path, err))) : resolve())),
  );
  keepPollerInterest(port.port); // output and input both wait on the fd (runtime/serialport-poller.ts)
  return new SerialDeviceTransportImpl(port, options);
}

/** One line saying what went wrong and what to do, instead of serialport's raw errno text. */
function describeOpenError(path: string, err: Error): string {
  const message = err.message;
  if (/no such file|ENOENT/i.test(message)) return `serial device ${path} does not exist`;
  if (/permission denied|EACCES/i.test(message)) {
    return `permission denied opening serial device ${path} (is your user in the dialout group?)`;
  }
  if (/cannot lock port|resource temporarily unavailable/i.test(message)) {
    return `serial device ${path} is busy: another program has it open`;
  }
  if (/inappropriate ioctl|not a typewriter|ENOTTY/i.test(message)) return `${path} is not a serial device`;
  return `cannot open serial device ${path}: ${message.replace(/^Error:\s*/, '')}`;
}

class SerialDeviceTransportImpl extends QueuedTransport {
  readonly address: string;
  /** Settles the write in flight: serialport parks writes made on a closed port forever. */
  private abandonSend: (() => void) | null = null;
  /** Rate switches in order, each after the output before it has left. */
  private rateSwitch: Promise<void> = Promise.resolve();

  constructor(
    private readonly port: SerialPort,
    options: SerialDeviceTransportOptions,
  ) {
    super(options.maxQueuedBytes);
    this.address = options.path;
    this.pump.attach((chunk) => this.send(chunk));
    // serialport also emits 'error' for failed writes; the pump already counts those as lost.
    port.on('error', () => undefined);
    port.on('close', (err?: Error & { disconnected?: boolean }) => {
      // Unplugged (or the device vanished) rather than closed by us: the line is gone.
      if (!this.isClosed && err?.disconnected) {
        this.pump.attach(null);
        this.abandonSend?.();
        this.emitControl({ type: 'host-detached' });
      }
    });
  }

  /** Starts reading only once someone listens: until then the driver buffers the host's bytes. */
  protected sinkSet(first: boolean): void {
    if (first) this.port.on('data', (bytes: Buffer) => this.deliver(bytes));
  }

  /**
   * Stops reading the device: the host's bytes wait in the kernel's tty buffer, then (with
   * hardware flow control on the wire) the host is held back, as by a real module's UART.
   */
  pauseInput(): void {
    this.port.pause();
  }

  resumeInput(): void {
    if (!this.isClosed && this.sink) this.port.resume();
  }

  async hostBaudRate(): Promise<number | null> {
    return this.isClosed ? null : this.port.baudRate;
  }

  /**
   * AT+UART_CUR on a real line: the device's own UART switches, as the ESP's does, once what was
   * written before (the OK) has left the queue and the kernel. The host must follow, as with a
   * real module. No pacing or garbling here: the wire does both.
   */
  override setModuleBaudRate(baudRate: number): void {
    if (this.isClosed) return;
    this.rateSwitch = this.rateSwitch
      .then(() => this.pump.drained())
      .then(() => new Promise<void>((resolve) => (this.port.isOpen ? this.port.drain(() => resolve()) : resolve())))
      .then(
        () =>
          new Promise<void>((resolve) => {
            if (this.isClosed || !this.port.isOpen || this.port.baudRate === baudRate) return resolve();
            this.port.update({ baudRate }, () => resolve());
          }),
      )
      .catch(() => undefined);
  }

  /** Resolves once the binding has handed the chunk to the OS (serialport's write callback). */
  private send(chunk: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.abandonSend = () => reject(new Error('serial device closed'));
      this.port.write(chunk, (err) => {
        this.abandonSend = null;
        if (err) reject(err);
        else resolve();
      });
    });
  }

  protected async shutdown(): Promise<void> {
    const stopping = this.pump.stop();
    if (this.port.isOpen) {
      // Closing cancels the write in flight, which settles the pump.
      await new Promise<void>((resolve) => this.port.close(() => resolve()));
    }
    this.abandonSend?.();
    await stopping;
  }
}
