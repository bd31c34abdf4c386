/**
 * A serial device or PTY opened with serialport (raw termios, flock). Modem-line ioctls are
 * used only by pulseReset(), which a PTY refuses with ENOTTY (virtual-serial.md §4.2).
 */
import { SerialPort } from 'serialport';
import { osError } from '../errors.js';
import { keepPollerInterest } from '../../runtime/serialport-poller.js';
import type { HostPort } from './types.js';

/** How long EN is held low for a reset (esptool holds it 100 ms). */
const RESET_PULSE_MS = 100;

function setSignals(port: SerialPort, signals: { rts: boolean; dtr: boolean }): Promise<void> {
  return new Promise((resolve, reject) => port.set(signals, (err) => (err ? reject(err) : resolve())));
}

export async function openSerialHostPort(path: string, baudRate = 115200): Promise<HostPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => {
      if (!err) return resolve();
      const code = /ENOENT|No such file/.test(err.message) ? 'ENOENT' : /EACCES|Permission denied/.test(err.message) ? 'EACCES' : 'EIO';
      reject(osError(code, `cannot open ${path}: ${err.message.replace(/^Error: /, '')}`));
    }),
  );
  // serialport's poller can drop a waiting write's interest (runtime/serialport-poller.ts): keep it.
  keepPollerInterest(port.port);
  let closing = false;
  let closeListener: ((err: Error | null) => void) | null = null;
  port.on('close', (err: Error | null) => {
    if (!closing) closeListener?.(err ?? null);
  });
  port.on('error', () => undefined); // surfaced through 'close' and write callbacks
  return {
    path,
    get baudRate() {
      return port.baudRate;
    },
    // A view, not a copy: CIPSEND payloads are up to 8 KiB each, a transparent write any size.
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        port.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) => (err ? reject(err) : resolve()));
      }),
    drained: () => new Promise<void>((resolve, reject) => port.drain((err) => (err ? reject(err) : resolve()))),
    onData(listener) {
      port.on('data', (chunk: Buffer) => listener(chunk));
    },
    onClose(listener) {
      closeListener = listener;
    },
    pauseInput: () => void port.pause(),
    resumeInput: () => void port.resume(),
    setBaudRate: (rate) =>
      new Promise<void>((resolve, reject) => {
        if (port.baudRate === rate) return resolve();
        port.update({ baudRate: rate }, (err) => (err ? reject(err) : resolve()));
      }),
    pulseReset: async () => {
      // EN low while RTS is asserted, as esptool and DevKitC's auto-reset circuit do it.
      await setSignals(port, { rts: true, dtr: false });
      await new Promise((resolve) => setTimeout(resolve, RESET_PULSE_MS));
      await setSignals(port, { rts: false, dtr: false });
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
