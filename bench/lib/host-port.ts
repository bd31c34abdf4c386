import { SerialPort } from 'serialport';
import { keepPollerInterest } from '../../runtime/serialport-poller.js';

/**
 * The benchmark's host: a serialport on the module's PTY, as a driver or pyserial opens it.
 * One data listener at a time, swapped per measurement.
 */
export interface BenchHostPort {
  readonly port: SerialPort;
  onData(listener: ((bytes: Buffer) => void) | null): void;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export async function openBenchHost(path: string, baudRate: number): Promise<BenchHostPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  keepPollerInterest(port.port); // as the driver's own port does (runtime/serialport-poller.ts)
  let listener: ((bytes: Buffer) => void) | null = null;
  port.on('data', (bytes: Buffer) => listener?.(bytes));
  port.on('error', () => undefined);
  return {
    port,
    onData(next) {
      listener = next;
    },
    write: (bytes) => new Promise<void>((resolve, reject) => port.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve()))),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}

/** Sends `bytes` in `chunk`-sized writes, each handed to the OS before the next. */
export async function writeAll(host: BenchHostPort, bytes: Buffer, chunk = 64 * 1024): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    await host.write(bytes.subarray(offset, offset + chunk));
  }
}

/** Deterministic filler (not all zeros, not compressible to nothing). */
export function benchPattern(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
