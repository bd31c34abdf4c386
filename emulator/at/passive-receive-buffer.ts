import type { Endpoint } from '../network/types.js';

/** One received chunk: a TCP segment or a whole UDP datagram, with its sender. */
interface Chunk {
  data: Buffer;
  readonly from: Endpoint;
}

export interface PassiveRead {
  readonly data: Buffer;
  /** The sender of the first byte read (what CIPDINFO=1 reports). */
  readonly from: Endpoint;
}

/**
 * The module's per-link receive buffer in passive mode (AT+CIPRECVMODE=1).
 *
 * TCP is a byte stream: reads cross segment boundaries, and once `window` bytes are held the
 * link is paused so the peer's window closes (bytes already in flight are still kept: dropping
 * TCP data would corrupt the stream). UDP keeps datagram boundaries: one read returns at most one
 * datagram, the unread rest of a partly read datagram is lost, and datagrams that do not fit in
 * the window are dropped (esp-at issues #323/#451).
 */
export class PassiveReceiveBuffer {
  private readonly chunks: Chunk[] = [];
  private total = 0;
  /** Edge trigger of the `+IPD,<id>,<len>` notice: one notice until the host reads. */
  private noticePending = false;

  constructor(
    private readonly datagrams: boolean,
    private readonly window: number,
  ) {}

  get length(): number {
    return this.total;
  }

  get isFull(): boolean {
    return this.total >= this.window;
  }

  /** Stores received bytes; false when a datagram was dropped for lack of room. */
  push(data: Buffer, from: Endpoint): boolean {
    if (data.length === 0) return true;
    if (this.datagrams && this.total + data.length > this.window) return false;
    this.chunks.push({ data, from });
    this.total += data.length;
    return true;
  }

  /**
   * Whether a notice should be printed now. True once after data arrives, then false until the
   * host has read (CIPRECVDATA), which re-arms it.
   */
  takeNotice(): boolean {
    if (this.total === 0 || this.noticePending) return false;
    this.noticePending = true;
    return true;
  }

  /** Reads up to `max` bytes (one datagram at most for UDP). */
  read(max: number): PassiveRead | null {
    const first = this.chunks[0];
    if (!first || max <= 0) return null;
    this.noticePending = false;
    if (this.datagrams) {
      this.chunks.shift();
      this.total -= first.data.length;
      return { data: first.data.subarray(0, max), from: first.from };
    }
    const parts: Buffer[] = [];
    let wanted = max;
    while (wanted > 0 && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      if (chunk.data.length <= wanted) {
        parts.push(chunk.data);
        wanted -= chunk.data.length;
        this.chunks.shift();
      } else {
        parts.push(chunk.data.subarray(0, wanted));
        chunk.data = chunk.data.subarray(wanted);
        wanted = 0;
      }
    }
    const data = Buffer.concat(parts);
    this.total -= data.length;
    return { data, from: first.from };
  }

  clear(): void {
    this.chunks.length = 0;
    this.total = 0;
    this.noticePending = false;
  }
}
