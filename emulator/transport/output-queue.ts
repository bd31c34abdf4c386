/**
 * The module's UART TX FIFO: bytes the firmware has "sent" that the carrier (kernel PTY
 * buffer, TCP socket, in-process pair) has not taken yet.
 *
 * It is bounded like real hardware: a UART with nobody listening still shifts its bits out
 * and they are gone. So when the queue would exceed its bound, the OLDEST bytes are dropped
 * (and counted) rather than the writer being blocked or memory growing without limit.
 * A producer that must not lose data paces itself with `length` / the transport's
 * `drained()` (OutputFlow in types.ts), exactly as firmware waits for FIFO space.
 */

export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024;

export class OutputQueue {
  readonly maxBytes: number;
  // Chunks are kept as pushed (copied) and consumed from `head`; compacted lazily so that
  // many tiny writes do not make every take() O(n).
  private chunks: Buffer[] = [];
  private head = 0;
  private headOffset = 0;
  private queued = 0;
  private dropped = 0;

  constructor(maxBytes: number = DEFAULT_MAX_QUEUED_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`output queue bound must be a positive integer, got ${maxBytes}`);
    }
    this.maxBytes = maxBytes;
  }

  /** Bytes currently queued. */
  get length(): number {
    return this.queued;
  }

  /** Bytes dropped since creation (bound overflow and clear()). */
  get droppedBytes(): number {
    return this.dropped;
  }

  /** Appends a copy of `bytes`; drops the oldest bytes if the bound is exceeded. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    let copy: Buffer;
    if (bytes.length >= this.maxBytes) {
      // Everything already queued and the head of this write fall off the end at once.
      this.dropped += this.queued + (bytes.length - this.maxBytes);
      this.reset();
      copy = Buffer.from(bytes.subarray(bytes.length - this.maxBytes));
    } else {
      copy = Buffer.from(bytes);
    }
    this.chunks.push(copy);
    this.queued += copy.length;
    if (this.queued > this.maxBytes) this.discardOldest(this.queued - this.maxBytes);
  }

  /** Removes and returns up to `maxBytes` from the head, or null when empty. */
  take(maxBytes: number): Buffer | null {
    if (this.queued === 0 || maxBytes <= 0) return null;
    const parts: Buffer[] = [];
    let wanted = Math.min(maxBytes, this.queued);
    while (wanted > 0) {
      const chunk = this.chunks[this.head];
      const available = chunk.length - this.headOffset;
      const n = Math.min(available, wanted);
      parts.push(chunk.subarray(this.headOffset, this.headOffset + n));
      wanted -= n;
      this.consumeHead(n, available);
    }
    const out = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    return out;
  }

  /** Drops everything queued (a host's purge); returns how many bytes were dropped. */
  clear(): number {
    const n = this.queued;
    this.dropped += n;
    this.reset();
    return n;
  }

  private discardOldest(count: number): void {
    this.dropped += count;
    let left = count;
    while (left > 0) {
      const available = this.chunks[this.head].length - this.headOffset;
      const n = Math.min(available, left);
      left -= n;
      this.consumeHead(n, available);
    }
  }

  private consumeHead(n: number, available: number): void {
    this.queued -= n;
    if (n === available) {
      this.head += 1;
      this.headOffset = 0;
      if (this.head === this.chunks.length) this.reset();
      else if (this.head > 1024 && this.head * 2 > this.chunks.length) {
        this.chunks = this.chunks.slice(this.head);
        this.head = 0;
      }
    } else {
      this.headOffset += n;
    }
  }

  private reset(): void {
    this.chunks = [];
    this.head = 0;
    this.headOffset = 0;
    this.queued = 0;
  }
}

/** Promises waiting for "nothing pending"; the transport calls release() when that happens. */
export class DrainWaiters {
  private waiting: Array<() => void> = [];

  wait(alreadyDrained: boolean): Promise<void> {
    if (alreadyDrained) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
