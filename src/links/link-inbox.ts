/**
 * Data a link received and the application has not taken yet, the same for every back end: a
 * stream hands out any prefix, a datagram is taken whole (the unread rest of it is lost, as a
 * UDP socket's is).
 */
import type { Received } from '../backend.js';

export class LinkInbox {
  private readonly items: Received[] = [];
  private bytes = 0;

  constructor(private readonly datagrams: boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** Bytes waiting. */
  get buffered(): number {
    return this.bytes;
  }

  push(item: Received): void {
    this.items.push(item);
    this.bytes += item.data.length;
  }

  /** Up to `max` bytes of the oldest item (call only when size > 0). */
  take(max: number): Received {
    const head = this.items[0];
    if (this.datagrams || head.data.length <= max) {
      this.items.shift();
      this.bytes -= head.data.length;
    } else {
      this.items[0] = { data: head.data.subarray(max), from: head.from };
      this.bytes -= max;
    }
    return { data: head.data.subarray(0, max), from: head.from };
  }

  clear(): void {
    this.items.length = 0;
    this.bytes = 0;
  }
}
