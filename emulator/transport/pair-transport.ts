import { DEFAULT_MAX_QUEUED_BYTES } from './output-queue.js';
import type { ChunkSender } from './output-pump.js';
import { QueuedTransport } from './queued-transport.js';
import type { LineControlEvent, ModuleTransport } from './types.js';

/** The host's end of an in-process pair: what the driver's `emu:` device talks to. */
export interface HostLink {
  /** Bytes to the module; delivered later (next loop turn), in order. */
  write(bytes: Uint8Array): void;
  /** Receives the module's output (one listener; replaces the previous one). */
  onData(listener: (bytes: Buffer) => void): void;
  /** What a real host could do besides bytes: pulse reset, change the baud. Ordered with write(). */
  control(event: LineControlEvent): void;
  /** Called once when the module side closes. */
  onClose(listener: () => void): void;
  /** Detaches the host: the module gets `host-detached`; later writes are ignored. */
  close(): void;
  readonly closed: boolean;
}

export interface TransportPair {
  readonly module: ModuleTransport;
  readonly host: HostLink;
}

export interface TransportPairOptions {
  /** What `module.address` says. Default `emu:pair`. */
  readonly address?: string;
  /** Bound of each direction's queue while the other side does not listen. Default 64 KiB. */
  readonly maxQueuedBytes?: number;
}

type Inbound = { readonly kind: 'data'; readonly bytes: Buffer } | { readonly kind: 'control'; readonly event: LineControlEvent };

/**
 * Module and host in one process with no kernel in between, for tests and the driver's `emu:`
 * device. Delivery is always asynchronous (setImmediate batches, never from inside write())
 * and in order, so neither side can be re-entered and timing resembles a real link.
 * Module → host goes through the same bounded UART queue as the other transports: while the
 * host has no listener the oldest bytes beyond the bound are dropped. The host is attached
 * from the start: the module's first setSink() is followed by `host-attached`.
 * Host → module can be held back (InputFlow): while paused nothing is delivered and the host's
 * bytes wait in the inbound queue, whose bound (newest kept) stands for the host's own buffer —
 * there is no kernel here to block the host's writes.
 */
export function createTransportPair(options: TransportPairOptions = {}): TransportPair {
  const module = new PairModuleEnd(options);
  let listener: ((bytes: Buffer) => void) | null = null;
  let closed = false;
  // Module → host: the pump hands one chunk per loop turn to the host's listener.
  const deliverToHost: ChunkSender = (chunk) =>
    new Promise((resolve) =>
      setImmediate(() => {
        if (!closed) listener?.(chunk);
        resolve();
      }),
    );
  const host: HostLink = {
    get closed() {
      return closed || module.moduleClosed;
    },
    write(bytes) {
      if (closed || bytes.length === 0) return;
      module.fromHost({ kind: 'data', bytes: Buffer.from(bytes) });
    },
    onData(next) {
      listener = next;
      if (!closed) module.attachHost(deliverToHost);
    },
    control(event) {
      if (closed) return;
      if (event.type === 'baud') module.hostBaud = event.rate;
      module.fromHost({ kind: 'control', event });
    },
    onClose(next) {
      module.closeListener = next;
    },
    close() {
      if (closed) return;
      module.fromHost({ kind: 'control', event: { type: 'host-detached' } });
      closed = true;
      module.hostClosed = true;
      listener = null;
      module.attachHost(null);
    },
  };
  return { module, host };
}

/** The module's end: the shared queued carrier, fed by the host's inbound queue. */
class PairModuleEnd extends QueuedTransport {
  readonly address: string;
  hostBaud: number | null = null;
  hostClosed = false;
  closeListener: (() => void) | null = null;
  /** Host → module: data and control events in one ordered queue, flushed on the next turn. */
  private inbound: Inbound[] = [];
  private inboundBytes = 0;
  private inboundScheduled = false;
  private inputPaused = false;
  private readonly hostBound: number;

  constructor(options: TransportPairOptions) {
    super(options.maxQueuedBytes);
    this.address = options.address ?? 'emu:pair';
    this.hostBound = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  }

  get moduleClosed(): boolean {
    return this.isClosed;
  }

  /** The host's listener came (or went, with null): the pump hands it the module's output. */
  attachHost(sender: ChunkSender | null): void {
    if (sender === null || !this.isClosed) this.pump.attach(sender);
  }

  fromHost(item: Inbound): void {
    if (this.isClosed) return;
    this.inbound.push(item);
    if (item.kind === 'data') {
      this.inboundBytes += item.bytes.length;
      // No firmware reading yet: keep the newest bytes only, like a UART RX FIFO overrunning.
      while (this.inboundBytes > this.hostBound) {
        const index = this.inbound.findIndex((entry) => entry.kind === 'data');
        const [dropped] = this.inbound.splice(index, 1);
        if (dropped.kind === 'data') this.inboundBytes -= dropped.bytes.length;
      }
    }
    this.scheduleInbound();
  }

  protected sinkSet(first: boolean): void {
    if (first && !this.hostClosed) this.fromHost({ kind: 'control', event: { type: 'host-attached' } });
    this.scheduleInbound();
  }

  pauseInput(): void {
    this.inputPaused = true;
  }

  resumeInput(): void {
    this.inputPaused = false;
    this.scheduleInbound();
  }

  async hostBaudRate(): Promise<number | null> {
    return this.hostBaud;
  }

  protected async shutdown(): Promise<void> {
    this.inbound = [];
    await this.pump.stop();
    setImmediate(() => this.closeListener?.());
  }

  private scheduleInbound(): void {
    if (this.sink && !this.inputPaused && !this.inboundScheduled && this.inbound.length > 0) {
      this.inboundScheduled = true;
      setImmediate(() => this.flushInbound());
    }
  }

  private flushInbound(): void {
    this.inboundScheduled = false;
    const sink = this.sink;
    if (!sink || this.isClosed || this.inputPaused) return;
    const items = this.inbound;
    this.inbound = [];
    this.inboundBytes = 0;
    let run: Buffer[] = [];
    const flushRun = (): void => {
      if (run.length > 0) this.deliver(run.length === 1 ? run[0] : Buffer.concat(run));
      run = [];
    };
    for (const item of items) {
      if (item.kind === 'data') run.push(item.bytes);
      else {
        flushRun();
        sink.onControl?.(item.event);
      }
    }
    flushRun();
  }
}
