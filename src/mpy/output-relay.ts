/**
 * The script's stdout and stderr on their way to the host thread. Bytes are gathered and sent a
 * line at a time (so a pipe sees whole lines as they are printed), and everything gathered is
 * sent before each host call and at the end: a script blocked in accept() has already shown the
 * port it printed. Every byte passing is also a moment to deliver a pending Ctrl-C to the
 * interpreter, so a loop that prints can be interrupted even if it makes no other call.
 */
import type { HostCall } from './host-call.js';

type Stream = 'stdout' | 'stderr';

/** Sent even without a newline once this much has gathered. */
const FLUSH_BYTES = 4096;
const NEWLINE = 0x0a;

export class OutputRelay {
  private readonly pending: Record<Stream, number[]> = { stdout: [], stderr: [] };

  constructor(
    private readonly host: HostCall,
    private readonly raiseInterrupt: () => void,
  ) {}

  /** The port's per-byte hook (loadMicroPython with linebuffer: false). */
  hook(stream: Stream): (data: Uint8Array | string) => void {
    return (data) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      const pending = this.pending[stream];
      for (const byte of bytes) pending.push(byte);
      if (bytes.includes(NEWLINE) || pending.length >= FLUSH_BYTES) this.flush(stream);
      if (this.host.takeInterrupt()) this.raiseInterrupt();
    };
  }

  flushAll(): void {
    this.flush('stdout');
    this.flush('stderr');
  }

  private flush(stream: Stream): void {
    const pending = this.pending[stream];
    if (pending.length === 0) return;
    this.host.notify({ kind: 'output', stream, data: Uint8Array.from(pending) });
    this.pending[stream] = [];
  }
}
