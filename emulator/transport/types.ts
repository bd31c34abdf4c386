/**
 * The module's UART, whatever carries it: a PTY, a real serial device, serial-over-TCP
 * (raw or RFC 2217), or an in-process pair. Front ends never know which one they run on.
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

export interface ModuleTransport {
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
