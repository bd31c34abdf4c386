import { DrainWaiters } from './output-queue.js';
import { FRAME_BITS } from './uart-garble.js';

/** Receives bytes whose last stop bit has left the wire, with the rate they were sent at. */
export type PacedRelease = (bytes: Buffer, baudRate: number) => void;

interface Segment {
  readonly bytes: Buffer;
  offset: number;
  readonly baudRate: number;
}

/** Timers are never asked for less than this: Node's setTimeout resolution is ~1 ms anyway. */
const MIN_TICK_MS = 1;

/**
 * Releases bytes no sooner than a UART could have shifted them out: at `baud / 10` bytes per
 * second (8N1), each byte when its stop bit ends, as a receiving UART delivers it.
 *
 * A virtual wire clock (`lineFreeAt`, the moment the last released byte finished) advances by
 * exactly one frame time per byte while bytes keep coming, so a timer that fires late only
 * delays bytes and the next tick catches up in one batch: the long-run rate is the line rate
 * (not "1 ms ticks × bytes per tick"), and no byte ever leaves before its frame could have
 * ended. When the queue runs dry the wire goes idle and the clock restarts with the next byte.
 *
 * Each queued segment keeps the rate it was written at, so a rate switch (AT+UART_CUR after its
 * OK) applies to what is written after it, not to what is still on its way.
 *
 * Bounded like a UART's FIFO: beyond `maxBytes` the oldest bytes are dropped and counted.
 */
export class LinePacer {
  private segments: Segment[] = [];
  private queued = 0;
  private dropped = 0;
  private lineFreeAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly waiters = new DrainWaiters();

  constructor(
    private readonly release: PacedRelease,
    private readonly maxBytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`pacer bound must be a positive integer, got ${maxBytes}`);
  }

  /** Bytes waiting for the wire. */
  get length(): number {
    return this.queued;
  }

  get droppedBytes(): number {
    return this.dropped;
  }

  /** Queues a copy of `bytes` to go out at `baudRate`. */
  push(bytes: Uint8Array, baudRate: number): void {
    if (this.stopped || bytes.length === 0) return;
    if (!(baudRate > 0)) throw new RangeError(`line rate must be positive, got ${baudRate}`);
    if (this.queued === 0) this.lineFreeAt = Math.max(this.lineFreeAt, this.now()); // the wire was idle
    this.segments.push({ bytes: Buffer.from(bytes), offset: 0, baudRate });
    this.queued += bytes.length;
    if (this.queued > this.maxBytes) this.discardOldest(this.queued - this.maxBytes);
    this.schedule();
  }

  /** Drops everything queued; returns the count. */
  clear(): number {
    const n = this.queued;
    this.dropped += n;
    this.segments = [];
    this.queued = 0;
    this.waiters.release();
    return n;
  }

  /** Resolves once nothing is queued (or the pacer is stopped). */
  drained(): Promise<void> {
    return this.waiters.wait(this.stopped || this.queued === 0);
  }

  /** Stops for good: queued bytes are abandoned, waiters freed. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.segments = [];
    this.queued = 0;
    this.waiters.release();
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.queued === 0) return;
    const head = this.segments[0];
    const nextEnd = this.lineFreeAt + frameMs(head.baudRate);
    const delay = Math.max(MIN_TICK_MS, Math.ceil(nextEnd - this.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, delay);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.now();
    // One release per run of equal rates, so a tick hands the carrier few, larger chunks.
    let run: Buffer[] = [];
    let runRate = 0;
    const flush = (): void => {
      if (run.length > 0) this.release(run.length === 1 ? run[0] : Buffer.concat(run), runRate);
      run = [];
    };
    while (this.segments.length > 0) {
      const head = this.segments[0];
      const perByte = frameMs(head.baudRate);
      // Bytes whose frame has ended by now (the epsilon absorbs float rounding of whole frames).
      const due = Math.floor((now - this.lineFreeAt) / perByte + 1e-9);
      if (due <= 0) break;
      const take = Math.min(due, head.bytes.length - head.offset);
      if (head.baudRate !== runRate) {
        flush();
        if (this.stopped) return; // whoever received the bytes closed the line
      }
      runRate = head.baudRate;
      run.push(head.bytes.subarray(head.offset, head.offset + take));
      head.offset += take;
      this.queued -= take;
      this.lineFreeAt += take * perByte;
      if (head.offset === head.bytes.length) this.segments.shift();
    }
    flush();
    if (this.stopped) return;
    if (this.queued === 0) this.waiters.release();
    this.schedule();
  }

  private discardOldest(count: number): void {
    this.dropped += count;
    let left = count;
    while (left > 0) {
      const head = this.segments[0];
      const n = Math.min(left, head.bytes.length - head.offset);
      head.offset += n;
      left -= n;
      this.queued -= n;
      if (head.offset === head.bytes.length) this.segments.shift();
    }
  }
}

/** Milliseconds one 8N1 frame takes at `baudRate`. */
export function frameMs(baudRate: number): number {
  return (FRAME_BITS * 1000) / baudRate;
}
