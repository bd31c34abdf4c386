import { Duplex } from 'node:stream';
import type { Clock, ClockTimer } from '../../runtime/clock.js';
import type { VirtualLink } from '../network/types.js';

/**
 * One connection of the module's HTTP client as the stream Node's HTTP client reads and writes: a
 * link of the virtual network stack (so the world's resolver, port mapping and outbound policy
 * apply) seen as a Duplex.
 *
 * What arrives is handed on in reads of at most `bufferSize` bytes, one read at a time, as
 * esp_http_client reads into its buffer: the response parser sees each read separately, so a
 * body piece never spans two reads (the firmware prints one `+HTTPCLIENT:` line per piece).
 * Nothing arriving for `timeoutMs` (on the module's clock) ends the connection, as the firmware's
 * network timeout does.
 */
export class HttpConnection extends Duplex {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private feeding = false;
  private peerEnded = false;
  private timer: ClockTimer | null = null;
  private held = false;
  /** The network said nothing for the timeout. */
  timedOut = false;

  constructor(
    private readonly link: VirtualLink,
    private readonly options: {
      readonly bufferSize: number;
      readonly timeoutMs: number;
      readonly clock: Clock;
      /** Resolves when the module's UART can take more (the firmware's read blocks on its output). */
      readonly outputReady: () => Promise<void>;
    },
  ) {
    super({ allowHalfOpen: false });
    link.setHandlers({
      onData: (data) => {
        this.pending.push(data);
        this.pendingLength += data.length;
        // Reads wait for the UART: what they have not taken holds the link (the TCP window closes).
        if (this.pendingLength >= HOLD_BYTES && !this.held) {
          this.held = true;
          this.link.pause();
        }
        this.armTimer();
        void this.feed();
      },
      onClose: () => {
        this.peerEnded = true;
        void this.feed();
      },
    });
    this.armTimer();
  }

  private armTimer(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      // Data not yet handed on: the module waits for its UART, not for the network.
      if (this.pendingLength > 0) return this.armTimer();
      this.timedOut = true;
      this.destroy();
    }, this.options.timeoutMs);
  }

  private takeBytes(count: number): Buffer {
    const all = Buffer.concat(this.pending);
    this.pending = all.length > count ? [all.subarray(count)] : [];
    this.pendingLength = all.length - Math.min(count, all.length);
    return all.subarray(0, count);
  }

  /** Hands on one buffer-full at a time, letting the parser finish each before the next. */
  private async feed(): Promise<void> {
    if (this.feeding) return;
    this.feeding = true;
    try {
      while (this.pendingLength > 0 && !this.destroyed) {
        await this.options.outputReady();
        if (this.destroyed) break;
        this.push(this.takeBytes(Math.min(this.options.bufferSize, this.pendingLength)));
        if (this.held && this.pendingLength < HOLD_BYTES / 2) {
          this.held = false;
          this.link.resume();
        }
        await settle();
      }
      if (this.peerEnded && this.pendingLength === 0 && !this.destroyed) this.push(null);
    } finally {
      this.feeding = false;
    }
  }

  override _read(): void {
    // Reads are pushed as they arrive (feed); the link's own flow control is not needed for a response.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.link.send(chunk).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.link.close();
    callback(error);
  }

  /** What Node's HTTP client calls on a socket; a virtual link has no such options. */
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
}

/** Bytes read from the network and not yet handed on above which the link is paused. */
const HOLD_BYTES = 64 * 1024;

/** Lets the stream machinery and the parser run on what was just pushed. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
