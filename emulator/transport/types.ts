/**
 * The module's UART, whatever carries it: a PTY, a real serial device, serial-over-TCP
 * (raw or RFC 2217), or an in-process pair. Front ends never know which one they run on.
 *
 * Every capability is a required member, as in serialport's bindings interface: a carrier that
 * cannot do one says so by doing nothing that could be mistaken for it (a rate it does not
 * model is ignored, a line it does not pace has nothing waiting for the wire). Nothing is found
 * by looking for methods at run time, so a wrapper (the fault layer, the line model) cannot
 * switch a feature off by forgetting to pass it on: the compiler makes it.
 */

/** Things a real UART's host can do besides sending bytes. */
export type LineControlEvent =
  /** The host set a line rate (RFC 2217 SET-BAUDRATE, termios on a PTY). */
  | { readonly type: 'baud'; readonly rate: number }
  /** The host pulsed the module's reset line (RFC 2217 DTR/RTS as EN, like esptool). */
  | { readonly type: 'reset' }
  /** A host opened the port / connected. */
  | { readonly type: 'host-attached' }
  /** The host went away (TCP client disconnected). PTYs cannot tell this reliably. */
  | { readonly type: 'host-detached' };

export interface TransportSink {
  onData(bytes: Buffer): void;
  onControl?(event: LineControlEvent): void;
}

/**
 * The output side: the module's UART TX FIFO (bytes the firmware has "sent" that the carrier has
 * not taken yet). Bounded: beyond the bound the oldest bytes are dropped and counted. A producer
 * that must not lose data paces itself with these, as firmware waits for FIFO space.
 */
export interface OutputFlow {
  /** Bytes accepted by write() and not yet handed to the carrier. */
  pendingBytes(): number;
  /** Bytes dropped so far because the bound was exceeded (or a host purged them). */
  droppedBytes(): number;
  /** Resolves once nothing is pending any more (or the transport is closed). */
  drained(): Promise<void>;
}

/**
 * What is still waiting for the wire (line time, not a slow host): a paced line's queue. Lets the
 * firmware side stop reading a socket while its data cannot leave, as the ESP's receive task
 * blocks on a full UART TX FIFO, instead of overrunning the queue. A line that is not paced has
 * nothing waiting: 0, and already drained.
 */
export interface LineBackpressure {
  lineQueuedBytes(): number;
  /** Resolves once the line's queue is empty. */
  lineDrained(): Promise<void>;
}

/**
 * The host's bytes can be held back in the carrier (the kernel's PTY buffer, the TCP window, a
 * pair's inbound queue), so a host writing faster than the line runs into backpressure as it
 * would on a real UART.
 */
export interface InputFlow {
  pauseInput(): void;
  resumeInput(): void;
}

/**
 * The module's side of the line can be told its own UART rate: what the firmware does after
 * AT+UART_CUR's OK, or at boot after AT+UART_DEF. A line model (uart-line-transport.ts) paces
 * and garbles with it; a real serial device switches its termios to it; a bare emulated carrier
 * (PTY, TCP, pair) has no line of its own and ignores it.
 */
export interface ModuleRateControl {
  /** From now on the module transmits and receives at `baudRate`; bytes written before keep the old rate. */
  setModuleBaudRate(baudRate: number): void;
}

export interface ModuleTransport extends OutputFlow, LineBackpressure, InputFlow, ModuleRateControl {
  /** What a host opens: a device path (`/dev/pts/3`, or the `--link` symlink) or a URL (`socket://127.0.0.1:7001`). */
  readonly address: string;
  setSink(sink: TransportSink): void;
  /**
   * Queue bytes for the host. Never blocks the event loop; the queue is bounded like a
   * real UART's: with no host reading, the oldest bytes beyond the bound are dropped.
   */
  write(bytes: Uint8Array): void;
  /** The line rate the host configured, when the transport can know it. */
  hostBaudRate(): Promise<number | null>;
  close(): Promise<void>;
}
