import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { once } from 'node:events';
import { autoDetect } from '@serialport/bindings-cpp';
import type { BindingPortInterface } from '@serialport/bindings-cpp';
import type { ModuleTransport } from './types.js';
import { QueuedTransport } from './queued-transport.js';
import { PtyWriter } from './pty-writer.js';
import { openPtyPair } from './pty-native.js';
import { publishDeviceLink, removeDeviceLink } from './device-link.js';

export interface PtyTransportOptions {
  /** Publish a symlink to the slave here (a stale symlink is replaced; a regular file is refused). */
  readonly link?: string;
  /** The line rate the slave starts with, until a host opens it with its own. Default 115200. */
  readonly baudRate?: number;
  /** Bound of the output queue (bytes not yet in the kernel). Default 64 KiB. */
  readonly maxQueuedBytes?: number;
  /** How often the host's termios baud is polled for changes. Default 250 ms. */
  readonly baudPollMs?: number;
}

export type PtyTransport = ModuleTransport & { readonly slavePath: string };

/**
 * The module's UART as a PTY: a host opens the slave (`address`) like any serial device.
 *
 * - The pair is made with openpty(3) (node-pty's native addon), no process spawned.
 * - A serialport "holder" keeps one slave fd open in our process (lock:false, so the host can
 *   still take its own flock). Without it the master reads EIO the moment the host closes and
 *   the PTY dies; with it hosts may open, close and reopen at will. It also makes the termios
 *   raw (no echo, no CR/LF mapping) before any host shows up, and reads the baud a host sets.
 * - openpty's fds are not close-on-exec: the raw slave fd is closed as soon as the holder
 *   (O_CLOEXEC) has the line, so a later child process cannot keep the PTY alive.
 * - The master is read with a tty.ReadStream (epoll, no thread pool) and written with
 *   fs.write + EAGAIN retry (PtyWriter). What the kernel cannot take waits in the bounded
 *   queue; with no host reading, the oldest of it is dropped.
 *
 * A PTY cannot tell whether a host is attached, so no host-attached/detached events. The host's
 * baud is polled while open and reported as a `baud` control event when it changes.
 */
export async function openPtyTransport(options: PtyTransportOptions = {}): Promise<PtyTransport> {
  const baudRate = options.baudRate ?? 115200;
  const pair = openPtyPair();
  let holder: BindingPortInterface;
  try {
    holder = await autoDetect().open({ path: pair.pty, baudRate, lock: false });
  } catch (err) {
    fs.closeSync(pair.master);
    fs.closeSync(pair.slave);
    throw new Error(`cannot hold PTY slave ${pair.pty}: ${(err as Error).message}`);
  }
  fs.closeSync(pair.slave);
  if (options.link !== undefined) {
    try {
      await publishDeviceLink(options.link, pair.pty);
    } catch (err) {
      await holder.close().catch(() => undefined);
      fs.closeSync(pair.master);
      throw err;
    }
  }
  return new PtyTransportImpl(pair.master, pair.pty, holder, baudRate, options);
}

class PtyTransportImpl extends QueuedTransport {
  readonly address: string;
  readonly slavePath: string;
  private readonly rx: tty.ReadStream;
  private readonly writer: PtyWriter;
  private readonly pollTimer: NodeJS.Timeout;
  private polling: Promise<void> | null = null;
  private lastBaud: number;

  constructor(
    master: number,
    slavePath: string,
    private readonly holder: BindingPortInterface,
    baudRate: number,
    private readonly options: PtyTransportOptions,
  ) {
    super(options.maxQueuedBytes);
    this.slavePath = slavePath;
    this.address = options.link ?? slavePath;
    this.lastBaud = baudRate;
    this.rx = new tty.ReadStream(master);
    // Cannot happen while the holder keeps the slave open; keep the process alive if it does.
    this.rx.on('error', () => undefined);
    this.writer = new PtyWriter(master);
    this.pump.attach((chunk) => this.writer.send(chunk));
    this.pollTimer = setInterval(() => this.pollBaud(), options.baudPollMs ?? 250);
    this.pollTimer.unref();
  }

  /** Starts reading only once someone listens: until then the kernel keeps the host's bytes. */
  protected sinkSet(first: boolean): void {
    if (first) this.rx.on('data', (bytes: Buffer) => this.deliver(bytes));
  }

  /** Stops reading the master: the host's bytes wait in the kernel, then its writes block (EAGAIN). */
  pauseInput(): void {
    this.rx.pause();
  }

  resumeInput(): void {
    if (!this.isClosed && this.sink) this.rx.resume();
  }

  async hostBaudRate(): Promise<number | null> {
    if (this.isClosed) return null;
    try {
      return (await this.holder.getBaudRate()).baudRate;
    } catch {
      return null; // closed meanwhile
    }
  }

  private pollBaud(): void {
    if (this.polling || this.isClosed) return;
    this.polling = this.holder
      .getBaudRate()
      .then(({ baudRate }) => {
        if (baudRate === this.lastBaud || this.isClosed) return;
        this.lastBaud = baudRate;
        this.emitControl({ type: 'baud', rate: baudRate });
      })
      .catch(() => undefined)
      .finally(() => {
        this.polling = null;
      });
  }

  protected async shutdown(): Promise<void> {
    clearInterval(this.pollTimer);
    // The master fd must not be closed under an fs.write in the thread pool (the number could
    // be reused by then): abort retries, then wait for the write in flight to settle.
    this.writer.abort();
    await this.pump.stop();
    if (this.polling) await this.polling;
    const closed = once(this.rx, 'close');
    this.rx.destroy();
    await closed;
    await this.holder.close().catch(() => undefined);
    if (this.options.link !== undefined) await removeDeviceLink(this.options.link, this.slavePath);
  }
}
