/**
 * `copro tap`: a transparent proxy on a serial line. The host opens the tap's side (a PTY or a
 * TCP port, the emulator's module-side transports reused) as it would the module; every byte
 * goes on to the device unchanged, and back. Beside the bytes the tap
 *   - follows the host's line settings onto the device (termios baud on a PTY, RFC 2217
 *     SET-BAUDRATE; RFC 2217 DTR/RTS resets become a reset pulse on a real device);
 *   - holds a side back rather than drop: a device the host is not reading is paused, a host
 *     whose bytes the device has not taken yet is paused, and host bytes wait while the device
 *     is gone and go out when it is back;
 *   - decodes both directions with the driver's codec for the live trace and the recorder.
 * The decoder only reads copies: nothing it concludes changes a byte.
 */
import type { ModuleTransport } from '../../emulator/transport/types.js';
import type { HostPort } from '../host-port/types.js';
import type { DialogueDecoder, DialogueEvent } from '../transcript/dialogue.js';
import type { LineEventKind } from '../transcript/format.js';
import type { TranscriptSink } from '../transcript/recorder.js';
import { DeviceConnection } from './device-connection.js';

export type TapHostSide = ModuleTransport;

export interface TapOptions {
  /** What the host opens. The tap owns it: close() closes it. */
  readonly hostSide: TapHostSide;
  /**
   * The host side is a real serial device: its host cannot tell the tap its rate, so after the
   * module's OK to AT+UART_CUR both lines switch (a PTY's or RFC 2217 host's rate arrives as events).
   */
  readonly hostIsSerialDevice?: boolean;
  /** The device path or URL, for messages. */
  readonly devicePath: string;
  /** Opens the device (again, after it went away). */
  readonly openDevice: () => Promise<HostPort>;
  readonly decoder: DialogueDecoder;
  readonly recorder?: TranscriptSink;
  /** Each decoded event as it happens, with the tap's clock (ms since start). */
  readonly onDialogue?: (event: DialogueEvent, t: number) => void;
  /** Things a person watching should know: the device went away, a rate change, a reset not forwarded. */
  readonly report?: (text: string) => void;
}

export interface TapCounts {
  readonly hostToDevice: number;
  readonly deviceToHost: number;
}

/** Host bytes the device has not taken yet beyond which the host is held back. */
const DEVICE_BACKLOG_LIMIT = 64 * 1024;
/** Device bytes the host has not read yet beyond which the device is held back. */
const HOST_BACKLOG_LIMIT = 128 * 1024;
/** After the host sends a rate-changing command, its line rate is re-read before each of its chunks for this long. */
const RATE_WATCH_MS = 5000;
const RATE_COMMANDS = new Set(['UART_CUR', 'UART_DEF', 'UART']);

export class Tap {
  private readonly device: DeviceConnection;
  private readonly start = performance.now();
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private hostRate: number | null = null;
  private rateWatchUntil = 0;
  private readonly hostHeldFor = new Set<'backlog' | 'device-gone'>();
  private deviceHeld = false;
  /** A rate the host asked the module for (AT+UART_CUR=…), switched to on both real lines after the module's OK. */
  private askedRate: number | null = null;
  private up = 0;
  private down = 0;
  private closing: Promise<void> | null = null;

  private constructor(private readonly options: TapOptions) {
    this.device = new DeviceConnection(options.devicePath, options.openDevice, {
      onData: (bytes) => this.fromDevice(bytes),
      onDetached: (reason) => this.deviceGone(reason),
      onAttached: () => this.deviceBack(),
    });
  }

  /** Opens the device, then starts passing bytes. */
  static async start(options: TapOptions): Promise<Tap> {
    const tap = new Tap(options);
    await tap.device.start();
    tap.hostRate = await options.hostSide.hostBaudRate().catch(() => null);
    if (tap.hostRate !== null) tap.ordered(() => tap.applyRate(tap.hostRate!, false));
    options.hostSide.setSink({
      onData: (bytes) => tap.fromHost(bytes),
      onControl: (event) => {
        if (event.type === 'baud') tap.ordered(() => tap.applyRate(event.rate, true));
        else if (event.type === 'reset') tap.ordered(() => tap.reset());
        else tap.lineEvent(event.type);
      },
    });
    return tap;
  }

  get address(): string {
    return this.options.hostSide.address;
  }

