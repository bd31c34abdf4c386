import { SerialPort } from 'serialport';
import { keepPollerInterest } from '../../runtime/serialport-poller.js';
import { ByteCollector } from './byte-collector.js';
import type { ReadPredicate } from './byte-collector.js';

/**
 * A test's host side of a serial line, as a driver or pyserial would open it: a real
 * serialport on a device path (a PTY slave, its --link symlink), collecting what it receives.
 */
export interface HostSerial {
  readonly port: SerialPort;
  readonly collector: ByteCollector;
  write(bytes: string | Uint8Array): Promise<void>;
  readUntil(expected: string | Uint8Array | ReadPredicate, timeoutMs: number): Promise<Buffer>;
  /** Closes the port (idempotent). */
  close(): Promise<void>;
}

export async function openHostSerial(path: string, baudRate: number): Promise<HostSerial> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  // serialport's poller can drop a waiting read or write (runtime/serialport-poller.ts): the
  // driver mends it, and so do the tests' hosts, so that what they test is the module.
  keepPollerInterest(port.port);
  const collector = new ByteCollector();
  port.on('data', (bytes: Buffer) => collector.push(bytes));
  port.on('close', () => collector.end(new Error('port closed')));
  port.on('error', (err: Error) => collector.end(err));
  return {
    port,
    collector,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes), (err) =>
          err ? reject(err) : resolve(),
        );
      }),
    readUntil: (expected, timeoutMs) => collector.readUntil(expected, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
