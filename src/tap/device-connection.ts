/**
 * The tap's side towards the module: a HostPort on the device that survives the device going
 * away (unplugged, the emulator behind a PTY restarted) by reopening it until it is back. Bytes
 * from the host wait here in order while it is gone and go out once it is back: the tap never
 * drops what it accepted. Writes are issued at once (serialport keeps them in order); only a rate
 * change waits for what was written before it to leave.
 */
import type { HostPort } from '../host-port/types.js';

export interface DeviceEvents {
  onData(bytes: Uint8Array): void;
  /** The device went away; `reason` says why when known. */
  onDetached(reason: string): void;
  /** The device is open again (not called for the first open). */
  onAttached(): void;
}

/** Between attempts to reopen a device that went away. */
const REOPEN_INTERVAL_MS = 250;

export class DeviceConnection {
  private port: HostPort | null = null;
  private readonly waiting: Uint8Array[] = [];
  private inFlight = 0;
  private waitingBytes = 0;
  private paused = false;
  private closed = false;
  private reopenTimer: NodeJS.Timeout | null = null;
  private rate: number | null = null;
  private drainWaiters: Array<() => void> = [];
  /** Bytes a failing device took and could not deliver (it vanished mid-write). */
  lostInWrite = 0;

  constructor(
    readonly path: string,
    private readonly openPort: () => Promise<HostPort>,
    private readonly events: DeviceEvents,
  ) {}

  /** Opens the device for the first time; a failure here is the caller's to report. */
  async start(): Promise<void> {
    this.attach(await this.openPort());
  }

  get connected(): boolean {
    return this.port !== null;
  }

  /** Bytes accepted and not yet handed to the device's OS. */
  pendingBytes(): number {
    return this.inFlight + this.waitingBytes;
  }

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    if (!this.port) {
      this.waiting.push(bytes);
      this.waitingBytes += bytes.length;
      return;
    }
    this.send(this.port, bytes);
  }

  /** Resolves once everything accepted so far has reached the device's OS. */
  drained(): Promise<void> {
    if (this.pendingBytes() === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** The device follows the host's line rate, after what was written before has gone out at the old one. */
  async setBaudRate(rate: number): Promise<boolean> {
    this.rate = rate;
    await this.drained();
    const port = this.port;
    if (!port?.setBaudRate) return false;
    await port.drained?.().catch(() => undefined);
    await port.setBaudRate(rate).catch(() => undefined);
    return true;
  }

  /** Pulses the device's reset line; false when it has none (a PTY, raw TCP). */
  async pulseReset(): Promise<boolean> {
    if (!this.port?.pulseReset) return false;
    return this.port.pulseReset().then(
      () => true,
      () => false,
    );
  }

  pauseInput(): void {
    this.paused = true;
    this.port?.pauseInput?.();
  }

  resumeInput(): void {
    this.paused = false;
    this.port?.resumeInput?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    const port = this.port;
    this.port = null;
    await port?.close().catch(() => undefined);
    this.settleDrain();
  }

  private attach(port: HostPort): void {
    this.port = port;
    port.onData((bytes) => this.events.onData(bytes));
    port.onClose((err) => this.detach(port, err));
    if (this.paused) port.pauseInput?.();
  }

  private send(port: HostPort, bytes: Uint8Array): void {
    this.inFlight += bytes.length;
    port.write(bytes).then(
      () => this.sent(bytes.length),
      () => {
        this.lostInWrite += bytes.length;
        this.sent(bytes.length);
      },
    );
  }

  private sent(count: number): void {
    this.inFlight -= count;
    this.settleDrain();
  }

  private settleDrain(): void {
    if (this.pendingBytes() > 0 && !this.closed) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private detach(port: HostPort, err: Error | null): void {
    if (this.port !== port || this.closed) return;
    this.port = null;
    this.events.onDetached(err?.message ?? 'closed');
    void port.close().catch(() => undefined);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.closed) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      void this.reopen();
    }, REOPEN_INTERVAL_MS);
  }

  private async reopen(): Promise<void> {
    let port: HostPort;
    try {
      port = await this.openPort();
    } catch {
      this.scheduleReopen();
      return;
    }
    if (this.closed) {
      await port.close().catch(() => undefined);
      return;
    }
    if (this.rate !== null) await port.setBaudRate?.(this.rate).catch(() => undefined);
    if (this.closed) {
      await port.close().catch(() => undefined);
      return;
    }
    // Attached only now, so nothing the host sends meanwhile can overtake the bytes that waited.
    this.attach(port);
    this.events.onAttached();
    const waiting = this.waiting.splice(0);
    this.waitingBytes = 0;
    for (const bytes of waiting) this.send(port, bytes);
    this.settleDrain();
  }
}
