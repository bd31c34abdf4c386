/**
 * Collects the bytes a host receives and lets a test wait for what it expects, always with a
 * deadline: `readUntil('OK\r\n', 1000)` or `readUntil((seen) => seen.length >= 10, 1000)`.
 */
export type ReadPredicate = (received: Buffer) => boolean;

export class ByteCollector {
  private buffer = Buffer.alloc(0);
  private total = 0;
  private waiter: (() => void) | null = null;
  private endReason: Error | null = null;

  /** Feed from the host's data event. */
  push(bytes: Uint8Array): void {
    this.buffer = Buffer.concat([this.buffer, bytes]);
    this.total += bytes.length;
    this.wake();
  }

  /** The stream ended (port closed, socket ended): pending and later waits fail at once. */
  end(reason: Error): void {
    this.endReason ??= reason;
    this.wake();
  }

  /** Bytes received and not yet consumed by readUntil/take. */
  get received(): Buffer {
    return this.buffer;
  }

  /** Every byte ever received, consumed or not. */
  get totalReceived(): number {
    return this.total;
  }

  /** Consumes and returns everything received so far. */
  take(): Buffer {
    const out = this.buffer;
    this.buffer = Buffer.alloc(0);
    return out;
  }

  /**
   * Waits until the expected bytes are there, then consumes and returns them:
   * - a string / bytes: everything up to and including its first occurrence;
   * - a predicate over all unconsumed bytes: everything received when it first holds.
   * Rejects after `timeoutMs` (showing what did arrive) or when the stream ends first.
   */
  async readUntil(expected: string | Uint8Array | ReadPredicate, timeoutMs: number): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.match(expected);
      if (found !== null) return found;
      if (this.endReason) throw new Error(`stream ended before ${describe(expected)}: ${this.endReason.message}; got ${show(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe(expected)}; got ${show(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private match(expected: string | Uint8Array | ReadPredicate): Buffer | null {
    if (typeof expected === 'function') {
      return expected(this.buffer) ? this.take() : null;
    }
    const needle = typeof expected === 'string' ? Buffer.from(expected, 'latin1') : Buffer.from(expected);
    const at = this.buffer.indexOf(needle);
    if (at < 0) return null;
    const out = this.buffer.subarray(0, at + needle.length);
    this.buffer = this.buffer.subarray(at + needle.length);
    return Buffer.from(out);
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}

function describe(expected: string | Uint8Array | ReadPredicate): string {
  if (typeof expected === 'function') return 'the predicate';
  return JSON.stringify(Buffer.from(typeof expected === 'string' ? Buffer.from(expected, 'latin1') : expected).toString('latin1'));
}

function show(bytes: Buffer): string {
  const head = bytes.subarray(0, 200).toString('latin1');
  return `${bytes.length} bytes ${JSON.stringify(head)}${bytes.length > 200 ? '…' : ''}`;
}
