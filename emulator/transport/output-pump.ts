import { DrainWaiters, OutputQueue } from './output-queue.js';
import type { OutputFlow } from './types.js';

/**
 * Hands one chunk to the carrier; resolves when the carrier has taken it (kernel accepted it,
 * socket buffer below its mark...). Rejecting means the chunk is lost; the pump goes on.
 */
export type ChunkSender = (chunk: Buffer) => Promise<void>;

/** Largest chunk handed to a carrier at once: small enough that little sits outside the bound. */
export const CARRIER_CHUNK_BYTES = 16 * 1024;

/**
 * Moves bytes from the bounded queue to whichever carrier is attached, one chunk in flight
 * at a time. With no carrier attached (no TCP client, flow suspended) bytes wait in the queue
 * and the queue's bound decides what survives. Only the chunk in flight lives outside the
 * bound, so memory stays at most `bound + CARRIER_CHUNK_BYTES` whatever the producer does.
 *
 * Pumping is scheduled in a microtask: writes made in the same synchronous run are coalesced,
 * and write() never calls back into anyone.
 */
export class OutputPump implements OutputFlow {
  private sender: ChunkSender | null = null;
  private inFlight: Promise<void> | null = null;
  private inFlightBytes = 0;
  private lostBytes = 0;
  private scheduled = false;
  private stopped = false;
  private readonly waiters = new DrainWaiters();

  constructor(
    private readonly queue: OutputQueue,
    private readonly chunkBytes: number = CARRIER_CHUNK_BYTES,
  ) {}

  write(bytes: Uint8Array): void {
    if (this.stopped || bytes.length === 0) return;
    this.queue.push(bytes);
    this.schedule();
  }

  /** Attaches a carrier (or detaches with null: bytes then wait in the queue). */
  attach(sender: ChunkSender | null): void {
    this.sender = sender;
    this.schedule();
  }

  /** Drops everything not yet handed over (RFC 2217 PURGE-DATA); returns the count. */
  purge(): number {
    const n = this.queue.clear();
    if (this.pendingBytes() === 0) this.waiters.release();
    return n;
  }

  pendingBytes(): number {
    return this.queue.length + this.inFlightBytes;
  }

  droppedBytes(): number {
    return this.queue.droppedBytes + this.lostBytes;
  }

  drained(): Promise<void> {
    return this.waiters.wait(this.stopped || this.pendingBytes() === 0);
  }

  /** Stops for good: waits for the chunk in flight (the sender must be abortable), frees waiters. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sender = null;
    if (this.inFlight) await this.inFlight;
    this.waiters.release();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.run();
    });
  }

  private run(): void {
    if (this.inFlight || this.stopped || !this.sender) return;
    const chunk = this.queue.take(this.chunkBytes);
    if (!chunk) {
      this.waiters.release();
      return;
    }
    this.inFlightBytes = chunk.length;
    this.inFlight = this.sender(chunk)
      .catch(() => {
        this.lostBytes += chunk.length;
      })
      .then(() => {
        this.inFlight = null;
        this.inFlightBytes = 0;
        this.run();
      });
  }
}
