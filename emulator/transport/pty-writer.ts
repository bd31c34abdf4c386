import * as fs from 'node:fs';

/**
 * Writes chunks to a non-blocking PTY master with fs.write, never blocking the event loop.
 *
 * The kernel holds ~18-20 KB per direction; past that a write fails with EAGAIN until the
 * host reads. Node offers no writability poll for a TTY master (a tty.WriteStream would make
 * the fd blocking and stall the loop), so EAGAIN is retried: at once on the next loop turn,
 * then with a backoff up to MAX_RETRY_DELAY_MS so that a PTY nobody reads costs ~20 wakeups a
 * second, not a spinning core. A reading host clears EAGAIN within a turn or two.
 */
const MAX_RETRY_DELAY_MS = 50;

export class PtyWriter {
  private aborted = false;
  private pendingRetry: { timer: NodeJS.Timeout | NodeJS.Immediate; immediate: boolean } | null = null;
  private finishPending: (() => void) | null = null;

  constructor(private readonly fd: number) {}

  /** Resolves when the whole chunk is in the kernel, or at once after abort(). Rejects on I/O errors other than EAGAIN. */
  send(chunk: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let offset = 0;
      let retries = 0;
      const finish = (err?: Error): void => {
        this.finishPending = null;
        if (err) reject(err);
        else resolve();
      };
      this.finishPending = finish;
      const attempt = (): void => {
        this.pendingRetry = null;
        if (this.aborted) return finish();
        fs.write(this.fd, chunk, offset, chunk.length - offset, (err, written) => {
          if (this.aborted) return finish();
          if (err) {
            if (err.code !== 'EAGAIN') return finish(err);
            retries += 1;
            this.scheduleRetry(attempt, retries);
            return;
          }
          retries = 0;
          offset += written;
          if (offset < chunk.length) attempt();
          else finish();
        });
      };
      attempt();
    });
  }

  /** Gives up on the chunk being written (if any); the promise from send() resolves. */
  abort(): void {
    this.aborted = true;
    const retry = this.pendingRetry;
    this.pendingRetry = null;
    if (retry) {
      if (retry.immediate) clearImmediate(retry.timer as NodeJS.Immediate);
      else clearTimeout(retry.timer as NodeJS.Timeout);
      // Nothing of ours is in the thread pool: settle now. (An fs.write in flight settles itself.)
      this.finishPending?.();
    }
  }

  private scheduleRetry(attempt: () => void, retries: number): void {
    if (retries === 1) {
      this.pendingRetry = { timer: setImmediate(attempt), immediate: true };
    } else {
      const delay = Math.min(2 ** (retries - 2), MAX_RETRY_DELAY_MS);
      this.pendingRetry = { timer: setTimeout(attempt, delay), immediate: false };
    }
  }
}
