import { systemClock, type Clock, type ClockTimer } from '../../runtime/clock.js';
import type { LineControlEvent, ModuleTransport, TransportSink } from '../transport/types.js';
import {
  DEFAULT_SPLIT_GAP_MS,
  DEFAULT_SPLIT_PIECES,
  DEFAULT_STALL_MS,
  DEFAULT_DELAY,
  type Direction,
} from './fault-spec.js';
import type { FaultPlan } from './fault-plan.js';
import type { FaultReporter } from './reporter.js';
import { mangleBytes, splitPoints, type Mangled } from './serial-mangler.js';
import { DrainWaiters } from '../transport/output-queue.js';

/** Module output held back by delay/stall/split beyond this is dropped oldest first (a UART TX FIFO). */
export const HELD_OUTPUT_BYTES = 64 * 1024;
/** Host input held during a stall beyond this is dropped newest first (a full UART RX FIFO). */
export const HELD_INPUT_BYTES = 16 * 1024;

interface Scheduled {
  readonly bytes: Uint8Array;
  readonly at: number;
}

/**
 * The serial fault layer: wraps the module's ModuleTransport, so every carrier (PTY, device, TCP,
 * pair) gets the same noisy line. Host → module: drop/corrupt/dup, held during a stall.
 * Module → host: drop/corrupt/dup, then delay, stall and split decide when each piece leaves;
 * pieces leave in order, each in its own turn of the event loop so a host reads them separately.
 * With nothing armed, bytes pass straight through.
 *
 * Every capability of the inner transport is passed on (AT+UART_CUR must still reach the line
 * model, passthrough must still hold the host back); output the layer holds back counts as
 * pending and as waiting for the wire, since on a delayed or stalled line that is where it is.
 */
export class FaultyTransport implements ModuleTransport {
  private readonly queue: Scheduled[] = [];
  private queuedBytes = 0;
  private lastAt = 0;
  private timer: ClockTimer | null = null;
  private stallOutUntil = 0;
  private stallInUntil = 0;
  private heldInput: Uint8Array[] = [];
  private heldInputBytes = 0;
  private inputTimer: ClockTimer | null = null;
  private sink: TransportSink | null = null;
  private disposed = false;
  private readonly waiters = new DrainWaiters();
  private lost = 0;

  constructor(
    private readonly inner: ModuleTransport,
    private readonly plan: FaultPlan,
    private readonly report: FaultReporter,
    private readonly clock: Clock = systemClock,
  ) {}

  get address(): string {
    return this.inner.address;
  }

  setSink(sink: TransportSink): void {
    this.sink = sink;
    this.inner.setSink({
      onData: (bytes) => this.fromHost(bytes),
      onControl: (event) => this.control(event),
    });
  }

  write(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return this.inner.write(bytes);
    const mangled = mangleBytes(this.plan, 'out', bytes);
    this.reportBytes(mangled);
    this.schedule(mangled.bytes);
  }

  hostBaudRate(): Promise<number | null> {
    return this.inner.hostBaudRate();
  }

  close(): Promise<void> {
    this.dispose();
    return this.inner.close();
  }

  pendingBytes(): number {
    return this.inner.pendingBytes() + this.queuedBytes;
  }

  droppedBytes(): number {
    return this.inner.droppedBytes() + this.lost;
  }

  async drained(): Promise<void> {
    await this.heldDrained();
    await this.inner.drained();
  }

  lineQueuedBytes(): number {
    return this.inner.lineQueuedBytes() + this.queuedBytes;
  }

  async lineDrained(): Promise<void> {
    await this.heldDrained();
    await this.inner.lineDrained();
  }

  pauseInput(): void {
    this.inner.pauseInput();
  }

  resumeInput(): void {
    this.inner.resumeInput();
  }

  setModuleBaudRate(baudRate: number): void {
    this.inner.setModuleBaudRate(baudRate);
  }

  /** Silence on the line for `ms` (both directions unless `dir` says one). */
  stall(ms: number, dir: Direction = 'both'): void {
    const until = this.clock.now() + ms;
    if (dir !== 'in') this.stallOutUntil = Math.max(this.stallOutUntil, until);
    if (dir !== 'out') {
      this.stallInUntil = Math.max(this.stallInUntil, until);
      this.armInputRelease();
    }
  }

  /** The chip reset: what its UART FIFOs held is gone. */
  purge(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.heldInput = [];
    this.heldInputBytes = 0;
    this.waiters.release();
  }

  /** Stops every timer; later output passes straight through. */
  dispose(): void {
    this.disposed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    if (this.inputTimer) this.clock.clearTimeout(this.inputTimer);
    this.timer = this.inputTimer = null;
    this.purge();
  }

  private heldDrained(): Promise<void> {
    return this.waiters.wait(this.queue.length === 0);
  }

  private control(event: LineControlEvent): void {
    if (event.type === 'reset') this.purge();
    this.sink?.onControl?.(event);
  }

