/**
 * The host's end of the module's UART, whatever carries it: a serial device or PTY (serialport),
 * serial over TCP, or the emulator in the same process. The AT engine only sees this.
 */
export interface HostPort {
  /** What was opened (`/dev/ttyUSB0`, `tcp://127.0.0.1:7001`, `emu:`). */
  readonly path: string;
  /** Resolves once the bytes are handed to the OS (or the in-process peer). */
  write(bytes: Uint8Array): Promise<void>;
  /** The single receiver of the module's bytes. */
  onData(listener: (bytes: Uint8Array) => void): void;
  /**
   * Resolves once what was written has left the host (tcdrain on a serial device). Optional: a
   * carrier without it is taken to be drained once write() resolved. Transparent mode waits for
   * it before the `+++` escape, which needs silence on the line.
   */
  drained?(): Promise<void>;
  /** The line rate, when the carrier has one (serial devices); transparent mode times `+++` with it. */
  readonly baudRate?: number;
  /**
   * Stop and resume delivering the module's bytes (they wait in the kernel, as for a reader that
   * is behind). Optional; `copro tap` holds a device back while its host is not reading.
   */
  pauseInput?(): void;
  resumeInput?(): void;
  /** Switch the line rate (serial devices: termios). Optional; `copro tap` follows its host's rate with it. */
  setBaudRate?(rate: number): Promise<void>;
  /** Pulse the module's reset line (RTS drives EN on DevKitC-style boards). Optional; rejects when the line has no modem lines. */
  pulseReset?(): Promise<void>;
  /** The port went away by itself (device unplugged, TCP peer gone); not called after close(). */
  onClose(listener: (err: Error | null) => void): void;
  close(): Promise<void>;
}
