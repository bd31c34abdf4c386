import type { LineControlEvent, ModuleTransport, TransportSink } from './types.js';
import { OutputQueue } from './output-queue.js';
import type { OutputFlow } from './output-queue.js';
import type { InputFlow } from './line-control.js';
import { OutputPump } from './output-pump.js';

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
  readonly module: ModuleTransport & OutputFlow & InputFlow;
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
  const bound = options.maxQueuedBytes;
  const pump = new OutputPump(new OutputQueue(bound));
  const hostBound = bound ?? 64 * 1024;
  let sink: TransportSink | null = null;
  let hostListener: ((bytes: Buffer) => void) | null = null;
  let closeListener: (() => void) | null = null;
  let moduleClosed = false;
  let hostClosed = false;
  let hostBaud: number | null = null;
  let closing: Promise<void> | null = null;

  // Host → module: data and control events in one ordered queue, flushed on the next turn.
  let inbound: Inbound[] = [];
  let inboundBytes = 0;
  let inboundScheduled = false;
  let inputPaused = false;
  const flushInbound = (): void => {
    inboundScheduled = false;
    if (!sink || moduleClosed || inputPaused) return;
    const items = inbound;
    inbound = [];
    inboundBytes = 0;
    let run: Buffer[] = [];
    const flushRun = (): void => {
      if (run.length > 0) sink?.onData(run.length === 1 ? run[0] : Buffer.concat(run));
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
  };
  const enqueueInbound = (item: Inbound): void => {
    if (moduleClosed) return;
    inbound.push(item);
    if (item.kind === 'data') {
      inboundBytes += item.bytes.length;
      // No firmware reading yet: keep the newest bytes only, like a UART RX FIFO overrunning.
      while (inboundBytes > hostBound) {
        const index = inbound.findIndex((entry) => entry.kind === 'data');
        const [dropped] = inbound.splice(index, 1);
        if (dropped.kind === 'data') inboundBytes -= dropped.bytes.length;
      }
    }
    scheduleInbound();
  };
  const scheduleInbound = (): void => {
    if (sink && !inputPaused && !inboundScheduled && inbound.length > 0) {
      inboundScheduled = true;
      setImmediate(flushInbound);
    }
  };

  // Module → host: the pump hands one chunk per loop turn to the host's listener.
  const deliverToHost = (chunk: Buffer): Promise<void> =>
    new Promise((resolve) =>
      setImmediate(() => {
        if (!hostClosed) hostListener?.(chunk);
        resolve();
      }),
    );

  const module: ModuleTransport & OutputFlow & InputFlow = {
    address: options.address ?? 'emu:pair',
    setSink(next) {
      const first = sink === null;
      sink = next;
      if (first && !hostClosed) enqueueInbound({ kind: 'control', event: { type: 'host-attached' } });
      scheduleInbound();
    },
    pauseInput() {
      inputPaused = true;
    },
    resumeInput() {
      inputPaused = false;
      scheduleInbound();
    },
    write(bytes) {
      if (!moduleClosed) pump.write(bytes);
    },
    hostBaudRate: async () => hostBaud,
    pendingBytes: () => pump.pendingBytes(),
    droppedBytes: () => pump.droppedBytes(),
    drained: () => pump.drained(),
    close() {
      closing ??= (async () => {
        moduleClosed = true;
        inbound = [];
        await pump.stop();
        setImmediate(() => closeListener?.());
      })();
      return closing;
    },
  };

  const host: HostLink = {
    get closed() {
      return hostClosed || moduleClosed;
    },
    write(bytes) {
      if (hostClosed || bytes.length === 0) return;
      enqueueInbound({ kind: 'data', bytes: Buffer.from(bytes) });
    },
    onData(listener) {
      hostListener = listener;
      if (!hostClosed && !moduleClosed) pump.attach(deliverToHost);
    },
    control(event) {
      if (hostClosed) return;
      if (event.type === 'baud') hostBaud = event.rate;
      enqueueInbound({ kind: 'control', event });
    },
    onClose(listener) {
      closeListener = listener;
    },
    close() {
      if (hostClosed) return;
      enqueueInbound({ kind: 'control', event: { type: 'host-detached' } });
      hostClosed = true;
      hostListener = null;
      pump.attach(null);
    },
  };

  return { module, host };
}