  private fromHost(bytes: Buffer): void {
    if (this.disposed) return this.sink?.onData(bytes);
    const mangled = mangleBytes(this.plan, 'in', bytes);
    this.reportBytes(mangled);
    if (mangled.bytes.length === 0) return;
    const data = Buffer.from(mangled.bytes.buffer, mangled.bytes.byteOffset, mangled.bytes.length);
    if (this.clock.now() < this.stallInUntil || this.heldInput.length > 0) return this.holdInput(data);
    this.sink?.onData(data);
  }

  /** One trace line per chunk; the counters count each byte hit. */
  private reportBytes(mangled: Mangled): void {
    let detail = mangled.report;
    for (const kind of ['drop', 'corrupt', 'dup'] as const) {
      if (mangled.counts[kind] === 0) continue;
      this.report.injected(kind, detail, mangled.counts[kind]);
      detail = '';
    }
  }

  private holdInput(data: Buffer): void {
    const room = HELD_INPUT_BYTES - this.heldInputBytes;
    if (data.length > room) this.report.note(`stalled UART RX FIFO full: ${data.length - Math.max(0, room)} host bytes lost`);
    if (room <= 0) return;
    const kept = data.length > room ? data.subarray(0, room) : data;
    this.heldInput.push(kept);
    this.heldInputBytes += kept.length;
    this.armInputRelease();
  }

  private armInputRelease(): void {
    if (this.inputTimer || this.disposed) return;
    const wait = Math.max(0, this.stallInUntil - this.clock.now());
    this.inputTimer = this.clock.setTimeout(() => {
      this.inputTimer = null;
      if (this.clock.now() < this.stallInUntil) return this.armInputRelease();
      const held = this.heldInput;
      this.heldInput = [];
      this.heldInputBytes = 0;
      if (held.length > 0) this.sink?.onData(Buffer.concat(held));
    }, wait);
  }

  /** Decides when the (already mangled) chunk leaves: at once, later, or in pieces. */
  private schedule(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const now = this.clock.now();
    let at = Math.max(now, this.lastAt);
    const stall = this.plan.find('stall');
    if (stall && this.plan.chance(stall)) {
      const ms = stall.spec.params.for ?? DEFAULT_STALL_MS;
      this.report.injected('stall', `stall: line silent for ${ms} ms (${stall.spec.params.dir ?? 'both'})`);
      this.stall(ms, stall.spec.params.dir);
    }
    at = Math.max(at, this.stallOutUntil);
    const delay = this.plan.find('delay');
    if (delay && this.plan.chance(delay)) {
      const range = delay.spec.params.by ?? DEFAULT_DELAY;
      const ms = delay.what.int(range.minMs, range.maxMs);
      this.report.injected('delay', `delay: ${bytes.length} bytes of output ${ms} ms late`);
      at = Math.max(at, now + ms);
    }
    const pieces = this.cut(bytes);
    if (at <= now && pieces.length === 1 && this.queue.length === 0) {
      this.inner.write(bytes);
      return;
    }
    const split = this.plan.find('split');
    const gap = Math.max(1, split?.spec.params.gap ?? DEFAULT_SPLIT_GAP_MS);
    pieces.forEach((piece, index) => this.enqueue({ bytes: piece, at: at + index * gap }));
  }

  private cut(bytes: Uint8Array): Uint8Array[] {
    const split = this.plan.find('split');
    if (!split || bytes.length < 2 || !this.plan.chance(split)) return [bytes];
    const points = splitPoints(bytes, split.spec.params.pieces ?? DEFAULT_SPLIT_PIECES, split.what);
    const pieces: Uint8Array[] = [];
    let start = 0;
    for (const point of [...points, bytes.length]) {
      pieces.push(bytes.subarray(start, point));
      start = point;
    }
    this.report.injected('split', `split: ${bytes.length} bytes of output cut at ${points.join(', ')}`);
    return pieces;
  }

  private enqueue(entry: Scheduled): void {
    this.queue.push(entry);
    this.queuedBytes += entry.bytes.length;
    this.lastAt = entry.at;
    let lost = 0;
    while (this.queuedBytes > HELD_OUTPUT_BYTES && this.queue.length > 1) {
      const oldest = this.queue.shift()!;
      this.queuedBytes -= oldest.bytes.length;
      lost += oldest.bytes.length;
    }
    this.lost += lost;
    if (lost > 0) this.report.note(`held output over ${HELD_OUTPUT_BYTES} bytes: oldest ${lost} bytes dropped`);
    this.armRelease();
  }

  private armRelease(): void {
    if (this.timer || this.disposed || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0].at - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.release(), wait);
  }

  /** One piece per timer turn: the carrier's pump would merge pieces written in the same turn. */
  private release(): void {
    this.timer = null;
    const next = this.queue[0];
    if (!next) return;
    if (next.at > this.clock.now() + 0.5) return this.armRelease();
    this.queue.shift();
    this.queuedBytes -= next.bytes.length;
    this.inner.write(next.bytes);
    if (this.queue.length === 0) {
      this.lastAt = 0;
      this.waiters.release();
    }
    this.armRelease();
  }
}