  counts(): TapCounts {
    return { hostToDevice: this.up, deviceToHost: this.down };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.options.hostSide.close();
      await this.device.close();
    })();
    return this.closing;
  }

  private now(): number {
    return performance.now() - this.start;
  }

  private fromHost(bytes: Uint8Array): void {
    this.up += bytes.length;
    this.options.recorder?.data('host', bytes);
    const events = this.decode('host', bytes);
    if (this.rateWatchUntil > this.now()) this.ordered(() => this.followHostRate());
    if (this.queued === 0) this.device.write(bytes);
    else this.ordered(() => this.device.write(bytes));
    for (const event of events) {
      if (event.kind === 'command' && event.command && event.command.form === 'set' && RATE_COMMANDS.has(event.command.name)) {
        this.rateWatchUntil = this.now() + RATE_WATCH_MS;
        const rate = event.command.params[0];
        this.askedRate = rate?.kind === 'int' ? rate.value : null;
      }
    }
    if (this.device.pendingBytes() > DEVICE_BACKLOG_LIMIT) this.holdHost('backlog');
  }

  private fromDevice(bytes: Uint8Array): void {
    this.down += bytes.length;
    this.options.recorder?.data('module', bytes);
    const events = this.decode('module', bytes);
    const hostSide = this.options.hostSide;
    hostSide.write(bytes);
    this.followModuleRate(events);
    if (!this.deviceHeld && hostSide.pendingBytes() > HOST_BACKLOG_LIMIT) {
      this.deviceHeld = true;
      this.device.pauseInput();
      void hostSide.drained().then(() => {
        this.deviceHeld = false;
        if (!this.closing) this.device.resumeInput();
      });
    }
  }

  /**
   * A host on a real serial device cannot tell us its rate: when the module says OK to the host's
   * AT+UART_CUR, both real lines switch, the host's once that OK has left (as the module's UART does).
   */
  private followModuleRate(events: readonly DialogueEvent[]): void {
    const hostSide = this.options.hostSide;
    if (this.askedRate === null || !this.options.hostIsSerialDevice) return;
    for (const event of events) {
      if (event.kind !== 'reply' || event.event.type !== 'final') continue;
      const rate = this.askedRate;
      this.askedRate = null;
      if (event.event.result !== 'OK') return;
      hostSide.setModuleBaudRate(rate);
      this.ordered(() => this.applyRate(rate, true));
      return;
    }
  }

  private decode(side: 'host' | 'module', bytes: Uint8Array): DialogueEvent[] {
    const events = side === 'host' ? this.options.decoder.host(bytes) : this.options.decoder.module(bytes);
    const t = this.now();
    for (const event of events) this.options.onDialogue?.(event, t);
    return events;
  }

  /** Runs `step` after every earlier ordered step and forwarded chunk (rate changes must not overtake bytes). */
  private ordered(step: () => unknown): void {
    this.queued += 1;
    this.chain = this.chain
      .then(step)
      .catch(() => undefined)
      .then(() => {
        this.queued -= 1;
      });
  }

  private holdHost(reason: 'backlog' | 'device-gone'): void {
    const wasHeld = this.hostHeldFor.size > 0;
    this.hostHeldFor.add(reason);
    if (!wasHeld) this.options.hostSide.pauseInput();
    if (reason === 'backlog') {
      void this.device.drained().then(() => this.releaseHost('backlog'));
    }
  }

  private releaseHost(reason: 'backlog' | 'device-gone'): void {
    if (!this.hostHeldFor.delete(reason) || this.hostHeldFor.size > 0 || this.closing) return;
    this.options.hostSide.resumeInput();
  }

  private async followHostRate(): Promise<void> {
    const rate = await this.options.hostSide.hostBaudRate().catch(() => null);
    if (rate !== null && rate !== this.hostRate) await this.applyRate(rate, true);
  }

  private async applyRate(rate: number, changed: boolean): Promise<void> {
    if (changed && rate === this.hostRate) return;
    this.hostRate = rate;
    if (changed) this.lineEvent('baud', rate);
    const followed = await this.device.setBaudRate(rate);
    if (!changed) return;
    const device = this.options.devicePath;
    this.options.report?.(followed ? `host set ${rate} baud; ${device} follows` : `host set ${rate} baud (${device} has no line rate)`);
  }

  private async reset(): Promise<void> {
    this.lineEvent('reset');
    const pulsed = await this.device.pulseReset();
    if (!pulsed) this.options.report?.(`host pulsed reset; ${this.options.devicePath} has no reset line, not forwarded`);
  }

  private lineEvent(kind: LineEventKind, rate?: number): void {
    this.options.recorder?.lineEvent(kind, rate);
    this.options.decoder.lineEvent(kind);
  }

  private deviceGone(reason: string): void {
    this.lineEvent('device-detached');
    this.options.report?.(`${this.options.devicePath} went away (${reason}); host bytes wait until it is back`);
    this.holdHost('device-gone');
  }

  private deviceBack(): void {
    this.lineEvent('device-attached');
    this.options.report?.(`${this.options.devicePath} is back`);
    this.releaseHost('device-gone');
  }
}
