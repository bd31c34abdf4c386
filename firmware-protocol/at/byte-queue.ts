/**
 * FIFO of received chunks, read one contiguous run at a time. Both parsers keep their input
 * here between `push()` and `next()`; it grows only with what the caller pushed and did not
 * yet pull.
 */
export class ByteQueue {
  private readonly chunks: Uint8Array[] = [];
  private head = 0;
  private total = 0;

  /** Copies the chunk: callers may reuse their buffer after push. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk.slice());
    this.total += chunk.length;
  }

  /** Bytes pushed and not yet consumed. */
  get length(): number {
    return this.total;
  }

  /** The next contiguous run of unread bytes (a view, valid until the next consume/push), or an empty array. */
  run(): Uint8Array {
    const first = this.chunks[0];
    return first === undefined ? EMPTY : first.subarray(this.head);
  }

  /** Drops `n` bytes from the front of the current run (`n` ≤ run().length). */
  consume(n: number): void {
    if (n <= 0) return;
    this.head += n;
    this.total -= n;
    if (this.head >= this.chunks[0].length) {
      this.chunks.shift();
      this.head = 0;
    }
  }

  clear(): void {
    this.chunks.length = 0;
    this.head = 0;
    this.total = 0;
  }
}

const EMPTY = new Uint8Array(0);

/** Joins byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One JS character per byte (what ESP-AT's byte-oriented text is, before any charset). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
